// Ingest through HTTP as the alerts bench sends it (distinct alerts, 16 requests in flight), against
// Firebreak run from source, with the server's CPU time per alert (from /proc) beside the wall-clock
// rate: on a busy machine the CPU figure is the steadier one. Also the drain: until every alert's
// notification reached the receiver, and the CPU that took.
//   npx tsx bench/support/ingest-e2e.ts [sqlite|postgres] [1,10,100]
//   FIREBREAK_BENCH_CPU_PROFILE_DIR=/tmp/p … writes the server's CPU profile there (node --cpu-prof).
//   FIREBREAK_ROLE=api … runs no engine: ingest alone, nothing notified.
//   FIREBREAK_BENCH_FROM_DIST=1 … runs the build in dist/ (as the alerts bench does) instead of src/.
//   FIREBREAK_BENCH_PRELOAD=FILE … a module the server imports first; it gets SIGUSR2 before each
//   batch and after its drain (say, to count and time statements per batch).
//   bench/support/count-sqlite-statements.mjs is one: FIREBREAK_BENCH_PRELOAD=$PWD/bench/support/count-sqlite-statements.mjs
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startFirebreak } from "../alerts-bench.js";
import { throughput } from "./load.js";
import { NotificationReceiver } from "./receiver.js";

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU of a process so far, in microseconds. */
function cpuMicros(pid: number): number {
  return userMicros(pid) + systemMicros(pid);
}
const statField = (pid: number, index: number) =>
  Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[index]);
const userMicros = (pid: number) => (statField(pid, 11) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
/** In the kernel: writes, fsync, sockets. */
const systemMicros = (pid: number) => (statField(pid, 12) * 1_000_000) / CLOCK_TICKS_PER_SECOND;

async function drained(receiver: NotificationReceiver, ids: string[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (ids.every((id) => receiver.arrivals.has(id))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return ids.filter((id) => !receiver.arrivals.has(id)).length;
}

const store = (process.argv[2] ?? "sqlite") as "sqlite" | "postgres";
const batches = (process.argv[3] ?? "1,10,100").split(",").map(Number);
const receiver = new NotificationReceiver();
await receiver.start();
const profileDir = process.env.FIREBREAK_BENCH_CPU_PROFILE_DIR;
const target = await startFirebreak(receiver, store, {
  fromSource: process.env.FIREBREAK_BENCH_FROM_DIST !== "1",
  nodeArgs: [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    ...(process.env.FIREBREAK_BENCH_PRELOAD ? ["--import", process.env.FIREBREAK_BENCH_PRELOAD] : []),
  ],
});
try {
  // Warm-up: JIT and statement caches.
  await throughput(target.alertsUrl, "warm", 500, 10, 16);
  const ingestOnly = process.env.FIREBREAK_ROLE === "api";
  if (!ingestOnly)
    await drained(
      receiver,
      Array.from({ length: 500 }, (_, i) => `warm-${i}`),
      60_000,
    );
  for (const batch of batches) {
    const total =
      Number(process.env.FIREBREAK_BENCH_ALERTS ?? 0) ||
      ({ 1: 2_000, 10: 5_000, 100: 10_000 }[batch] ?? 5_000);
    const run = `e2e${Date.now().toString(36)}b${batch}`;
    if (process.env.FIREBREAK_BENCH_PRELOAD) process.kill(target.pid, "SIGUSR2");
    const cpu0 = cpuMicros(target.pid);
    const sys0 = systemMicros(target.pid);
    const rate = await throughput(target.alertsUrl, run, total, batch, 16);
    const cpu1 = cpuMicros(target.pid);
    const sys1 = systemMicros(target.pid);
    const t0 = performance.now();
    const missing = ingestOnly
      ? 0
      : await drained(
          receiver,
          Array.from({ length: total }, (_, i) => `${run}-${i}`),
          120_000,
        );
    const drainSeconds = (performance.now() - t0) / 1000;
    if (process.env.FIREBREAK_BENCH_PRELOAD) process.kill(target.pid, "SIGUSR2");
    const cpu2 = cpuMicros(target.pid);
    console.log(
      `${store} batch ${batch}: ${Math.round(rate)} alerts/s; server CPU ${((cpu1 - cpu0) / total).toFixed(0)} µs/alert during ingest (${((sys1 - sys0) / total).toFixed(0)} system), ${((cpu2 - cpu0) / total).toFixed(0)} µs/alert until every notification arrived (drain ${drainSeconds.toFixed(1)} s${missing ? `, ${missing} missing` : ""})`,
    );
  }
} finally {
  await target.stop();
  await receiver.stop();
}
