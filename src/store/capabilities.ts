import { createHash } from "node:crypto";
import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

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
  /** Whether a driver error means another transaction held a lock for longer than we wait. */
  readonly isLockTimeout: (err: unknown) => boolean;
  /**
   * Why the database cannot do any work now (unreachable, restarting, disk full), for a 503 that
   * says so; undefined for any other error.
   */
  readonly unavailableReason: (err: unknown) => string | undefined;
  /**
   * Of those, the ones a read does not reveal and that last (a full disk, a file that cannot be
   * written): readiness stays red a while after one (see KyselyStore.checkReady).
   */
  readonly isStorageFailure: (err: unknown) => boolean;
  /** Column type of an auto-incrementing 64-bit primary key. */
  readonly autoIncrementType: "integer" | "bigserial";
  /** Applies the auto-increment modifier where the type alone does not imply it. */
  readonly autoIncrement: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /**
   * Serialises alert processing per (service, grouping key) until the transaction ends, so grouping
   * (read, then write) cannot race while other keys of the service go on in parallel. True when it
   * locked (what was read before must be read again). One call per service, services in id order.
   */
  readonly lockAlertGroups: <DB>(
    db: Kysely<DB>,
    serviceId: string,
    groupingKeys: readonly string[],
  ) => Promise<boolean>;
}

/** A driver error's code (better-sqlite3's SQLITE_*, pg's SQLSTATE or a socket's E*), as text. */
const codeOf = (err: unknown): string => String((err as { code?: unknown })?.code);

export const SQLITE_CAPABILITIES: DialectCapabilities = {
  dialect: "sqlite",
  skipLocked: false,
  listenNotify: false,
  multiInstance: false,
  rowLocks: false,
  isUniqueViolation: (err) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(codeOf(err)),
  // SQLITE_BUSY and its extended codes: busy_timeout ran out while another connection wrote.
  isLockTimeout: (err) => /^SQLITE_BUSY/.test(codeOf(err)),
  unavailableReason: (err) => {
    const code = codeOf(err);
    if (code === "SQLITE_FULL") return "the database's disk is full";
    if (/^SQLITE_IOERR/.test(code)) return "the database hit an I/O error";
    if (/^SQLITE_READONLY/.test(code)) return "the database file cannot be written";
    return undefined;
  },
  isStorageFailure: (err) => /^SQLITE_(FULL|IOERR|READONLY)/.test(codeOf(err)),
  autoIncrementType: "integer",
  autoIncrement: (column) => column.primaryKey().autoIncrement(),
  // One connection runs one transaction at a time: nothing to lock.
  lockAlertGroups: async () => false,
};

export const POSTGRES_CAPABILITIES: DialectCapabilities = {
  dialect: "postgres",
  skipLocked: true,
  listenNotify: true,
  multiInstance: true,
  rowLocks: true,
  isUniqueViolation: (err) => codeOf(err) === "23505",
  // lock_not_available (lock_timeout) and deadlock_detected: the same work may succeed if retried.
  isLockTimeout: (err) => ["55P03", "40P01"].includes(codeOf(err)),
  unavailableReason: (err) => {
    const code = codeOf(err);
    if (code === "53100") return "the database's disk is full";
    if (pgTimedOut(err)) return "the database did not answer in time";
    if (code === "53300" || pgConnectionLost(err)) return "the database cannot be reached";
    return undefined;
  },
  isStorageFailure: (err) => codeOf(err) === "53100",
  autoIncrementType: "bigserial",
  autoIncrement: (column) => column.primaryKey(),
  lockAlertGroups: lockAlertGroupsWithAdvisoryLocks,
};

/** The socket's codes, and PostgreSQL's for a server shutting down, crashed or starting up. */
const PG_CONNECTION_LOST_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01",
  "57P02",
  "57P03",
]);

/** pg's own message when `query_timeout` passed without an answer (no code). */
const PG_QUERY_READ_TIMEOUT = "Query read timeout";
/** pg-pool's when `connectionTimeoutMillis` passed before a connection was free or open (no code). */
const PG_POOL_WAIT_TIMEOUT = "timeout exceeded when trying to connect";

/**
 * Whether a pg error means its connection is gone or unusable (the server ended it, the socket
 * closed, or the driver stopped waiting for an answer that may still come): the statement may
 * succeed on another connection. A FATAL or PANIC error always ends the session; the driver says
 * "Connection terminated …" or "… not queryable" with no code once the socket closed.
 */
export function pgConnectionLost(err: unknown): boolean {
  const code = codeOf(err);
  const severity = (err as { severity?: unknown })?.severity;
  const message = err instanceof Error ? err.message : "";
  return (
    PG_CONNECTION_LOST_CODES.has(code) ||
    /^08/.test(code) || // SQLSTATE class 08: connection exception
    severity === "FATAL" ||
    severity === "PANIC" ||
    message === PG_QUERY_READ_TIMEOUT ||
    /^Connection terminated|is not queryable$/.test(message)
  );
}

/**
 * Whether the database did not answer within a timeout: the server cancelled the statement
 * (statement_timeout, 57014), the driver stopped waiting (query_timeout), or no connection was
 * free in time. A connection that could not be opened in time ("Connection terminated due to
 * connection timeout") counts as lost: the database cannot be reached.
 */
export function pgTimedOut(err: unknown): boolean {
  const message = err instanceof Error ? err.message : "";
  return codeOf(err) === "57014" || message === PG_QUERY_READ_TIMEOUT || message === PG_POOL_WAIT_TIMEOUT;
}

/**
 * Each key takes a transaction-scoped advisory lock, after the service's lock in shared mode; a
 * transaction with more keys than the lock table should hold takes the service's lock exclusively
 * instead. Keys in ascending lock-id order and the service first: two lockers never deadlock.
 */
async function lockAlertGroupsWithAdvisoryLocks<DB>(
  db: Kysely<DB>,
  serviceId: string,
  groupingKeys: readonly string[],
): Promise<boolean> {
  const serviceLock = String(advisoryLockId(`service\u0000${serviceId}`));
  if (groupingKeys.length > MAX_KEY_LOCKS) {
    await sql`select pg_advisory_xact_lock(${serviceLock}::bigint)`.execute(db);
    return true;
  }
  const keyLocks = [...new Set(groupingKeys.map((key) => advisoryLockId(`${serviceId}\u0000${key}`)))]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String);
  // UNION ALL runs its branches in order, and unnest keeps the array's order.
  await sql`select count(*) from (
      select pg_advisory_xact_lock_shared(${serviceLock}::bigint)
      union all
      select pg_advisory_xact_lock(k) from unnest(${keyLocks}::bigint[]) as k
    ) as locks`.execute(db);
  return true;
}

/** Above this, one lock for the whole service (PostgreSQL's lock table holds 64 per connection by default). */
const MAX_KEY_LOCKS = 32;

/** A signed 64-bit lock id from the first 8 bytes of the text's SHA-1. */
function advisoryLockId(text: string): bigint {
  return createHash("sha1").update(text).digest().readBigInt64BE(0);
}
