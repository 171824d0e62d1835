import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { AppError } from "../../src/core/errors.js";
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from "../../src/store/capabilities.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, type FreshDatabase } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";

// Another process writing to the same SQLite file (a CLI command, an engine of its own) must not
// make the server's transactions fail: each takes the write lock when it begins.
describe("sqlite: a second connection writing to the same file", () => {
  let db: FreshDatabase;
  let store: KyselyStore;
  let other: SqliteDatabase.Database;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase("sqlite");
    store = new KyselyStore(db.handle, () => clock.now());
    assert.equal(db.location.kind, "sqlite");
    other = new SqliteDatabase(db.location.kind === "sqlite" ? db.location.file : "");
    other.pragma("busy_timeout = 0");
    other.exec("create table other_writes (n integer)");
  });
  after(async () => {
    other.close();
    await db.drop();
  });

  it("cannot write between a transaction's read and its write, so the transaction commits", async () => {
    let otherWrite: unknown;
    await store.run(async (tx) => {
      await tx.settings.get("read-then-write");
      // With a deferred BEGIN this write went through, and the transaction's own write then failed
      // with SQLITE_BUSY_SNAPSHOT: its snapshot was older than the other connection's commit.
      try {
        other.exec("insert into other_writes values (1)");
      } catch (err) {
        otherWrite = err;
      }
      await tx.settings.setIfAbsent("read-then-write", "written");
    });
    assert.equal((otherWrite as { code?: string })?.code, "SQLITE_BUSY");
    assert.equal(await store.read((tx) => tx.settings.get("read-then-write")), "written");
    other.exec("insert into other_writes values (2)");
  });

  it("answers UNAVAILABLE, not an internal error, when the other writer holds the lock too long", async () => {
    await sql`pragma busy_timeout = 20`.execute(db.handle.db);
    other.exec("begin immediate");
    try {
      await assert.rejects(
        store.run((tx) => tx.settings.setIfAbsent("blocked", "never")),
        (err: unknown) =>
          err instanceof AppError &&
          err.code === "UNAVAILABLE" &&
          /database is busy with another writer/.test(err.message),
      );
    } finally {
      other.exec("rollback");
      await sql`pragma busy_timeout = 5000`.execute(db.handle.db);
    }
    assert.equal(await store.run((tx) => tx.settings.setIfAbsent("blocked", "later")), "later");
  });

  // The other writer lives in this process, so it can let go only if the event loop runs while the
  // write waits: SQLite's own busy_timeout held the loop until it ran out, then failed the write.
  it("waits for the lock on a timer: the process goes on running, and the write commits once it is free", async () => {
    other.exec("begin immediate");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        other.exec("rollback");
        resolve(ticks);
      }, 200),
    );
    try {
      const engineClaims = store.jobs.claimDue({ now: clock.now(), limit: 1, leaseMs: 1_000, workerId: "w" });
      const written = await store.run((tx) => tx.settings.setIfAbsent("waited", "for the lock"));
      assert.equal(written, "for the lock");
      assert.deepEqual(await engineClaims, [], "an autocommit write of the engine waits the same way");
      assert.ok((await released) > 0, "the event loop ran while the write waited");
    } finally {
      clearInterval(ticker);
      if (other.inTransaction) other.exec("rollback");
    }
  });
});

