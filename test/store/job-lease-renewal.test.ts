/**
 * A runner renews the leases of the jobs it is running in one statement per tick. Each lease is
 * fenced by the worker and the locked_until it last wrote: leases of other workers, a lease taken
 * over after it ran out, and jobs already finished or handed back are left alone.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import type { JobRecord } from "../../src/app/ports/jobs.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, SECOND } from "../support/fake-clock.js";

const LEASE_MS = 30 * SECOND;

describeEachDialect("renewing job leases", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let clock: FakeClock;

  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(async () => db.drop());
  beforeEach(async () => {
    clock = new FakeClock();
    store = new KyselyStore(db.handle, () => clock.now());
    await sql`delete from jobs`.execute(db.handle.db);
  });

  const enqueue = () => store.run((tx) => tx.jobs.enqueue("sessions.purge", {}, { runAt: clock.now() }));
  const claim = async (workerId: string, limit = 1) => {
    const jobs = await store.jobs.claimDue({ now: clock.now(), limit, leaseMs: LEASE_MS, workerId });
    assert.equal(jobs.length, limit, `${workerId} claimed ${limit}`);
    return jobs;
  };
  const fence = (job: JobRecord) => ({ id: job.id, lockedUntil: job.lockedUntil! });
  const lease = async (id: string) => {
    const row = await db.handle.db
      .selectFrom("jobs")
      .select(["locked_by", "locked_until"])
      .where("id", "=", Number(id))
      .executeTakeFirst();
    return row && { by: row.locked_by, untilMs: row.locked_until === null ? null : Number(row.locked_until) };
  };
  const renew = (workerId: string, leases: Array<{ id: string; lockedUntil: Date }>) =>
    store.jobs.renewLeases({ leases, workerId, now: clock.now(), leaseMs: LEASE_MS });

  it("extends only the caller's own leases, all in one call, to now + the lease", async () => {
    for (let i = 0; i < 3; i++) await enqueue();
    const mine = await claim("worker-a", 2);
    const [theirs] = await claim("worker-b");
    const claimedUntilMs = clock.now().getTime() + LEASE_MS;

    clock.advance(10 * SECOND);
    // Worker A also names B's job (with B's own fence): it is not A's to renew.
    const renewed = await renew("worker-a", [...mine.map(fence), fence(theirs!)]);

    assert.deepEqual(renewed.sort(), mine.map((job) => job.id).sort());
    const renewedUntilMs = clock.now().getTime() + LEASE_MS;
    for (const job of mine)
      assert.deepEqual(await lease(job.id), { by: "worker-a", untilMs: renewedUntilMs });
    assert.deepEqual(await lease(theirs!.id), { by: "worker-b", untilMs: claimedUntilMs });
  });

  it("leaves alone a lease that ran out and was taken by another worker", async () => {
    await enqueue();
    const [job] = await claim("worker-a");
    clock.advance(LEASE_MS + SECOND);
    await claim("worker-b");
    const taken = await lease(job!.id);

    assert.deepEqual(await renew("worker-a", [fence(job!)]), []);
    assert.deepEqual(await lease(job!.id), taken);
  });

  it("renews a lease that ran out but nobody took: the job still runs here", async () => {
    await enqueue();
    const [job] = await claim("worker-a");
    clock.advance(LEASE_MS + SECOND);

    assert.deepEqual(await renew("worker-a", [fence(job!)]), [job!.id]);
    assert.deepEqual(
      await store.jobs.claimDue({ now: clock.now(), limit: 1, leaseMs: LEASE_MS, workerId: "worker-b" }),
      [],
    );
  });

  it("does not renew with a stale fence: the same worker claimed the job again since", async () => {
    await enqueue();
    const [first] = await claim("worker-a");
    clock.advance(LEASE_MS + SECOND);
    const [again] = await claim("worker-a");

    assert.deepEqual(await renew("worker-a", [fence(first!)]), []);
    assert.equal((await lease(again!.id))?.untilMs, again!.lockedUntil!.getTime());
    assert.deepEqual(await renew("worker-a", [fence(again!)]), [again!.id]);
  });

  it("does not bring back a job that was finished, retried or handed back", async () => {
    for (let i = 0; i < 3; i++) await enqueue();
    const [done, retried, released] = await claim("worker-a", 3);
    assert.ok(await store.jobs.complete({ id: done!.id, workerId: "worker-a" }));
    assert.ok(
      await store.jobs.retry({ id: retried!.id, workerId: "worker-a", runAt: clock.now(), error: "503" }),
    );
    await store.jobs.release({ ids: [released!.id], workerId: "worker-a" });

    assert.deepEqual(await renew("worker-a", [done!, retried!, released!].map(fence)), []);
    assert.equal(await lease(done!.id), undefined);
    assert.deepEqual(await lease(retried!.id), { by: null, untilMs: null });
    assert.deepEqual(await lease(released!.id), { by: null, untilMs: null });
    assert.deepEqual(await renew("worker-a", []), [], "nothing to renew: no statement");
  });
});
