import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { sql } from "kysely";
import type { JobQueue } from "../../src/app/ports/jobs.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import type { Tx } from "../../src/app/ports/store.js";
import { EngineEvents } from "../../src/engine/events.js";
import { HandlerRegistry, PermanentJobError, type JobHandler } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { Watchdog } from "../../src/engine/watchdog.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

/** Job kinds of these tests only; the engine is generic over the payload map. */
interface TestJobs {
  "test.record": { label: string };
  "test.flaky": { failures: number; label: string };
  "test.held": { label: string };
  /** Done, but writing its outcome fails every time (see retry-decision's recordPending). */
  "test.unrecorded": Record<string, never>;
  "test.permanent": Record<string, never>;
  "test.bump": { counter: string; version: number };
  /** Enqueued but never registered: a kind from a newer version of Firebreak. */
  "future.kind": Record<string, never>;
}

describeEachDialect("job engine", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;
  let ran: string[];
  let attemptsByLabel: Map<string, number>;
  let registry: HandlerRegistry<TestJobs>;
  let heldUntilMs = 0;

  const runner = (options: { workerId?: string; leaseMs?: number; random?: () => number } = {}) =>
    new JobRunner(store.jobs, registry, clock, silentLogger, { concurrency: 4, random: () => 0, ...options });

  const enqueue = <K extends keyof TestJobs & string>(
    kind: K,
    payload: TestJobs[K],
    runAt = clock.now(),
    key?: string,
    keyMode?: "replace" | "keep-earliest",
  ) =>
    store.run((tx) =>
      testQueue(tx).enqueue(kind, payload, { runAt, ...(key && { key }), ...(keyMode && { keyMode }) }),
    );

  // A handler fenced by a version number: it applies only when the row still holds the version it expects.
  const bumpHandler: JobHandler<TestJobs["test.bump"]> = async ({ counter, version }) => {
    await sql`update test_counters set value = value + 1, version = version + 1 where id = ${counter} and version = ${version}`.execute(
      db.handle.db,
    );
  };

  before(async () => {
    db = await createFreshDatabase(dialect);
    await sql`create table test_counters (id text primary key, value integer not null, version integer not null)`.execute(
      db.handle.db,
    );
  });
  after(async () => db.drop());

  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    await sql`delete from jobs`.execute(db.handle.db);
    ran = [];
    attemptsByLabel = new Map();
    registry = new HandlerRegistry<TestJobs>()
      .register("test.record", async ({ label }) => void ran.push(label))
      .register("test.flaky", async ({ failures, label }, { attempt }) => {
        attemptsByLabel.set(label, attempt);
        if (attempt <= failures) throw new Error(`receiver answered 503 (attempt ${attempt})`);
        ran.push(label);
      })
      // Held back without being tried (a receiver's breaker is open) until `heldUntil`.
      .register("test.held", async ({ label }, { attempt, now }) => {
        attemptsByLabel.set(label, attempt);
        if (now.getTime() < heldUntilMs)
          throw Object.assign(new Error("not tried: the last 5 sends got no answer"), {
            notAttempted: true,
            retryAfterSeconds: 300,
          });
        ran.push(label);
      })
      .register("test.unrecorded", async () => {
        throw Object.assign(new Error("sent, but recording it failed: database is locked"), {
          recordPending: true,
        });
      })
      .register("test.permanent", async () => {
        throw new PermanentJobError("receiver answered 400: invalid webhook URL");
      })
      .register("test.bump", bumpHandler);
  });

  it("runs a due job once and deletes it", async () => {
    await enqueue("test.record", { label: "a" });
    assert.deepEqual(await runner().runDueOnce(), { succeeded: 1, retried: 0, failed: 0 });
    assert.deepEqual(ran, ["a"]);
    assert.deepEqual(await runner().runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });
    assert.deepEqual(await store.jobs.counts(clock.now()), {
      queued: 0,
      running: 0,
      failed: 0,
      urgentWaiting: 0,
    });
  });

  it("never runs a job enqueued in a rolled-back transaction", async () => {
    await assert.rejects(
      store.run(async (tx) => {
        await testQueue(tx).enqueue("test.record", { label: "ghost" }, { runAt: clock.now() });
        throw new Error("the change failed");
      }),
    );
    clock.advance(MINUTE);
    await runner().runDueOnce();
    assert.deepEqual(ran, []);
  });

  it("waits for a job's run time", async () => {
    await enqueue("test.record", { label: "later" }, new Date(clock.now().getTime() + 5 * MINUTE));
    await runner().runDueOnce();
    assert.deepEqual(ran, []);
    clock.advance(5 * MINUTE - 1);
    await runner().runDueOnce();
    assert.deepEqual(ran, []);
    clock.advance(1);
    await runner().runDueOnce();
    assert.deepEqual(ran, ["later"]);
  });

  it("runs due jobs in run-time order", async () => {
    const t = clock.now().getTime();
    await enqueue("test.record", { label: "third" }, new Date(t + 3));
    await enqueue("test.record", { label: "first" }, new Date(t + 1));
    await enqueue("test.record", { label: "second" }, new Date(t + 2));
    clock.advance(10);
    await new JobRunner(store.jobs, registry, clock, silentLogger, { concurrency: 1 }).runDueOnce();
    assert.deepEqual(ran, ["first", "second", "third"]);
  });

  describe("job keys", () => {
    it("replace: the newer run time and payload win", async () => {
      const t = clock.now().getTime();
      await enqueue("test.record", { label: "old" }, new Date(t + MINUTE), "timer:1", "replace");
      await enqueue("test.record", { label: "new" }, new Date(t + 10 * MINUTE), "timer:1", "replace");
      clock.advance(MINUTE);
      await runner().runDueOnce();
      assert.deepEqual(ran, []);
      clock.advance(9 * MINUTE);
      await runner().runDueOnce();
      assert.deepEqual(ran, ["new"]);
    });

    it("keep-earliest: the earlier run time stays, the newer payload wins", async () => {
      const t = clock.now().getTime();
      await enqueue("test.record", { label: "old" }, new Date(t + MINUTE), "timer:2", "keep-earliest");
      await enqueue("test.record", { label: "new" }, new Date(t + 10 * MINUTE), "timer:2", "keep-earliest");
      clock.advance(MINUTE);
      await runner().runDueOnce();
      assert.deepEqual(ran, ["new"]);
      clock.advance(10 * MINUTE);
      await runner().runDueOnce();
      assert.deepEqual(ran, ["new"], "only one job existed under the key");
    });

    it("a job re-armed under its key while running queues a new one beside it", async () => {
      await enqueue("test.record", { label: "running" }, clock.now(), "timer:3");
      const claimed = await store.jobs.claimDue({
        now: clock.now(),
        limit: 10,
        leaseMs: MINUTE,
        workerId: "w1",
      });
      assert.equal(claimed.length, 1);
      await enqueue(
        "test.record",
        { label: "next" },
        new Date(clock.now().getTime() + MINUTE),
        "timer:3",
        "replace",
      );
      assert.equal(await store.jobs.complete({ id: claimed[0]!.id, workerId: "w1" }), true);
      clock.advance(MINUTE);
      await runner().runDueOnce();
      assert.deepEqual(ran, ["next"]);
    });
  });

  describe("leases", () => {
    it("runs a job again after its worker died, and the handler's fence makes the second run harmless", async () => {
      await sql`insert into test_counters (id, value, version) values ('c1', 0, 7)`.execute(db.handle.db);
      await enqueue("test.bump", { counter: "c1", version: 7 });

      // Worker A claims the job, does the work, and dies before marking it complete.
      const [claimed] = await store.jobs.claimDue({
        now: clock.now(),
        limit: 1,
        leaseMs: 30 * SECOND,
        workerId: "worker-a",
      });
      assert.ok(claimed);
      await bumpHandler(
        { counter: "c1", version: 7 },
        {
          jobId: claimed.id,
          kind: claimed.kind,
          key: null,
          attempt: 1,
          maxAttempts: 25,
          enqueuedAt: claimed.createdAt,
          now: clock.now(),
          logger: silentLogger,
        },
      );

      // While the lease holds, nobody else takes it.
      const b = runner({ workerId: "worker-b", leaseMs: 30 * SECOND });
      assert.deepEqual(await b.runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });

      clock.advance(31 * SECOND);
      assert.deepEqual(await b.runDueOnce(), { succeeded: 1, retried: 0, failed: 0 });
      const row = await sql<{
        value: number;
        version: number;
      }>`select value, version from test_counters where id = 'c1'`.execute(db.handle.db);
      assert.deepEqual(
        row.rows.map((r) => [Number(r.value), Number(r.version)]),
        [[1, 8]],
      );

      // Worker A's late completion is refused: the job is no longer its own.
      assert.equal(await store.jobs.complete({ id: claimed.id, workerId: "worker-a" }), false);
    });

    it("counts an attempt whose lease expired", async () => {
      await enqueue("test.record", { label: "x" });
      await store.jobs.claimDue({ now: clock.now(), limit: 1, leaseMs: SECOND, workerId: "dead" });
      clock.advance(2 * SECOND);
      const [again] = await store.jobs.claimDue({
        now: clock.now(),
        limit: 1,
        leaseMs: SECOND,
        workerId: "alive",
      });
      assert.equal(again?.attempts, 2);
    });
  });

  describe("failures", () => {
    it("retries with exponential backoff and then succeeds", async () => {
      const events = new EngineEvents();
      const retryTimes: number[] = [];
      events.on("job:retried", ({ runAt }) => retryTimes.push(runAt.getTime() - clock.now().getTime()));
      const r = new JobRunner(
        store.jobs,
        registry,
        clock,
        silentLogger,
        { random: () => 0, backoff: { baseMs: 1_000, capMs: 60_000 } },
        events,
      );
      await enqueue("test.flaky", { failures: 3, label: "flaky" });

      assert.deepEqual(await r.runDueOnce(), { succeeded: 0, retried: 1, failed: 0 });
      clock.advance(499);
      assert.deepEqual(
        await r.runDueOnce(),
        { succeeded: 0, retried: 0, failed: 0 },
        "not before its backoff",
      );
      clock.advance(1);
      assert.deepEqual(await r.runDueOnce(), { succeeded: 0, retried: 1, failed: 0 });
      clock.advance(1_000);
      assert.deepEqual(await r.runDueOnce(), { succeeded: 0, retried: 1, failed: 0 });
      clock.advance(2_000);
      assert.deepEqual(await r.runDueOnce(), { succeeded: 1, retried: 0, failed: 0 });
      // Equal jitter with random 0 gives half of base·2^(n-1): 500, 1000, 2000 ms.
      assert.deepEqual(retryTimes, [500, 1_000, 2_000]);
      assert.deepEqual(ran, ["flaky"]);
      assert.equal(attemptsByLabel.get("flaky"), 4);
    });

    it("records a permanent failure with its reason and does not retry it", async () => {
      await enqueue("test.permanent", {});
      assert.deepEqual(await runner().runDueOnce(), { succeeded: 0, retried: 0, failed: 1 });
      clock.advance(24 * 60 * MINUTE);
      assert.deepEqual(await runner().runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });
      const rows = await db.handle.db.selectFrom("jobs").select(["last_error", "failed_at"]).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.last_error, "receiver answered 400: invalid webhook URL");
      assert.notEqual(rows[0]!.failed_at, null);
      assert.deepEqual(await store.jobs.counts(clock.now()), {
        queued: 0,
        running: 0,
        failed: 1,
        urgentWaiting: 0,
      });
    });

    it("gives up after the job's maximum attempts", async () => {
      await store.run((tx) =>
        testQueue(tx).enqueue(
          "test.flaky",
          { failures: 99, label: "doomed" },
          { runAt: clock.now(), maxAttempts: 2 },
        ),
      );
      await runner().runDueOnce();
      clock.advance(MINUTE);
      assert.deepEqual(await runner().runDueOnce(), { succeeded: 0, retried: 0, failed: 1 });
      const [row] = await db.handle.db.selectFrom("jobs").select("last_error").execute();
      assert.match(row!.last_error ?? "", /^gave up after 2 attempts: receiver answered 503/);
    });

    it("a send held back without being tried does not use up an attempt", async () => {
      heldUntilMs = clock.now().getTime() + 2 * 60 * MINUTE;
      await store.run((tx) =>
        testQueue(tx).enqueue("test.held", { label: "held" }, { runAt: clock.now(), maxAttempts: 2 }),
      );
      let heldBackRuns = 0;
      while (ran.length === 0 && heldBackRuns < 100) {
        const summary = await runner().runDueOnce();
        if (summary.retried === 1) heldBackRuns++;
        assert.equal(summary.failed, 0, "an outage of two hours fails nothing");
        clock.advance(5 * MINUTE);
      }
      assert.deepEqual(ran, ["held"]);
      assert.ok(heldBackRuns >= 20, `held back ${heldBackRuns} times`);
      assert.equal(attemptsByLabel.get("held"), 1, "every held-back run gave its attempt back");
    });

    it("a held-back send counts as an attempt again a day after it was enqueued", async () => {
      heldUntilMs = Number.MAX_SAFE_INTEGER;
      await store.run((tx) =>
        testQueue(tx).enqueue("test.held", { label: "never" }, { runAt: clock.now(), maxAttempts: 2 }),
      );
      let failedAtMs: number | undefined;
      const enqueuedAtMs = clock.now().getTime();
      for (let i = 0; i < 400 && failedAtMs === undefined; i++) {
        if ((await runner().runDueOnce()).failed === 1) failedAtMs = clock.now().getTime();
        clock.advance(5 * MINUTE);
      }
      assert.ok(failedAtMs !== undefined, "it gave up in the end");
      assert.ok(failedAtMs - enqueuedAtMs >= 24 * 60 * MINUTE, "not within the day");
      const [row] = await db.handle.db.selectFrom("jobs").select("last_error").execute();
      assert.match(row!.last_error ?? "", /^gave up after 2 attempts: not tried/);
    });

    it("an outcome whose record keeps failing waits longer as the job ages, and never fails", async () => {
      const events = new EngineEvents();
      const waitsMs: number[] = [];
      events.on("job:retried", ({ runAt }) => waitsMs.push(runAt.getTime() - clock.now().getTime()));
      const r = new JobRunner(
        store.jobs,
        registry,
        clock,
        silentLogger,
        { random: () => 0, backoff: { baseMs: 1_000, capMs: 60 * MINUTE } },
        events,
      );
      await store.run((tx) =>
        testQueue(tx).enqueue("test.unrecorded", {}, { runAt: clock.now(), maxAttempts: 2 }),
      );
      for (let run = 0; run < 28; run++) {
        assert.deepEqual(await r.runDueOnce(), { succeeded: 0, retried: 1, failed: 0 });
        clock.advance(waitsMs.at(-1)!);
      }
      // Half a second at first, as before; then a quarter to all of the job's age (random 0: the
      // quarter end), doubling every second run up to the cap, rather than half a second each time.
      assert.deepEqual(waitsMs.slice(0, 8), [500, 500, 500, 500, 1_000, 1_000, 2_000, 2_000]);
      assert.equal(waitsMs.at(-1), 30 * MINUTE);
      assert.ok(
        waitsMs.every((ms, i) => i === 0 || ms >= waitsMs[i - 1]!),
        `waits grow: ${waitsMs.join(", ")}`,
      );
    });

    it("a kind this instance does not know is retried, not lost", async () => {
      await store.run((tx) => testQueue(tx).enqueue("future.kind", {}, { runAt: clock.now() }));
      assert.deepEqual(await runner().runDueOnce(), { succeeded: 0, retried: 1, failed: 0 });
      assert.deepEqual(await store.jobs.counts(clock.now()), {
        queued: 1,
        running: 0,
        failed: 0,
        urgentWaiting: 0,
      });
    });
  });

  describe("watchdog", () => {
    it("reports a job overdue by more than the threshold", async () => {
      const events = new EngineEvents();
      const watchdog = new Watchdog(store.jobs, clock, silentLogger, events, { overdueMs: 5 * MINUTE });
      await enqueue("test.record", { label: "stuck" });
      clock.advance(5 * MINUTE);
      assert.deepEqual(await watchdog.checkOnce(), [], "not overdue at exactly the threshold");
      clock.advance(1);
      const reported = events.next("watchdog:checked");
      const overdue = await watchdog.checkOnce();
      assert.deepEqual(
        overdue.map((j) => j.kind),
        ["test.record"],
      );
      assert.equal((await reported).overdue.length, 1);
      assert.equal(watchdog.lastOverdueCount, 1);
    });

    it("does not report a job that a live lease holds", async () => {
      const watchdog = new Watchdog(store.jobs, clock, silentLogger, new EngineEvents(), {
        overdueMs: MINUTE,
      });
      await enqueue("test.record", { label: "slow" });
      clock.advance(2 * MINUTE);
      await store.jobs.claimDue({ now: clock.now(), limit: 1, leaseMs: 10 * MINUTE, workerId: "busy" });
      assert.deepEqual(await watchdog.checkOnce(), []);
    });
  });

  describe("the running loop", () => {
    it("is woken by an enqueue instead of waiting for its poll", async () => {
      const r = new JobRunner(store.jobs, registry, clock, silentLogger, { pollMs: 60_000 });
      const idle = r.events.next("runner:idle");
      r.start();
      try {
        await idle;
        const done = r.events.next("job:succeeded");
        await enqueue("test.record", { label: "nudged" });
        await done;
        assert.deepEqual(ran, ["nudged"]);
      } finally {
        await r.stop();
      }
    });

    it("while many jobs run, claims again once a quarter of its slots are free", async () => {
      const gates = new Map<string, () => void>();
      registry = new HandlerRegistry<TestJobs>().register("test.record", async ({ label }) => {
        if (label.startsWith("hold")) await new Promise<void>((resolve) => gates.set(label, resolve));
        ran.push(label);
      });
      const r = new JobRunner(store.jobs, registry, clock, silentLogger, { concurrency: 8, pollMs: 60_000 });
      const claimedLabels: string[] = [];
      r.events.on(
        "job:claimed",
        ({ job }) => void claimedLabels.push((job.payload as { label: string }).label),
      );
      for (let i = 1; i <= 8; i++) await enqueue("test.record", { label: `hold-${i}` });
      r.start();
      try {
        while (gates.size < 8) await new Promise((resolve) => setImmediate(resolve));
        const firstDone = r.events.next("job:succeeded");
        gates.get("hold-1")!();
        await firstDone;
        await enqueue("test.record", { label: "next" });
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
        assert.equal(claimedLabels.includes("next"), false, "one free slot of eight: not worth a claim");
        const nextDone = r.events.next(
          "job:succeeded",
          ({ job }) => (job.payload as { label: string }).label === "next",
        );
        gates.get("hold-2")!();
        await nextDone;
        assert.ok(ran.includes("next"));
      } finally {
        for (const release of gates.values()) release();
        await r.stop();
      }
    });

    it("claims at each poll even while hung jobs hold most of its slots", async () => {
      registry = new HandlerRegistry<TestJobs>().register("test.record", async ({ label }) => {
        if (label.startsWith("hung")) await new Promise<void>(() => undefined);
        ran.push(label);
      });
      const r = new JobRunner(store.jobs, registry, clock, silentLogger, { concurrency: 8, pollMs: 50 });
      let claims = 0;
      r.events.on("job:claimed", () => void claims++);
      for (let i = 1; i <= 7; i++) await enqueue("test.record", { label: `hung-${i}` });
      // The runner's poll timer is unref'd and hung jobs hold nothing open: keep the test alive.
      const keepAlive = setInterval(() => undefined, 1_000);
      r.start();
      try {
        while (claims < 7) await new Promise((resolve) => setImmediate(resolve));
        const done = r.events.next("job:succeeded");
        await enqueue("test.record", { label: "after the hung ones" });
        await done;
        assert.deepEqual(ran, ["after the hung ones"]);
      } finally {
        await r.stop({ deadlineMs: 10 });
        clearInterval(keepAlive);
      }
    });

    it("finishes a running job before it stops", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      registry = new HandlerRegistry<TestJobs>().register("test.record", async ({ label }) => {
        await gate;
        ran.push(label);
      });
      const r = new JobRunner(store.jobs, registry, clock, silentLogger, { pollMs: 60_000 });
      r.start();
      const claimed = r.events.next("job:claimed");
      await enqueue("test.record", { label: "in-flight" });
      await claimed;
      const stopped = r.stop({ deadlineMs: 60_000 });
      release();
      await stopped;
      assert.deepEqual(ran, ["in-flight"]);
      assert.deepEqual(await store.jobs.counts(clock.now()), {
        queued: 0,
        running: 0,
        failed: 0,
        urgentWaiting: 0,
      });
    });

    it("hands an unfinished job back when the shutdown deadline passes", async () => {
      registry = new HandlerRegistry<TestJobs>().register(
        "test.record",
        () => new Promise<void>(() => undefined),
      );
      const r = new JobRunner(store.jobs, registry, clock, silentLogger, { pollMs: 60_000 });
      r.start();
      const claimed = r.events.next("job:claimed");
      await enqueue("test.record", { label: "never-ends" });
      await claimed;
      await r.stop({ deadlineMs: 20 });
      const [row] = await db.handle.db.selectFrom("jobs").select(["locked_by", "attempts"]).execute();
      assert.equal(row!.locked_by, null, "released for another worker");
      assert.equal(Number(row!.attempts), 0, "the interrupted attempt is not counted");
    });
  });

  if (dialect === "postgres") {
    describe("several instances on one PostgreSQL", () => {
      it("runs each of many jobs exactly once across two runners", async () => {
        const second = await openSecondStore(db, clock);
        try {
          const runs = new Map<string, number>();
          const counting = new HandlerRegistry<TestJobs>().register("test.record", async ({ label }) => {
            runs.set(label, (runs.get(label) ?? 0) + 1);
          });
          const total = 400;
          await store.run(async (tx) => {
            for (let i = 0; i < total; i++) {
              await testQueue(tx).enqueue("test.record", { label: `job-${i}` }, { runAt: clock.now() });
            }
          });
          const a = new JobRunner(store.jobs, counting, clock, silentLogger, {
            workerId: "a",
            concurrency: 8,
          });
          const b = new JobRunner(second.jobs, counting, clock, silentLogger, {
            workerId: "b",
            concurrency: 8,
          });
          const [ra, rb] = await Promise.all([a.runDueOnce(), b.runDueOnce()]);
          assert.equal(ra.succeeded + rb.succeeded, total);
          assert.ok(
            ra.succeeded > 0 && rb.succeeded > 0,
            `both runners took work (a=${ra.succeeded}, b=${rb.succeeded})`,
          );
          assert.equal(runs.size, total);
          assert.deepEqual([...new Set(runs.values())], [1]);
        } finally {
          await second.close();
        }
      });

      /** A started runner on another instance's store whose poll sleeps a minute: only NOTIFY wakes it. */
      const listeningRunner = async (via?: TcpProxy) => {
        const second = await openSecondStore(db, clock, via);
        await second.listenForOtherInstances();
        const runner = new JobRunner(second.jobs, registry, clock, silentLogger, { pollMs: 60_000 });
        const idle = runner.events.next("runner:idle");
        runner.start();
        return { second, runner, idle };
      };

      it("wakes another instance through LISTEN/NOTIFY", async () => {
        const { second, runner: r, idle } = await listeningRunner();
        try {
          // Once the loop has found nothing and sleeps for a minute, only NOTIFY can wake it.
          await idle;
          const done = r.events.next("job:succeeded");
          await enqueue("test.record", { label: "from-instance-one" });
          await done;
          assert.deepEqual(ran, ["from-instance-one"]);
        } finally {
          await r.stop();
          await second.close();
        }
      });

      it(
        "hears NOTIFY again once its lost connection to the database is back",
        { timeout: 30_000 },
        async () => {
          const proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
          const { second, runner: r, idle } = await listeningRunner(proxy);
          try {
            await idle;
            proxy.down();
            // A reconnect attempt failed while the database could not be reached: keep trying.
            await waitFor(() => proxy.refused >= 1, { timeoutMs: 10_000 });
            const done = r.events.next("job:succeeded");
            await enqueue("test.record", { label: "enqueued-during-the-outage" });
            proxy.up();
            // The poll sleeps a minute: only the listener, back, can wake the runner.
            await done;
            assert.deepEqual(ran, ["enqueued-during-the-outage"]);
          } finally {
            await r.stop();
            await second.close();
            await proxy.close();
          }
        },
      );
    });
  }
});

/** The transaction's queue, typed for this file's job kinds. */
const testQueue = (tx: Tx) => tx.jobs as unknown as JobQueue<TestJobs>;

/** Another instance's store on the same PostgreSQL database; through the proxy `via` if given. */
async function openSecondStore(fresh: FreshDatabase, clock: FakeClock, via?: TcpProxy): Promise<KyselyStore> {
  const { openDatabase } = await import("../../src/store/open-database.js");
  if (fresh.location.kind !== "postgres") throw new Error("postgres only");
  const url = via ? via.through(fresh.location.url) : fresh.location.url;
  return new KyselyStore(openDatabase({ kind: "postgres", url, poolSize: 10 }), () => clock.now());
}