describe("lock timeouts by dialect", () => {
  const cases: Array<[string, (err: unknown) => boolean, unknown, boolean]> = [
    ["sqlite busy", SQLITE_CAPABILITIES.isLockTimeout, { code: "SQLITE_BUSY" }, true],
    ["sqlite busy snapshot", SQLITE_CAPABILITIES.isLockTimeout, { code: "SQLITE_BUSY_SNAPSHOT" }, true],
    ["sqlite constraint", SQLITE_CAPABILITIES.isLockTimeout, { code: "SQLITE_CONSTRAINT_UNIQUE" }, false],
    ["postgres lock_not_available", POSTGRES_CAPABILITIES.isLockTimeout, { code: "55P03" }, true],
    ["postgres deadlock_detected", POSTGRES_CAPABILITIES.isLockTimeout, { code: "40P01" }, true],
    ["postgres unique_violation", POSTGRES_CAPABILITIES.isLockTimeout, { code: "23505" }, false],
    ["no code", POSTGRES_CAPABILITIES.isLockTimeout, new Error("plain"), false],
  ];
  for (const [name, isLockTimeout, err, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(isLockTimeout(err), expected));
  }
});

describe("failures a read does not reveal (readiness stays red after them), by dialect", () => {
  const cases: Array<[string, (err: unknown) => boolean, unknown, boolean]> = [
    ["sqlite disk full", SQLITE_CAPABILITIES.isStorageFailure, { code: "SQLITE_FULL" }, true],
    ["sqlite write error", SQLITE_CAPABILITIES.isStorageFailure, { code: "SQLITE_IOERR_WRITE" }, true],
    ["sqlite read-only file", SQLITE_CAPABILITIES.isStorageFailure, { code: "SQLITE_READONLY" }, true],
    ["sqlite busy", SQLITE_CAPABILITIES.isStorageFailure, { code: "SQLITE_BUSY" }, false],
    ["postgres disk_full", POSTGRES_CAPABILITIES.isStorageFailure, { code: "53100" }, true],
    [
      "postgres refused (readiness's own read shows it)",
      POSTGRES_CAPABILITIES.isStorageFailure,
      { code: "ECONNREFUSED" },
      false,
    ],
    ["postgres admin_shutdown", POSTGRES_CAPABILITIES.isStorageFailure, { code: "57P01" }, false],
  ];
  for (const [name, isStorageFailure, err, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(isStorageFailure(err), expected));
  }
});

describe("a database that cannot work now, by dialect", () => {
  const sqlite = SQLITE_CAPABILITIES.unavailableReason;
  const postgres = POSTGRES_CAPABILITIES.unavailableReason;
  const unreachable = "the database cannot be reached";
  const cases: Array<[string, (err: unknown) => string | undefined, unknown, string | undefined]> = [
    ["sqlite disk full", sqlite, { code: "SQLITE_FULL" }, "the database's disk is full"],
    ["sqlite write error", sqlite, { code: "SQLITE_IOERR_WRITE" }, "the database hit an I/O error"],
    ["sqlite read-only file", sqlite, { code: "SQLITE_READONLY" }, "the database file cannot be written"],
    ["sqlite busy (a lock timeout, not this)", sqlite, { code: "SQLITE_BUSY" }, undefined],
    ["sqlite constraint", sqlite, { code: "SQLITE_CONSTRAINT_UNIQUE" }, undefined],
    ["postgres refused", postgres, { code: "ECONNREFUSED" }, unreachable],
    ["postgres reset", postgres, { code: "ECONNRESET" }, unreachable],
    ["postgres admin_shutdown", postgres, { code: "57P01" }, unreachable],
    ["postgres cannot_connect_now", postgres, { code: "57P03" }, unreachable],
    ["postgres too_many_connections", postgres, { code: "53300" }, unreachable],
    ["postgres connection_failure", postgres, { code: "08006" }, unreachable],
    ["postgres socket closed", postgres, new Error("Connection terminated unexpectedly"), unreachable],
    ["postgres disk_full", postgres, { code: "53100" }, "the database's disk is full"],
    ["postgres unique_violation", postgres, { code: "23505" }, undefined],
    ["postgres syntax error", postgres, { code: "42601" }, undefined],
    ["no code", postgres, new Error("plain"), undefined],
  ];
  for (const [name, reasonOf, err, expected] of cases) {
    it(`${name} → ${String(expected)}`, () => assert.equal(reasonOf(err), expected));
  }
});
