import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import type { JobQueue, JobStore } from "../../src/app/ports/jobs.js";
import type { Logger } from "../../src/app/ports/logger.js";
import { AppError } from "../../src/core/errors.js";
import { HandlerRegistry, PermanentJobError } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";

// A job's outcome whose write fails (the database restarts for a moment) is written again by the
// runner that holds the lease, within seconds of the database answering again, not once the lease
// (a minute) ran out; it stops trying before the lease ends, and at a shutdown's deadline. The
// store's writes fail by injection; job times move on a fake clock, the retries on real timers.

interface OutcomeJobs {
  "test.work": { label: string; fails: "never" | "once" | "for good" };
}

type Write = "complete" | "retry" | "fail" | "release";

/** The runner's store, whose outcome writes fail as told (as PostgreSQL's 57P03 during a restart). */
function failingWrites(inner: JobStore) {
  const failuresLeft = new Map<Write, number>();
  const calls: Array<{ write: Write; ok: boolean; atMs: number }> = [];
  const guarded =
    <A, R>(write: Write, real: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      const left = failuresLeft.get(write) ?? 0;
      const ok = left <= 0;
      calls.push({ write, ok, atMs: performance.now() });
      if (!ok) {
        failuresLeft.set(write, left - 1);
        throw new AppError("UNAVAILABLE", "the database system is starting up (57P03)");
      }
      return real(args);
    };
  const store: JobStore = {
    ...inner,
    complete: guarded("complete", inner.complete),
    retry: guarded("retry", inner.retry),
    fail: guarded("fail", inner.fail),
    release: guarded("release", inner.release),
  };
  return {
    store,
    calls,
    /** The next `count` writes of this kind fail (Infinity: until `heal`). */
    failNext: (write: Write, count: number) => failuresLeft.set(write, count),
    heal: () => failuresLeft.clear(),
  };
}

