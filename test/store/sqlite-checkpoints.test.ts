import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/store/open-database.js";

// A server checkpoints from a thread and lets the WAL reach 10,000 pages before a commit does it;
// a short-lived command starts no thread and keeps SQLite's own threshold of 1,000 pages.
describe("sqlite: who checkpoints the WAL", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-checkpoints-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { name: "a server (the default)", options: {}, pages: 10_000 },
    { name: "a short-lived command", options: { backgroundCheckpoints: false }, pages: 1_000 },
  ];
  for (const { name, options, pages } of cases) {
    it(`${name}: commits checkpoint past ${pages} pages, and the file closes cleanly`, async () => {
      const file = path.join(dir, `${pages}.db`);
      const handle = openDatabase({ kind: "sqlite", file, synchronous: "full" }, options);
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
        handle.db,
      );
      await sql`create table t (n integer)`.execute(handle.db);
      await handle.close();
      assert.equal(rows[0]?.wal_autocheckpoint, pages);
    });
  }
});
