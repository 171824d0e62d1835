/**
 * A handler that outlasts the lease (a slow receiver with retries inside, a long database wait) must
 * not be claimed and run again by another engine: its runner renews the lease while it runs. A
 * runner that stalled past its lease learns that it lost it, and a renewal that fails harms nothing.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import type { JobQueue, JobStore } from "../../src/app/ports/jobs.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import { AppError } from "../../src/core/errors.js";
import { HandlerRegistry } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, SECOND } from "../support/fake-clock.js";

interface TestJobs {
  /** The first run of "page" waits until the test lets it finish; every other run finishes at once. */
  "test.slow": { label: string };
}

const LEASE_MS = 30 * SECOND;

describeEachDialect("renewing the lease of a running job", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;
  let runs: string[];
  let finishFirstRun: () => void;
  let firstRunFinished: Promise<void>;
  let runners: JobRunner[];
  // The runners' timers are unref'd and a waiting handler holds nothing open: keep the test alive.
  let keepAlive: NodeJS.Timeout;

  const registry = () =>
    new HandlerRegistry<TestJobs>().register("test.slow", async ({ label }, { attempt }) => {
      runs.push(`${label} (attempt ${attempt})`);
      if (label === "page" && attempt === 1) await firstRunFinished;
    });
  /** A running engine that polls rarely: the test decides when the others look. */
  const engine = (workerId: string, jobs: JobStore = store.jobs) => {
    const runner = new JobRunner(jobs, registry(), clock, silentLogger, {
      workerId,
      leaseMs: LEASE_MS,
      pollMs: 3_600_000,
    });
    runners.push(runner);
    return runner;
  };
  const enqueue = (label: string) =>
    store.run((tx) =>
      (tx.jobs as unknown as JobQueue<TestJobs>).enqueue("test.slow", { label }, { runAt: clock.now() }),
    );
  const lockedBy = async () => {
    const row = await db.handle.db.selectFrom("jobs").select("locked_by").executeTakeFirst();
    return row?.locked_by;
  };

  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(async () => db.drop());
  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    await sql`delete from jobs`.execute(db.handle.db);
    runs = [];
    runners = [];
    firstRunFinished = new Promise<void>((resolve) => (finishFirstRun = resolve));
    keepAlive = setInterval(() => undefined, 60_000);
  });
  afterEach(async () => {
    finishFirstRun();
    for (const runner of runners) await runner.stop({ deadlineMs: 1_000 });
    clearInterval(keepAlive);
  });

  /** Starts engine A and waits until it runs the slow job. */
  const startSlowJobOn = async (a: JobRunner) => {
    const claimed = a.events.next("job:claimed");
    a.start();
    await enqueue("page");
    await claimed;
    while (runs.length === 0) await new Promise((resolve) => setImmediate(resolve));
  };

  it("another engine polling after the original lease does not take a job whose handler still runs", async () => {
    const a = engine("engine-a");
    await startSlowJobOn(a);

    // Two ticks of a third of the lease each: the handler now runs past the lease it was claimed with.
    clock.advance(LEASE_MS / 3);
    assert.equal(await a.renewLeases(), 1);
    clock.advance(LEASE_MS / 3);
    assert.equal(await a.renewLeases(), 1);
    clock.advance(LEASE_MS / 3 + SECOND);

    const b = engine("engine-b");
    assert.deepEqual(await b.runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });
    assert.equal(await lockedBy(), "engine-a");

    const done = a.events.next("job:succeeded");
    finishFirstRun();
    await done;
    assert.deepEqual(runs, ["page (attempt 1)"], "sent once");
    assert.equal(await lockedBy(), undefined, "A's completion deleted the row: its lease held");
  });

  it("a runner whose lease was taken while it stalled learns it, and its late outcome is refused", async () => {
    const a = engine("engine-a");
    const lost = a.events.next("lease:lost");
    const refused = a.events.next("job:lease-lost");
    await startSlowJobOn(a);

    // A does not renew in time (its process stalled); B takes the job after the lease.
    clock.advance(LEASE_MS + SECOND);
    const b = engine("engine-b");
    assert.deepEqual(await b.runDueOnce(), { succeeded: 1, retried: 0, failed: 0 });
    assert.deepEqual(runs, ["page (attempt 1)", "page (attempt 2)"]);

    assert.equal(await a.renewLeases(), 0, "the fenced renewal updates nothing");
    assert.equal((await lost).workerId, "engine-a");
    finishFirstRun();
    await refused;
  });

  it("a runner late to renew (after a stall) renews before it claims, not taking its own running job", async () => {
    const a = engine("engine-a");
    await startSlowJobOn(a);
    clock.advance(LEASE_MS + SECOND);

    const otherDone = a.events.next("job:succeeded");
    await enqueue("other");
    await otherDone;

    assert.deepEqual(runs, ["page (attempt 1)", "other (attempt 1)"]);
    const row = await db.handle.db
      .selectFrom("jobs")
      .select(["locked_by", "locked_until", "attempts"])
      .executeTakeFirst();
    assert.deepEqual(
      { by: row?.locked_by, untilMs: Number(row?.locked_until), attempts: Number(row?.attempts) },
      { by: "engine-a", untilMs: clock.now().getTime() + LEASE_MS, attempts: 1 },
      "renewed, not claimed again",
    );
  });

  it("a runner that claims a job it is still running (its renewals failed) does not run it twice", async () => {
    const failing: JobStore = {
      ...store.jobs,
      renewLeases: async () => {
        throw new AppError("UNAVAILABLE", "connection refused");
      },
    };
    const a = engine("engine-a", failing);
    await startSlowJobOn(a);
    clock.advance(LEASE_MS + SECOND);

    const otherDone = a.events.next("job:succeeded");
    await enqueue("other");
    await otherDone;
    assert.deepEqual(runs, ["page (attempt 1)", "other (attempt 1)"]);

    const pageDone = a.events.next("job:succeeded");
    finishFirstRun();
    await pageDone;
    assert.deepEqual(runs, ["page (attempt 1)", "other (attempt 1)"], "sent once");
    assert.equal(await lockedBy(), undefined, "completed under the new claim's lease");
  });

  it("a runner that claims a job whose outcome it is still writing does not run it again", async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let gateReached!: () => void;
    const reached = new Promise<void>((resolve) => (gateReached = resolve));
    let gated = false;
    const slowOutcome: JobStore = {
      ...store.jobs,
      // The first outcome write (the page's) hangs past the lease, as on a database that stalls.
      complete: async (args) => {
        if (!gated) {
          gated = true;
          gateReached();
          await gate;
        }
        return store.jobs.complete(args);
      },
    };
    const a = engine("engine-a", slowOutcome);
    await startSlowJobOn(a);
    finishFirstRun();
    await reached;
    clock.advance(LEASE_MS + SECOND);

    const otherDone = a.events.next("job:succeeded");
    await enqueue("other");
    await otherDone;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(runs, ["page (attempt 1)", "other (attempt 1)"], "the page is not sent again");

    openGate();
    await a.events.next("job:succeeded");
    assert.equal(await lockedBy(), undefined, "the outcome write took the row under the new claim");
  });

  it("a renewal that fails (the database is away) throws nowhere, and the next one renews", async () => {
    let failRenewals = true;
    const flaky: JobStore = {
      ...store.jobs,
      renewLeases: async (args) => {
        if (failRenewals) throw new AppError("UNAVAILABLE", "connection refused");
        return store.jobs.renewLeases(args);
      },
    };
    const a = engine("engine-a", flaky);
    const errors: unknown[] = [];
    a.events.on("runner:error", ({ error }) => errors.push(error));
    await startSlowJobOn(a);

    clock.advance(LEASE_MS / 3);
    assert.equal(await a.renewLeases(), 0);
    assert.equal(errors.length, 1, "reported as a runner error");
    failRenewals = false;
    assert.equal(await a.renewLeases(), 1);

    const done = a.events.next("job:succeeded");
    finishFirstRun();
    await done;
    assert.deepEqual(runs, ["page (attempt 1)"]);
  });
});
