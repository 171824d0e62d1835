/**
 * The overdue gauge (firebreak_jobs_overdue, and `overdue` in GET /api/v1/system/jobs) read up to
 * 1,000 whole rows per scrape to count them. It is now one count in the database, over the very
 * predicate the watchdog's findOverdue uses: due longer than the overdue time ago, not failed, and
 * held by no live lease. Both counts must agree on every kind of row, on both databases.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import { readJobFigures } from "../../src/server/job-figures.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";

const OVERDUE_MS = 5 * MINUTE;

describeEachDialect("counting overdue jobs", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
  });
  after(async () => db.drop());
  beforeEach(async () => {
    await sql`delete from jobs`.execute(db.handle.db);
  });

  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  const enqueue = (runAt: Date) => store.run((tx) => tx.jobs.enqueue("sessions.purge", {}, { runAt }));
  /** Leases every due job that is free at `now`: each claim below finds the one just enqueued. */
  const claimAll = (now: Date, leaseMs: number) =>
    store.jobs.claimDue({ now, limit: 100, leaseMs, workerId: "worker-1" });

  /** The count, the watchdog's list, and the figures /metrics and the API read (with and without a statement limit). */
  const allCounts = async () => {
    const now = clock.now();
    const listed = await store.jobs.findOverdue({ now, overdueMs: OVERDUE_MS, limit: 10_000 });
    return {
      counted: await store.jobs.countOverdue({ now, overdueMs: OVERDUE_MS }),
      listed: listed.length,
      figures: (await readJobFigures(store, now, OVERDUE_MS)).overdue,
      figuresWithTimeout: (await readJobFigures(store, now, OVERDUE_MS, { statementTimeoutMs: 2_000 }))
        .overdue,
    };
  };

  it("counts overdue jobs nobody holds, and leaves out the leased, the failed and the not yet overdue", async () => {
    // Failed for good: people see it among the failed, not the overdue.
    await enqueue(ago(10 * MINUTE));
    const [failing] = await claimAll(clock.now(), MINUTE);
    assert.ok(failing);
    assert.ok(
      await store.jobs.fail({ id: failing.id, workerId: "worker-1", now: clock.now(), error: "HTTP 400" }),
    );
    // Leased now, for a minute more: a live lease, however late the job.
    await enqueue(ago(10 * MINUTE));
    assert.equal((await claimAll(clock.now(), MINUTE)).length, 1);
    // A lease that ends right now still holds (as the claim sees it).
    await enqueue(ago(10 * MINUTE));
    assert.equal((await claimAll(ago(MINUTE), MINUTE)).length, 1);
    // Leased two minutes ago for 30 s: the lease ran out, so it is overdue again.
    await enqueue(ago(10 * MINUTE));
    assert.equal((await claimAll(ago(2 * MINUTE), 30 * SECOND)).length, 1);

    await enqueue(ago(10 * MINUTE)); // overdue, free
    await enqueue(ago(OVERDUE_MS + 1)); // overdue by a millisecond
    await enqueue(ago(OVERDUE_MS)); // due exactly the overdue time ago: not yet
    await enqueue(ago(MINUTE)); // due, not overdue
    await enqueue(new Date(clock.now().getTime() + MINUTE)); // not due

    assert.deepEqual(await allCounts(), { counted: 3, listed: 3, figures: 3, figuresWithTimeout: 3 });
  });

  it("counts none in an empty queue", async () => {
    assert.deepEqual(await allCounts(), { counted: 0, listed: 0, figures: 0, figuresWithTimeout: 0 });
  });

  it("counts past the thousand rows the gauge used to read", async () => {
    const runAt = ago(10 * MINUTE);
    await store.run((tx) =>
      tx.jobs.enqueueMany(
        Array.from({ length: 1_200 }, () => ({
          kind: "sessions.purge" as const,
          payload: {},
          options: { runAt },
        })),
      ),
    );
    const now = clock.now();
    assert.equal(await store.jobs.countOverdue({ now, overdueMs: OVERDUE_MS }), 1_200);
    assert.equal(
      (await readJobFigures(store, now, OVERDUE_MS, { statementTimeoutMs: 2_000 })).overdue,
      1_200,
    );
  });
});
