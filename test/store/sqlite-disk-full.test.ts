import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AppError } from "../../src/core/errors.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, type FreshDatabase } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";

// A full disk, played by max_page_count: SQLite refuses to grow the file with SQLITE_FULL, as it does
// when the disk has no room, and rolls the transaction back itself.
describe("sqlite: the disk is full", () => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase("sqlite");
    store = new KyselyStore(db.handle, () => clock.now());
  });
  after(() => db.drop());

  const fillUp = () =>
    store.run(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.settings.setIfAbsent(`filler-${i}`, "x".repeat(4_000));
    });

  it("answers UNAVAILABLE naming the full disk (not an internal 'cannot rollback'), and readiness says so", async () => {
    const { page_count: pages } = (await sql<{ page_count: number }>`pragma page_count`.execute(db.handle.db))
      .rows[0]!;
    await sql.raw(`pragma max_page_count = ${pages + 5}`).execute(db.handle.db);
    await assert.rejects(
      fillUp(),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === "UNAVAILABLE" &&
        /the database's disk is full/.test(err.message),
    );
    assert.equal(await store.read((tx) => tx.settings.get("filler-0")), undefined, "nothing half-written");
    const ready = await store.checkReady();
    assert.equal(ready.ok, false);
    assert.match(
      ready.detail,
      /writes are failing: the database's disk is full \(a write was refused 0 s ago\)/,
    );

    clock.advance(31_000);
    assert.equal((await store.checkReady()).ok, true, "red for a while, not for ever without traffic");
    clock.advance(-31_000);
    await assert.rejects(fillUp());
    assert.equal((await store.checkReady()).ok, false);

    // Room again: the next write commits, and readiness is green at once.
    await sql.raw(`pragma max_page_count = 1000000`).execute(db.handle.db);
    await fillUp();
    assert.equal(await store.read((tx) => tx.settings.get("filler-199")), "x".repeat(4_000));
    assert.deepEqual(await store.checkReady(), { ok: true, detail: "database reachable and migrated" });
  });
});
