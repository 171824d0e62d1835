import { randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { JobStore } from "../app/ports/jobs.js";
import type { Logger } from "../app/ports/logger.js";
import type { EngineEvents } from "./events.js";

/**
 * A lease holder's name: which kernel boot, pid namespace and host it ran on, its pid and the
 * process's start time (clock ticks since boot; a reused pid starts later), plus a random part that
 * tells runners of one process apart. Only another process of this same boot and namespace can
 * judge by pid whether the holder is gone; everyone else lets its leases expire.
 */
interface ProcessIdentity {
  readonly host: string;
  readonly boot: string;
  readonly pidNamespace: string;
  readonly pid: number;
  readonly startTicks: string;
}

const HOLDER_FORMAT = "fb1";

/** Field 3 (state) and field 22 (start time) of /proc/PID/stat; the name before them may hold ")". */
function parseStat(stat: string): { state: string; startTicks: string } | undefined {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTicks = fields[19];
  return state && startTicks && /^\d+$/.test(startTicks) ? { state, startTicks } : undefined;
}

let ownIdentity: ProcessIdentity | null | undefined;

/** This process's identity; null without Linux's /proc (then no lease is ever judged dead). */
function thisProcess(): ProcessIdentity | null {
  if (ownIdentity !== undefined) return ownIdentity;
  try {
    const stat = parseStat(readFileSync(`/proc/${process.pid}/stat`, "utf8"));
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const pidNamespace = readlinkSync("/proc/self/ns/pid").replace(/\D/g, "");
    ownIdentity =
      stat && /^[0-9a-f-]+$/.test(boot) && pidNamespace !== ""
        ? { host: hostname(), boot, pidNamespace, pid: process.pid, startTicks: stat.startTicks }
        : null;
  } catch {
    ownIdentity = null;
  }
  return ownIdentity;
}

/** A fresh worker id naming this process (see ProcessIdentity), or a random one without /proc. */
export function workerIdOfThisProcess(): string {
  const own = thisProcess();
  const random = randomUUID();
  if (!own) return `worker-${random}`;
  const host = encodeURIComponent(own.host);
  return [HOLDER_FORMAT, host, own.boot, own.pidNamespace, own.pid, own.startTicks, random].join(":");
}

function parseWorkerId(workerId: string): ProcessIdentity | undefined {
  const [format, host, boot, pidNamespace, pid, startTicks, random, ...rest] = workerId.split(":");
  if (format !== HOLDER_FORMAT || !random || rest.length > 0 || !/^[1-9]\d{0,9}$/.test(pid ?? "")) {
    return undefined;
  }
  try {
    return {
      host: decodeURIComponent(host ?? ""),
      boot: boot ?? "",
      pidNamespace: pidNamespace ?? "",
      pid: Number(pid),
      startTicks: startTicks ?? "",
    };
  } catch {
    return undefined;
  }
}

/**
 * True only when the holder certainly runs no more: same host, boot and pid namespace as this
 * process, and its pid is gone, a zombie, or belongs to a process started at another time.
 */
async function isCertainlyDead(holder: ProcessIdentity, own: ProcessIdentity): Promise<boolean> {
  if (holder.host !== own.host || holder.boot !== own.boot || holder.pidNamespace !== own.pidNamespace) {
    return false;
  }
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the pid lives, under another user; its start time below still tells.
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return true;
  }
  const stat = await readFile(`/proc/${holder.pid}/stat`, "utf8").then(parseStat, () => undefined);
  return stat !== undefined && (stat.state === "Z" || stat.startTicks !== holder.startTicks);
}

/**
 * Expires, in one statement, the live leases of engines on this host whose process is gone (killed,
 * out of memory), so their jobs run now rather than when the leases run out. Counted as an expiry
 * would count them; never throws (the leases then expire as before). Returns the jobs released.
 */
export async function expireLeasesOfDeadWorkers(
  store: JobStore,
  now: Date,
  logger: Logger,
  events?: EngineEvents,
): Promise<number> {
  const own = thisProcess();
  if (!own) return 0;
  try {
    const dead: string[] = [];
    for (const workerId of await store.leaseHolders(now)) {
      const holder = parseWorkerId(workerId);
      if (holder && (await isCertainlyDead(holder, own))) dead.push(workerId);
    }
    if (dead.length === 0) return 0;
    const jobs = await store.expireLeasesOf({ workerIds: dead, now });
    if (jobs > 0) {
      logger.warn(
        { event: "engine.dead_worker_leases_expired", workerIds: dead, jobs },
        `${jobs} job(s) leased by an engine process on this host that is gone were made claimable at once`,
      );
    }
    events?.emit("leases:expired", { workerIds: dead, jobs });
    return jobs;
  } catch (err) {
    logger.error({ err }, "could not look for leases of dead engine processes; they will expire");
    return 0;
  }
}
