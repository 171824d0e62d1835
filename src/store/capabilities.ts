import type { ColumnDefinitionBuilder } from "kysely";

/**
 * Everything SQLite and PostgreSQL differ on, declared once (as Kysely's DialectAdapter and
 * pg-boss's backend profiles do). Code asks a capability, never "which database is this".
 */
export interface DialectCapabilities {
  readonly dialect: "sqlite" | "postgres";
  /** `FOR UPDATE SKIP LOCKED` lets several claimers share the jobs table (PostgreSQL). */
  readonly skipLocked: boolean;
  /** `LISTEN/NOTIFY` wakes other instances when a job is enqueued (PostgreSQL). */
  readonly listenNotify: boolean;
  /** Several processes may run the engine against one database. SQLite: one writer, one engine. */
  readonly multiInstance: boolean;
  /**
   * `SELECT … FOR UPDATE` serialises read-then-write checks (the last admin, grouping per service).
   * SQLite needs none: one connection runs one transaction at a time.
   */
  readonly rowLocks: boolean;
  /** Whether a driver error is a unique-constraint violation (mapped to CONFLICT, never a 500). */
  readonly isUniqueViolation: (err: unknown) => boolean;
  /** Column type of an auto-incrementing 64-bit primary key. */
  readonly autoIncrementType: "integer" | "bigserial";
  /** Applies the auto-increment modifier where the type alone does not imply it. */
  readonly autoIncrement: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

export const SQLITE_CAPABILITIES: DialectCapabilities = {
  dialect: "sqlite",
  skipLocked: false,
  listenNotify: false,
  multiInstance: false,
  rowLocks: false,
  isUniqueViolation: (err) =>
    /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String((err as { code?: unknown })?.code)),
  autoIncrementType: "integer",
  autoIncrement: (column) => column.primaryKey().autoIncrement(),
};

export const POSTGRES_CAPABILITIES: DialectCapabilities = {
  dialect: "postgres",
  skipLocked: true,
  listenNotify: true,
  multiInstance: true,
  rowLocks: true,
  isUniqueViolation: (err) => (err as { code?: unknown })?.code === "23505",
  autoIncrementType: "bigserial",
  autoIncrement: (column) => column.primaryKey(),
};