describeEachDialect("a job's outcome write that fails while the lease lasts", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;
  let writes: ReturnType<typeof failingWrites>;
  let runner: JobRunner | undefined;
  let runs: Array<{ label: string; atMs: number }>;
  let logged: Array<{ level: string; message: string }>;
  /** The runner's poll timer does not hold the process open (a server's HTTP listener does). */
  let keepAlive: NodeJS.Timeout;

  const logger: Logger = {
    debug: () => undefined,
    info: (_fields, message) => void logged.push({ level: "info", message }),
    warn: (_fields, message) => void logged.push({ level: "warn", message }),
    error: (_fields, message) => void logged.push({ level: "error", message }),
    child: () => logger,
  };
  const newRunner = (leaseMs = MINUTE) =>
    new JobRunner(
      writes.store,
      new HandlerRegistry<OutcomeJobs>().register("test.work", async ({ label, fails }) => {
        runs.push({ label, atMs: performance.now() });
        const failing = fails === "for good" || (fails === "once" && runs.length === 1);
        if (!failing) return;
        if (fails === "for good") throw new PermanentJobError("the receiver refused it for good");
        throw new AppError("UNAVAILABLE", "the database cannot be reached; try again");
      }),
      clock,
      logger,
      { leaseMs, pollMs: 20, concurrency: 4, random: () => 0 },
    );
  const enqueue = (label: string, fails: OutcomeJobs["test.work"]["fails"]) =>
    store.run((tx) =>
      (tx.jobs as unknown as JobQueue<OutcomeJobs>).enqueue(
        "test.work",
        { label, fails },
        { runAt: clock.now() },
      ),
    );
  const jobRows = () =>
    db.handle.db.selectFrom("jobs").select(["locked_by", "attempts", "failed_at", "last_error"]).execute();
  const triesOf = (write: Write) => writes.calls.filter((c) => c.write === write);

  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(() => db.drop());
  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    writes = failingWrites(store.jobs);
    await sql`delete from jobs`.execute(db.handle.db);
    runs = [];
    logged = [];
    keepAlive = setInterval(() => undefined, 1_000);
  });
  afterEach(async () => {
    writes.heal();
    await runner?.stop({ deadlineMs: 1_000 });
    runner = undefined;
    clearInterval(keepAlive);
  });

  it("a retry written after three failed tries: the job runs again seconds after the database is back, not after the lease", async () => {
    runner = newRunner();
    writes.failNext("retry", 3);
    const retried = runner.events.next("job:retried");
    const ranAgain = runner.events.next("job:succeeded");
    await enqueue("escalation step", "once");
    runner.start();
    await retried;
    // Its retry is due half a second on (the first backoff); the lease would hold it a minute.
    clock.advance(SECOND);
    await ranAgain;

    const tries = triesOf("retry");
    assert.deepEqual(
      tries.map((t) => t.ok),
      [false, false, false, true],
    );
    const waitedMs = tries.slice(1).map((t, i) => t.atMs - tries[i]!.atMs);
    // 250, 500 and 1,000 ms between the tries (timers may fire a little late).
    for (const [i, expected] of [250, 500, 1_000].entries())
      assert.ok(
        waitedMs[i]! >= expected - 5 && waitedMs[i]! < expected + 500,
        `wait ${i}: ${waitedMs[i]} ms`,
      );
    assert.equal(runs.length, 2);
    const sinceBackMs = runs[1]!.atMs - tries[3]!.atMs;
    assert.ok(sinceBackMs < 2_000, `ran again ${sinceBackMs} ms after the write went through`);
    assert.deepEqual(await jobRows(), [], "done");
    assert.ok(
      logged.some((l) => l.level === "warn" && /could not record job failure; trying again/.test(l.message)),
    );
    assert.ok(!logged.some((l) => l.level === "error"), JSON.stringify(logged));
  });

  it("a completion written after failed tries: the job ran once and its row is gone", async () => {
    runner = newRunner();
    writes.failNext("complete", 2);
    const done = runner.events.next("job:succeeded");
    await enqueue("page", "never");
    runner.start();
    await done;
    assert.deepEqual(
      triesOf("complete").map((t) => t.ok),
      [false, false, true],
    );
    assert.equal(runs.length, 1);
    assert.deepEqual(await jobRows(), []);
  });

  it("a permanent failure written after failed tries is recorded, not left locked", async () => {
    runner = newRunner();
    writes.failNext("fail", 2);
    const failed = runner.events.next("job:failed");
    await enqueue("refused", "for good");
    runner.start();
    await failed;
    const [row] = await jobRows();
    assert.equal(row?.locked_by, null);
    assert.notEqual(row?.failed_at, null);
    assert.equal(row?.last_error, "the receiver refused it for good");
  });

  it("stops trying before the lease ends; the job runs again once it has", async () => {
    const leaseMs = 2 * SECOND;
    runner = newRunner(leaseMs);
    writes.failNext("complete", Infinity);
    const started = performance.now();
    const gaveUp = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!logged.some((l) => l.level === "error")) return;
        clearInterval(poll);
        resolve();
      }, 10);
    });
    await enqueue("lost completion", "never");
    runner.start();
    await gaveUp;
    const lastTryMs = triesOf("complete").at(-1)!.atMs - started;
    // The margin is a quarter of this short lease: no try in its last 500 ms.
    assert.ok(lastTryMs < leaseMs - 400, `last try ${lastTryMs} ms after the claim`);
    assert.ok(triesOf("complete").length >= 4, `${triesOf("complete").length} tries`);
    assert.deepEqual(
      logged.filter((l) => l.level === "error").map((l) => l.message),
      ["could not mark job complete; the lease will expire and it runs again"],
    );
    const [row] = await jobRows();
    assert.notEqual(row?.locked_by, null, "still leased: another runner may take it only once it expires");

    writes.heal();
    const again = runner.events.next("job:succeeded");
    clock.advance(leaseMs + 1);
    await again;
    assert.equal(runs.length, 2, "at least once: the handler's fence holds");
    assert.deepEqual(await jobRows(), []);
  });

  it("a shutdown does not wait past its deadline for a write that keeps failing, and hands the job back", async () => {
    runner = newRunner();
    writes.failNext("retry", Infinity);
    const firstFailure = runner.events.next("runner:error");
    await enqueue("at shutdown", "once");
    runner.start();
    await firstFailure;
    const stopping = performance.now();
    await runner.stop({ deadlineMs: 300 });
    const tookMs = performance.now() - stopping;
    runner = undefined;
    assert.ok(tookMs < 1_000, `stop took ${tookMs} ms`);
    const triesAtStop = triesOf("retry").length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(triesOf("retry").length, triesAtStop, "no write after the runner stopped");
    assert.deepEqual(
      triesOf("release").map((t) => t.ok),
      [true],
    );
    const [row] = await jobRows();
    assert.equal(row?.locked_by, null, "handed back for another runner");
    assert.equal(Number(row?.attempts), 0, "the interrupted attempt is not counted");
  });
});
