import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import {
  armSessionPurge,
  SESSION_PURGE_INTERVAL_MS,
} from "../../src/app/maintenance/purge-expired-sessions.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import { HandlerRegistry } from "../../src/engine/handler-registry.js";
import { sessionsPurgeHandler } from "../../src/engine/handlers/sessions-purge.js";
import { JobRunner } from "../../src/engine/job-runner.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";

describeEachDialect("sessions.purge, a recurring job", (dialect) => {
  let db: FreshDatabase;
  before(async () => {
    db = await createFreshDatabase(dialect);
  });
  after(async () => db.drop());

  it("purges expired sessions every hour and keeps exactly one timer armed", async () => {
    const clock = new FakeClock();
    const store = new KyselyStore(db.handle, () => clock.now());
    const runner = new JobRunner(
      store.jobs,
      new HandlerRegistry().register("sessions.purge", sessionsPurgeHandler(store)),
      clock,
      silentLogger,
    );
    const now = clock.now();
    await store.run(async (tx) => {
      await tx.users.insert({
        id: "u1",
        email: "u1@example.com",
        name: "U",
        role: "viewer",
        passwordHash: null,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.sessions.insert({
        id: "s1",
        tokenHash: "t1",
        csrfToken: "c",
        userId: "u1",
        createdAt: now,
        expiresAt: new Date(now.getTime() + 30 * MINUTE),
      });
      await tx.sessions.insert({
        id: "s2",
        tokenHash: "t2",
        csrfToken: "c",
        userId: "u1",
        createdAt: now,
        expiresAt: new Date(now.getTime() + 3 * HOUR),
      });
      // Arming twice (two instances starting) still leaves one timer.
      await armSessionPurge(tx, now);
      await armSessionPurge(tx, now);
    });
    assert.equal((await store.jobs.counts(clock.now())).queued, 1);

    clock.advance(SESSION_PURGE_INTERVAL_MS);
    assert.deepEqual(await runner.runDueOnce(), { succeeded: 1, retried: 0, failed: 0 });
    assert.equal(await store.run((tx) => tx.sessions.findByTokenHash("t1")), undefined);
    assert.ok(await store.run((tx) => tx.sessions.findByTokenHash("t2")));
    assert.equal((await store.jobs.counts(clock.now())).queued, 1, "re-armed for the next hour");

    clock.advance(SESSION_PURGE_INTERVAL_MS - 1);
    assert.deepEqual(await runner.runDueOnce(), { succeeded: 0, retried: 0, failed: 0 });
    clock.advance(2 * HOUR);
    assert.deepEqual(
      await runner.runDueOnce(),
      { succeeded: 1, retried: 0, failed: 0 },
      "a late timer catches up once",
    );
    assert.equal(await store.run((tx) => tx.sessions.findByTokenHash("t2")), undefined);
  });
});
