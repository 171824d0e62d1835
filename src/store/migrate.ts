import { Migrator, type MigrationResultSet } from "kysely";
import type { DatabaseHandle } from "./open-database.js";
import { MIGRATION_NAMES, migrationsFor } from "./migrations/index.js";

const MIGRATION_TABLE = "schema_migrations";
const MIGRATION_LOCK_TABLE = "schema_migrations_lock";

function migratorFor(handle: DatabaseHandle): Migrator {
  return new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrationsFor(handle.caps) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/** Applies every pending migration. Kysely takes a lock, so instances starting together are safe. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<{ applied: string[] }> {
  const result: MigrationResultSet = await migratorFor(handle).migrateToLatest();
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

/** Names of the migrations this build knows that the database has not applied. */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const infos = await migratorFor(handle).getMigrations();
  const applied = new Set(infos.filter((i) => i.executedAt !== undefined).map((i) => i.name));
  return MIGRATION_NAMES.filter((name) => !applied.has(name));
}
