import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { sql } from "kysely";
import type { EnqueueOptions, JobQueue, JobStore } from "../../src/app/ports/jobs.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import type { Tx } from "../../src/app/ports/store.js";
import { HandlerRegistry } from "../../src/engine/handler-registry.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { openDatabase } from "../../src/store/open-database.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";

interface TestJobs {
  /** Holds its slot until the test lets it go (a send to a receiver that answers slowly). */
  "test.slow": { label: string };
  "test.page": { label: string };
}

const testQueue = (tx: Tx) => tx.jobs as unknown as JobQueue<TestJobs>;

describeEachDialect("the engine's urgent slots", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;
  let ran: string[];
  let releaseSlow: Array<() => void>;
  let registry: HandlerRegistry<TestJobs>;
  let runners: JobRunner[];
  let keepAlive: NodeJS.Timeout | undefined;

  const enqueue = <K extends keyof TestJobs & string>(
    kind: K,
    label: string,
    options: Partial<EnqueueOptions> = {},
  ) => store.run((tx) => testQueue(tx).enqueue(kind, { label }, { runAt: clock.now(), ...options }));

  /** A started runner whose poll sleeps a minute unless a test says otherwise: only wakes move it. */
  const startRunner = (jobs: JobStore, options: { pollMs?: number } = {}) => {
    const runner = new JobRunner(jobs, registry, clock, silentLogger, {
      concurrency: 2,
      urgentSlots: 1,
      pollMs: 60_000,
      ...options,
    });
    runners.push(runner);
    // The poll timer is unref'd and a held job holds nothing open: keep the test alive meanwhile.
    keepAlive ??= setInterval(() => undefined, 1_000);
    runner.start();
    return runner;
  };

  const labelOf = (payload: unknown) => (payload as { label: string }).label;

  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(async () => db.drop());

  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    await sql`delete from jobs`.execute(db.handle.db);
    ran = [];
    releaseSlow = [];
    runners = [];
    registry = new HandlerRegistry<TestJobs>()
      .register("test.slow", async ({ label }) => {
        await new Promise<void>((resolve) => releaseSlow.push(resolve));
        ran.push(label);
      })
      .register("test.page", async ({ label }) => void ran.push(label));
  });

  const stopAll = async () => {
    for (const release of releaseSlow) release();
    for (const runner of runners) await runner.stop({ deadlineMs: 1_000 });
    clearInterval(keepAlive);
    keepAlive = undefined;
  };

  describe("the claim", () => {
    const claimUrgentOnly = () =>
      store.jobs.claimDue({ now: clock.now(), limit: 10, leaseMs: MINUTE, workerId: "w", urgentOnly: true });

    it("urgent only: takes due urgent jobs oldest first, and nothing else", async () => {
      const t = clock.now().getTime();
      await enqueue("test.slow", "ordinary", { runAt: new Date(t - 3) });
      await enqueue("test.page", "urgent-second", { runAt: new Date(t - 1), urgent: true });
      await enqueue("test.page", "urgent-first", { runAt: new Date(t - 2), urgent: true });
      await enqueue("test.page", "urgent-later", { runAt: new Date(t + MINUTE), urgent: true });
      const waiting = async () => (await store.jobs.counts(clock.now())).urgentWaiting;
      assert.equal(await waiting(), 2, "the two urgent jobs that are due wait; the later one is not due yet");
      const claimed = await claimUrgentOnly();
      assert.equal(await waiting(), 0, "taken: no longer waiting");
      assert.deepEqual(
        claimed.map((job) => [labelOf(job.payload), job.urgent]),
        [
          ["urgent-first", true],
          ["urgent-second", true],
        ],
      );
      const rest = await store.jobs.claimDue({ now: clock.now(), limit: 10, leaseMs: MINUTE, workerId: "w" });
      assert.deepEqual(
        rest.map((job) => [labelOf(job.payload), job.urgent]),
        [["ordinary", false]],
        "the ordinary claim takes urgent and other jobs alike; the two claimed ones are leased",
      );
    });

    it("a keyed job re-armed takes the urgency of the newer enqueue", async () => {
      await enqueue("test.page", "v1", { key: "k", keyMode: "replace" });
      await enqueue("test.page", "v2", { key: "k", keyMode: "replace", urgent: true });
      const claimed = await claimUrgentOnly();
      assert.deepEqual(
        claimed.map((job) => labelOf(job.payload)),
        ["v2"],
      );
    });
  });

  describe("the running loop", () => {
    it("runs a page while slow jobs hold every ordinary slot and more wait", async () => {
      const runner = startRunner(store.jobs);
      try {
        for (const label of ["slow-1", "slow-2", "slow-3"]) await enqueue("test.slow", label);
        while (releaseSlow.length < 2) await new Promise((resolve) => setImmediate(resolve));
        const paged = runner.events.next("job:succeeded", ({ job }) => job.kind === "test.page");
        await enqueue("test.page", "page", { urgent: true });
        await paged;
        assert.deepEqual(ran, ["page"], "the slow jobs still hold their slots; slow-3 still waits");
        assert.equal(releaseSlow.length, 2);
      } finally {
        await stopAll();
      }
    });

    it("runs a page whose time comes while the ordinary slots are full, at the next poll", async () => {
      const runner = startRunner(store.jobs, { pollMs: 20 });
      try {
        await enqueue("test.page", "in five minutes", {
          runAt: new Date(clock.now().getTime() + 5 * MINUTE),
          urgent: true,
        });
        for (const label of ["slow-1", "slow-2", "slow-3"]) await enqueue("test.slow", label);
        while (releaseSlow.length < 2) await new Promise((resolve) => setImmediate(resolve));
        const paged = runner.events.next("job:succeeded", ({ job }) => job.kind === "test.page");
        // The escalation timer comes due; nothing is enqueued to wake the runner.
        clock.advance(5 * MINUTE);
        await paged;
        assert.deepEqual(ran, ["in five minutes"]);
      } finally {
        await stopAll();
      }
    });

    it("makes no claim of urgent jobs alone while the ordinary slots keep up", async () => {
      const urgentClaims: number[] = [];
      const counting: JobStore = {
        ...store.jobs,
        claimDue: async (args) => {
          const jobs = await store.jobs.claimDue(args);
          if (args.urgentOnly) urgentClaims.push(jobs.length);
          return jobs;
        },
      };
      registry = new HandlerRegistry<TestJobs>()
        .register("test.slow", async ({ label }) => void ran.push(label))
        .register("test.page", async ({ label }) => void ran.push(label));
      const runner = startRunner(counting);
      try {
        for (let i = 1; i <= 5; i++) {
          const done = runner.events.next("job:succeeded", ({ job }) => labelOf(job.payload) === `page-${i}`);
          await enqueue("test.page", `page-${i}`, { urgent: true });
          await done;
        }
        assert.deepEqual(ran, ["page-1", "page-2", "page-3", "page-4", "page-5"]);
        assert.deepEqual(urgentClaims, [], "the ordinary claim took each page: no statement more");
      } finally {
        await stopAll();
      }
    });

    if (dialect === "postgres") {
      it("hears another instance's urgent enqueue (NOTIFY) while its ordinary slots are full", async () => {
        if (db.location.kind !== "postgres") throw new Error("postgres only");
        const second = new KyselyStore(
          openDatabase({ kind: "postgres", url: db.location.url, poolSize: 4 }),
          () => clock.now(),
        );
        try {
          await second.listenForOtherInstances();
          const runner = startRunner(second.jobs);
          for (const label of ["slow-1", "slow-2", "slow-3"]) await enqueue("test.slow", label);
          while (releaseSlow.length < 2) await new Promise((resolve) => setImmediate(resolve));
          const paged = runner.events.next("job:succeeded", ({ job }) => job.kind === "test.page");
          await enqueue("test.page", "page from instance one", { urgent: true });
          await paged;
          assert.deepEqual(ran, ["page from instance one"]);
        } finally {
          await stopAll();
          await second.close();
        }
      });
    }
  });
});
