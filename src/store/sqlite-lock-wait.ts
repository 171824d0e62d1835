import {
  SqliteDialect,
  SqliteDriver,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from "kysely";

/** How long a write waits for another process's write lock before it is refused (SQLITE_BUSY). */
export const DEFAULT_LOCK_WAIT_MS = 5_000;
/** The longest pause between two tries: short, so a freed lock is taken soon. */
const MAX_PAUSE_MS = 50;

const isBusy = (err: unknown) => /^SQLITE_BUSY/.test(String((err as { code?: unknown })?.code));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long writes wait for the lock; `pragma busy_timeout = N` through the connection sets it. */
export interface LockWait {
  ms: number;
}

/**
 * SQLite's own busy_timeout waits for another process's write lock inside the statement, so the
 * whole event loop stopped with it: /healthz took 28 s while a backup held the lock. The connection
 * runs with busy_timeout 0; a statement refused with SQLITE_BUSY (which did nothing) is tried again
 * after a pause on a timer, until `lockWait.ms` has passed, while the process goes on serving.
 */
export class LockWaitingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly lockWait: LockWait,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new LockWaitingSqliteDriver(this.config, this.lockWait);
  }
}

class LockWaitingSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly lockWait: LockWait,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    return {
      executeQuery: <R>(query: CompiledQuery) => this.untilNotBusy(() => connection.executeQuery<R>(query)),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  private async untilNotBusy<R>(run: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.lockWait.ms;
    for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
      try {
        return await run();
      } catch (err) {
        if (!isBusy(err) || Date.now() + pauseMs > deadline) throw err;
        await pause(pauseMs);
      }
    }
  }
}
