import { Migrator, sql, type Kysely, type MigrationResultSet } from "kysely";
import type { DatabaseHandle } from "./open-database.js";
import type { Database } from "./schema.js";
import { MIGRATION_NAMES, migrationsFor } from "./migrations/index.js";

const MIGRATION_TABLE = "schema_migrations";
const MIGRATION_LOCK_TABLE = "schema_migrations_lock";

/**
 * How long a SQLite process waits for the write lock to migrate: long enough for another process to
 * finish the same migrations (a first start makes every table; an upgrade may rebuild indexes).
 */
export const SQLITE_MIGRATION_LOCK_WAIT_MS = 120_000;

function migratorFor(handle: DatabaseHandle, db: Kysely<Database> = handle.db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(handle.caps) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/**
 * Applies every pending migration. Processes starting together on one database take turns: on
 * PostgreSQL Kysely takes an advisory lock; on SQLite (where Kysely takes none) the whole run is one
 * transaction under the file's write lock, so a later process finds the work done.
 */
export async function migrateToLatest(handle: DatabaseHandle): Promise<{ applied: string[] }> {
  const result: MigrationResultSet =
    handle.caps.dialect === "sqlite"
      ? await migrateSqliteUnderWriteLock(handle)
      : await migratorFor(handle).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    const why = String((result.error as Error).message ?? result.error);
    // No migration named: it failed before any ran (the database could not be reached, say).
    throw new Error(
      failed ? `migration ${failed} failed: ${why}` : `could not migrate the database: ${why}`,
      {
        cause: result.error,
      },
    );
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}

/**
 * SQLite: takes the write lock (BEGIN IMMEDIATE: the store's every `begin` is one), then reads which
 * migrations are applied and applies the rest in that same transaction. Read before the lock, the
 * applied set of processes starting together was the same empty one, and each made the tables
 * ("table users already exists"); a failure now also leaves no migration half applied.
 */
async function migrateSqliteUnderWriteLock(handle: DatabaseHandle): Promise<MigrationResultSet> {
  return handle.db.connection().execute(async (connection) => {
    // The store's writes wait for the lock on a timer (LockWaitingSqliteDialect); wait longer here.
    const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(connection);
    const usualWaitMs = Number(rows[0]?.timeout);
    await sql.raw(`pragma busy_timeout = ${SQLITE_MIGRATION_LOCK_WAIT_MS}`).execute(connection);
    let inTransaction = false;
    try {
      await sql`begin`.execute(connection);
      inTransaction = true;
      // Kysely opens no transaction of its own on SQLite: all of its work runs inside this one.
      const result = await migratorFor(handle, connection).migrateToLatest();
      if (result.error) return result;
      await sql`commit`.execute(connection);
      inTransaction = false;
      return result;
    } catch (err) {
      return { error: inTransaction ? err : lockRefusal(handle, err) };
    } finally {
      // A rollback after a failed commit is a no-op (see transactionBoundaries in open-database.ts).
      if (inTransaction) await sql`rollback`.execute(connection);
      if (Number.isInteger(usualWaitMs))
        await sql.raw(`pragma busy_timeout = ${usualWaitMs}`).execute(connection);
    }
  });
}

/** Why BEGIN failed: another process kept the write lock past the wait, or the database's own error. */
function lockRefusal(handle: DatabaseHandle, err: unknown): unknown {
  if (!handle.caps.isLockTimeout(err)) return err;
  const waitedS = SQLITE_MIGRATION_LOCK_WAIT_MS / 1000;
  return new Error(
    `another process held the SQLite database's write lock for ${waitedS} s (a long migration or a backup?): start this one again once it is done`,
    { cause: err },
  );
}

/** Names of the migrations this build knows that the database has not applied. */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const infos = await migratorFor(handle).getMigrations();
  const applied = new Set(infos.filter((i) => i.executedAt !== undefined).map((i) => i.name));
  return MIGRATION_NAMES.filter((name) => !applied.has(name));
}
