import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import { SqliteWalSync, totalChangesReader } from "./sqlite-wal-sync.js";

/** A WAL sync over a stand-in for the disk whose syncs finish when the test says. */
function harness() {
  let changes = 0;
  const syncs: Array<() => void> = [];
  const walSync = new SqliteWalSync(
    "unused",
    () => changes,
    () => new Promise<void>((resolve) => syncs.push(resolve)),
  );
  const commit = (writes: number) => {
    walSync.beforeBegin();
    changes += writes;
    walSync.afterCommit();
  };
  return { walSync, syncs, commit };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe("SQLite WAL sync (durable commits off the event loop)", () => {
  it("does not sync for a transaction that wrote nothing", async () => {
    const h = harness();
    h.commit(0);
    await h.walSync.durable();
    assert.equal(h.syncs.length, 0);
  });

  it("holds a writing commit until a sync finishes, and commits waiting together share it", async () => {
    const h = harness();
    h.commit(1);
    const first = h.walSync.durable();
    const second = h.walSync.durable();
    assert.equal(h.syncs.length, 1);
    assert.equal(await settled(first), false);
    h.syncs[0]!();
    await Promise.all([first, second]);
    await h.walSync.durable(); // nothing new: no further sync
    assert.equal(h.syncs.length, 1);
  });

  it("a commit made while a sync runs waits for the next sync, not the running one", async () => {
    const h = harness();
    h.commit(1);
    const early = h.walSync.durable();
    h.commit(2);
    const late = h.walSync.durable();
    const later = h.walSync.durable();
    h.syncs[0]!();
    await early;
    assert.equal(await settled(late), false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.syncs.length, 2, "one more sync for both late commits");
    h.syncs[1]!();
    await Promise.all([late, later]);
  });

  it("a failed sync fails its waiters, and the next durable() tries again", async () => {
    let fail = true;
    let syncCalls = 0;
    let changes = 0;
    const walSync = new SqliteWalSync(
      "unused",
      () => changes,
      async () => {
        syncCalls++;
        if (fail) throw new Error("EIO");
      },
    );
    walSync.beforeBegin();
    changes++;
    walSync.afterCommit();
    await assert.rejects(walSync.durable(), /EIO/);
    fail = false;
    await walSync.durable();
    assert.equal(syncCalls, 2);
  });

  it("counts the changes of a real connection and syncs its real WAL file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "firebreak-wal-sync-"));
    const file = path.join(dir, "wal.db");
    const sqlite = new SqliteDatabase(file);
    try {
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      sqlite.exec("create table t (x integer)");
      const walSync = new SqliteWalSync(`${file}-wal`, totalChangesReader(sqlite));
      walSync.beforeBegin();
      sqlite.exec("begin; insert into t values (1); commit");
      walSync.afterCommit();
      await walSync.durable();
      await walSync.close();
      assert.equal(sqlite.prepare("select count(*) as n from t").pluck().get(), 1);
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
