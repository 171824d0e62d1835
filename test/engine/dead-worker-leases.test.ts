/**
 * Leases of an engine process that died (kill -9, out of memory) on this host are expired as soon as
 * another engine here starts, or at the watchdog's next pass: the job runs at once instead of after
 * FIREBREAK_JOB_LEASE_MS. Leases of live processes and of other hosts are left alone.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, afterEach, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import type { JobQueue } from "../../src/app/ports/jobs.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import { EngineEvents } from "../../src/engine/events.js";
import { HandlerRegistry } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { expireLeasesOfDeadWorkers, workerIdOfThisProcess } from "../../src/engine/lease-holders.js";
import { Watchdog } from "../../src/engine/watchdog.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { REPO_ROOT } from "../support/child-processes.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";

interface TestJobs {
  "test.record": { label: string };
}

const LEASE_HOLDERS = new URL("../../src/engine/lease-holders.ts", import.meta.url).href;
const ON_LINUX = workerIdOfThisProcess().startsWith("fb1:");

/** A separate process that prints the worker id its engine would lease under, then idles. */
async function startHolder(): Promise<{ child: ChildProcess; workerId: string }> {
  const script = `import(${JSON.stringify(LEASE_HOLDERS)}).then((m) => { console.log(m.workerIdOfThisProcess()); setInterval(() => {}, 60000); })`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const workerId = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`holder exited (${code}) before naming itself`)));
  });
  return { child, workerId };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** The same id with one of its parts (1 host, 2 boot, 3 pid namespace, 4 pid, 5 start time) changed. */
const withPart = (workerId: string, index: number, value: string) =>
  workerId
    .split(":")
    .map((part, i) => (i === index ? value : part))
    .join(":");

describeEachDialect("leases of dead engine processes on this host", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;
  let ran: string[];
  let registry: HandlerRegistry<TestJobs>;
  const children: ChildProcess[] = [];

  const enqueue = (label: string) =>
    store.run((tx) =>
      (tx.jobs as unknown as JobQueue<TestJobs>).enqueue("test.record", { label }, { runAt: clock.now() }),
    );
  const claimAs = async (workerId: string) => {
    const [job] = await store.jobs.claimDue({ now: clock.now(), limit: 1, leaseMs: 10 * MINUTE, workerId });
    assert.ok(job, "claimed");
    return job;
  };
  const row = async (id: string) => {
    const result = await sql<{
      locked_by: string | null;
      locked_until: number | null;
      attempts: number;
    }>`select locked_by, locked_until, attempts from jobs where id = ${Number(id)}`.execute(db.handle.db);
    return result.rows[0];
  };
  const holder = async () => {
    const started = await startHolder();
    children.push(started.child);
    return started;
  };

  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(async () => db.drop());
  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    await sql`delete from jobs`.execute(db.handle.db);
    ran = [];
    registry = new HandlerRegistry<TestJobs>().register("test.record", async ({ label }) => {
      ran.push(label);
    });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await kill(child);
  });

  it("names this process in its worker ids (host, boot, pid namespace, pid, start time)", (t) => {
    if (!ON_LINUX) return t.skip("no /proc: worker ids stay random and leases expire as before");
    const [format, , boot, , pid, start, random] = workerIdOfThisProcess().split(":");
    assert.equal(format, "fb1");
    assert.match(boot!, /^[0-9a-f-]{36}$/);
    assert.equal(pid, String(process.pid));
    assert.match(start!, /^\d+$/);
    assert.notEqual(random, workerIdOfThisProcess().split(":")[6], "each runner's id is its own");
  });

  it("a starting runner expires the lease of a killed process at once and runs the job, counted as an expiry", async (t) => {
    if (!ON_LINUX) return t.skip("needs /proc");
    const dead = await holder();
    const startedAt = clock.now().getTime();
    const { id } = await enqueue("in flight");
    const claimed = await claimAs(dead.workerId);
    assert.equal(claimed.attempts, 1);
    await kill(dead.child);

    const events = new EngineEvents();
    const expired = events.next("leases:expired");
    const succeeded = events.next("job:succeeded");
    const runner = new JobRunner(store.jobs, registry, clock, silentLogger, { leaseMs: MINUTE }, events);
    runner.start();
    try {
      assert.deepEqual(await expired, { workerIds: [dead.workerId], jobs: 1 });
      const { job } = await succeeded;
      assert.equal(job.id, id);
      // As after an expired lease: the dead claim's attempt stays counted, the new claim counts one.
      assert.equal(job.attempts, 2);
      assert.deepEqual(ran, ["in flight"]);
      assert.equal(clock.now().getTime(), startedAt, "no time had to pass for the lease");
    } finally {
      await runner.stop();
    }
  });

  it("leaves the leases of a live process, of this process, and of other hosts, boots and namespaces", async (t) => {
    if (!ON_LINUX) return t.skip("needs /proc");
    const live = await holder();
    const gone = await holder();
    await kill(gone.child);
    const holders = [
      live.workerId,
      workerIdOfThisProcess(),
      withPart(gone.workerId, 1, "another-host"),
      withPart(gone.workerId, 2, "00000000-0000-0000-0000-000000000000"),
      withPart(gone.workerId, 3, "1"),
      "worker-4b1d6c1e-0000-4000-8000-000000000000", // an engine from before worker ids named processes
    ];
    const ids: string[] = [];
    for (const [i, workerId] of holders.entries()) {
      ids.push((await enqueue(`held ${i}`)).id);
      await claimAs(workerId);
    }

    assert.equal(await expireLeasesOfDeadWorkers(store.jobs, clock.now(), silentLogger), 0);
    for (const [i, id] of ids.entries()) {
      const r = await row(id);
      assert.equal(r?.locked_by, holders[i]);
      assert.equal(
        Number(r?.locked_until),
        clock.now().getTime() + 10 * MINUTE,
        `${holders[i]} keeps its lease`,
      );
    }
    const runner = new JobRunner(store.jobs, registry, clock, silentLogger);
    assert.deepEqual(await runner.runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });
  });

  it("expires a lease whose pid now belongs to a process started at another time (a reused pid)", async (t) => {
    if (!ON_LINUX) return t.skip("needs /proc");
    const live = await holder();
    const reused = withPart(live.workerId, 5, "1");
    const { id } = await enqueue("pid reused");
    await claimAs(reused);
    assert.equal(await expireLeasesOfDeadWorkers(store.jobs, clock.now(), silentLogger), 1);
    const r = await row(id);
    assert.equal(r?.locked_by, reused, "the holder stays, as on an expired lease");
    assert.equal(Number(r?.locked_until), clock.now().getTime() - 1);
    assert.equal(Number(r?.attempts), 1, "no attempt counted beyond the claim's own");
  });

  it("the watchdog's pass expires them too (an engine that died without a restart)", async (t) => {
    if (!ON_LINUX) return t.skip("needs /proc");
    const dead = await holder();
    await enqueue("watched");
    await claimAs(dead.workerId);
    await kill(dead.child);
    const events = new EngineEvents();
    const expired = events.next("leases:expired");
    await new Watchdog(store.jobs, clock, silentLogger, events).checkOnce();
    assert.deepEqual(await expired, { workerIds: [dead.workerId], jobs: 1 });
    assert.deepEqual(await new JobRunner(store.jobs, registry, clock, silentLogger).runDueOnce(), {
      succeeded: 1,
      retried: 0,
      failed: 0,
    });
    // A second pass finds nothing: only live leases are looked at.
    assert.equal(await expireLeasesOfDeadWorkers(store.jobs, clock.now(), silentLogger), 0);
  });
});
