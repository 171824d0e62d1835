import SqliteDatabase from "better-sqlite3";
import { sql, type Kysely } from "kysely";

/**
 * Runs `work` while another connection (another process, as far as SQLite can tell) holds the
 * database file's write lock, and `db` waits 20 ms for it instead of the server's 5 s: every write
 * through `db` meanwhile fails as busy. Then the lock is released and the 5 s wait restored.
 */
export async function whileAnotherWriterHoldsTheLock<DB, T>(
  db: Kysely<DB>,
  file: string,
  work: () => Promise<T>,
): Promise<T> {
  const other = new SqliteDatabase(file);
  try {
    await sql`pragma busy_timeout = 20`.execute(db);
    other.exec("begin immediate");
    try {
      return await work();
    } finally {
      other.exec("rollback");
      await sql`pragma busy_timeout = 5000`.execute(db);
    }
  } finally {
    other.close();
  }
}
