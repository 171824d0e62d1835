import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  PostgresDialect,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
} from "kysely";
import pg from "pg";
import { silentLogger, type Logger } from "../app/ports/logger.js";
import {
  POSTGRES_CAPABILITIES,
  SQLITE_CAPABILITIES,
  pgConnectionLost,
  pgTimedOut,
  type DialectCapabilities,
} from "./capabilities.js";
import type { Database } from "./schema.js";
import { makeDirectory } from "./make-directory.js";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";
import { DEFAULT_LOCK_WAIT_MS, LockWaitingSqliteDialect, type LockWait } from "./sqlite-lock-wait.js";
import { SqliteWalSync, totalChangesReader } from "./sqlite-wal-sync.js";

export type StoreLocation =
  | { readonly kind: "sqlite"; readonly file: string; readonly synchronous: "full" | "normal" }
  | {
      readonly kind: "postgres";
      readonly url: string;
      readonly poolSize: number;
      /** DEFAULT_PG_TIMEOUTS when absent. */
      readonly timeouts?: PostgresTimeouts;
    };

/**
 * Bounds on waiting for PostgreSQL, so that a server that hangs (or a host that vanished without a
 * reset) fails requests and the engine's statements with a 503 instead of holding them forever.
 */
export interface PostgresTimeouts {
  /** Opening a connection, or waiting for a free one of the pool (pg-pool uses one bound for both). */
  readonly connectMs: number;
  /**
   * The server cancels a statement running this long (statement_timeout); the driver stops waiting
   * for any answer a second later and drops the connection. 0: no limit.
   */
  readonly queryMs: number;
  /** The server ends a session idle inside a transaction this long, freeing its locks. 0: no limit. */
  readonly idleInTransactionMs: number;
}

/** The defaults of FIREBREAK_PG_CONNECT_TIMEOUT_MS, _QUERY_TIMEOUT_MS, _IDLE_IN_TRANSACTION_TIMEOUT_MS. */
export const DEFAULT_PG_TIMEOUTS: PostgresTimeouts = {
  connectMs: 10_000,
  queryMs: 30_000,
  idleInTransactionMs: 60_000,
};

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  /**
   * For the engine's writes whose loss in a crash only makes a job run again (claims, completions:
   * every handler is fenced against a second run), so they need not wait for the disk. PostgreSQL:
   * a small pool whose sessions commit with synchronous_commit=off (a crash loses at most the last
   * moments of them, never corrupts); SQLite: the one connection, since only units of work wait for
   * the WAL sync.
   */
  readonly engineDb: Kysely<Database>;
  /** Where the data lives, with any password removed: safe to print. */
  readonly description: string;
  /** Opens a dedicated connection that calls `onMessage` on each NOTIFY (PostgreSQL only). */
  /** `onMessage` gets the NOTIFY payload; undefined when the listener is back and may have missed some. */
  readonly listen?: (channel: string, onMessage: (payload?: string) => void) => Promise<() => Promise<void>>;
  /**
   * Resolves once every transaction committed so far is on disk. PostgreSQL's commit is durable
   * already; SQLite with synchronous "full" syncs its WAL off the event loop (see SqliteWalSync).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;
// Instants are epoch milliseconds, far inside Number's exact range; read BIGINT as a number.
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Query parameters of a connection URL that hold a secret (password=, sslpassword=). */
const SECRET_PARAMETER = /pass|secret|token/i;

/** Removes the passwords from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "SECRET";
    // The pg driver also takes ?password= (and ?sslpassword=): a query parameter is no safer to print.
    for (const name of [...parsed.searchParams.keys()])
      if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, "SECRET");
    return parsed
      .toString()
      .replace(":SECRET@", ":<secret>@")
      .replace(/=SECRET(?=&|$)/g, "=<secret>");
  } catch {
    return "<unparseable url>";
  }
}

export interface OpenOptions {
  /**
   * SQLite: checkpoint the WAL from a thread of its own (a server). A short-lived command leaves it
   * to SQLite's own checkpoint at 1,000 pages and at close, and starts no thread.
   */
  readonly backgroundCheckpoints?: boolean;
  /** PostgreSQL: says when the LISTEN connection is lost and when it is back. */
  readonly logger?: Logger;
}

export function openDatabase(location: StoreLocation, options: OpenOptions = {}): DatabaseHandle {
  return location.kind === "sqlite"
    ? openSqlite(location.file, location.synchronous, options.backgroundCheckpoints ?? true)
    : openPostgres(
        location.url,
        location.poolSize,
        location.timeouts ?? DEFAULT_PG_TIMEOUTS,
        options.logger ?? silentLogger,
      );
}

function openSqlite(
  file: string,
  synchronous: "full" | "normal",
  backgroundCheckpoints: boolean,
): DatabaseHandle {
  if (file !== ":memory:") makeDirectory(path.dirname(file));
  const sqlite = new SqliteDatabase(file);
  enterWalMode(sqlite, file);
  // Commits never fsync on the event loop; "full" makes durable work await SqliteWalSync instead.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Another process (the CLI, a backup) may hold the write lock; writes wait for it on a timer, not
  // inside SQLite, which would stop the event loop (see LockWaitingSqliteDialect).
  sqlite.pragma("busy_timeout = 0");
  const lockWait: LockWait = { ms: DEFAULT_LOCK_WAIT_MS };
  const onDisk = file !== ":memory:";
  const walSync =
    synchronous === "full" && onDisk
      ? new SqliteWalSync(`${file}-wal`, totalChangesReader(sqlite))
      : undefined;
  // Checkpoints run on a thread of their own (see SqliteCheckpointer). A commit checkpoints only
  // once the WAL holds 40 MiB, so that under a write storm it still starts over; by then the
  // thread has copied most of it, and that commit has little left to do.
  const checkpointer = onDisk && backgroundCheckpoints ? new SqliteCheckpointer(file) : undefined;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({
    dialect: new LockWaitingSqliteDialect(
      { database: withStatementCache(sqlite, walSync, lockWait) },
      lockWait,
    ),
  });
  return {
    db,
    engineDb: db,
    caps: SQLITE_CAPABILITIES,
    description: `sqlite:${file}`,
    durable: () => walSync?.durable() ?? Promise.resolve(),
    close: async () => {
      await checkpointer?.stop();
      await walSync?.close();
      await db.destroy();
    },
  };
}

/**
 * Switches the file to WAL. On a new file, processes starting together each switch it, and SQLite
 * refuses one that meets another's switch with SQLITE_BUSY at once (no busy wait there), which
 * failed the start: try again. The pause blocks the thread, but only at open, before any serving.
 */
function enterWalMode(sqlite: SqliteDatabase.Database, file: string): void {
  const deadlineMs = Date.now() + DEFAULT_LOCK_WAIT_MS;
  const pauseCell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      sqlite.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if (!SQLITE_CAPABILITIES.isLockTimeout(err)) throw err;
      if (Date.now() >= deadlineMs) {
        sqlite.close();
        throw new Error(
          `could not switch ${file} to WAL mode: another process kept it locked for ${DEFAULT_LOCK_WAIT_MS / 1000} s`,
          { cause: err },
        );
      }
      Atomics.wait(pauseCell, 0, 0, WAL_SWITCH_PAUSE_MS);
    }
  }
}

const WAL_SWITCH_PAUSE_MS = 10;

/** 10,000 pages of 4 KiB: the WAL size at which the writer's own commit checkpoints. */
const WRITER_CHECKPOINT_PAGES = 10_000;

/**
 * Kysely prepares every query anew; the same few hundred SQL texts repeat, so keep their prepared
 * statements (a tenth of the CPU of an alert's ingest went to preparing). `begin` and `commit` also
 * tell the WAL sync which commits wrote something.
 */
function withStatementCache(
  sqlite: SqliteDatabase.Database,
  walSync: SqliteWalSync | undefined,
  lockWait: LockWait,
  maxStatements = 500,
) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const boundaries = transactionBoundaries(sqlite, walSync);
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      if (sqlText === "begin" || sqlText === "commit" || sqlText === "rollback") return boundaries[sqlText];
      const busyTimeout = BUSY_TIMEOUT_PRAGMA.exec(sqlText);
      if (busyTimeout) return lockWaitPragma(lockWait, busyTimeout[1]);
      let statement = cache.get(sqlText);
      if (!statement) {
        statement = sqlite.prepare(sqlText);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

const BUSY_TIMEOUT_PRAGMA = /^pragma busy_timeout(?:\s*=\s*(\d+))?\s*;?$/i;

/**
 * `pragma busy_timeout = N` sets how long writes wait on the timer; SQLite's own stays 0. Without
 * `= N` it answers that wait, as SQLite answers its own, so a caller can put it back.
 */
function lockWaitPragma(lockWait: LockWait, newMs: string | undefined) {
  const all = () => {
    if (newMs !== undefined) lockWait.ms = Number(newMs);
    return [{ timeout: lockWait.ms }];
  };
  return {
    reader: true,
    all,
    iterate: () => all()[Symbol.iterator](),
  } as unknown as SqliteDatabase.Statement;
}

/**
 * `begin`, `commit` and `rollback` as the driver runs them (`reader`, `run`), telling the WAL sync. A
 * transaction takes the write lock at BEGIN IMMEDIATE: a deferred one that read first and then
 * wrote would fail at once (SQLITE_BUSY) if another process (the CLI, an engine) had written in
 * between, where IMMEDIATE waits its turn under busy_timeout.
 */
function transactionBoundaries(sqlite: SqliteDatabase.Database, walSync: SqliteWalSync | undefined) {
  const begin = sqlite.prepare("begin immediate");
  const commit = sqlite.prepare("commit");
  const rollback = sqlite.prepare("rollback");
  const boundary = (run: () => SqliteDatabase.RunResult) =>
    ({ reader: false, run }) as unknown as SqliteDatabase.Statement;
  return {
    begin: boundary(() => {
      walSync?.beforeBegin();
      return begin.run();
    }),
    commit: boundary(() => {
      const result = commit.run();
      walSync?.afterCommit();
      return result;
    }),
    // SQLite itself rolls back on some errors (SQLITE_FULL, SQLITE_IOERR). A ROLLBACK then fails with
    // "no transaction is active", and that error replaced the one that said the disk was full.
    rollback: boundary(() => (sqlite.inTransaction ? rollback.run() : { changes: 0, lastInsertRowid: 0 })),
  };
}

/** How long the driver waits past statement_timeout: the server's own cancel needs a round trip. */
const QUERY_ANSWER_GRACE_MS = 1_000;
/** An idle connection probes its peer after this long, so a host that vanished is noticed. */
const KEEPALIVE_IDLE_MS = 10_000;

/** What every connection to PostgreSQL shares: the BIGINT parser, keepalive and the timeouts. */
function connectionConfig(url: string, timeouts: PostgresTimeouts): pg.ClientConfig {
  return {
    connectionString: url,
    types: pgTypes,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    connectionTimeoutMillis: timeouts.connectMs,
    ...(timeouts.queryMs > 0 && {
      statement_timeout: timeouts.queryMs,
      query_timeout: timeouts.queryMs + QUERY_ANSWER_GRACE_MS,
    }),
    ...(timeouts.idleInTransactionMs > 0 && {
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    }),
  };
}

function openPostgres(
  url: string,
  poolSize: number,
  timeouts: PostgresTimeouts,
  logger: Logger,
): DatabaseHandle {
  const config = connectionConfig(url, timeouts);
  const pool = new pg.Pool({ ...config, max: poolSize });
  const enginePool = new pg.Pool({
    ...config,
    max: ENGINE_POOL_SIZE,
    options: "-c synchronous_commit=off",
  });
  // A client that loses its connection emits "error": an idle one on its pool, one checked out
  // (inside a transaction, between statements) on itself. Unheard, either would crash the process;
  // the statement that needed the connection fails on its own, and the pool drops the client.
  for (const p of [pool, enginePool]) {
    p.on("error", () => undefined);
    p.on("connect", (client) => client.on("error", () => undefined));
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: droppingLostClients(pool) }) });
  const engineDb = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: droppingLostClients(enginePool) }),
  });
  return {
    db,
    engineDb,
    caps: POSTGRES_CAPABILITIES,
    description: redactUrl(url), // postgres://…, its passwords hidden
    listen: (channel, onMessage) => listenPostgres(config, channel, onMessage, logger),
    durable: () => Promise.resolve(),
    close: async () => {
      await engineDb.destroy();
      await db.destroy();
    },
  };
}

/** A BEGIN that fails on a dead pooled connection is tried on this many others before the 503. */
const BEGIN_REPLAYS = 3;
const isBegin = (sqlText: string) => /^\s*(begin|start transaction)\b/i.test(sqlText);

/**
 * The pool as Kysely sees it, except that a client whose statement failed because the server ended
 * its connection (pg_terminate_backend, a restart: a FATAL error) or never answered (query_timeout)
 * leaves the pool. pg would take it back as usable until its socket closes, and hand it to the next
 * statement, which fails too (or queues behind the unanswered one). A transaction's BEGIN that meets
 * such a client (several can be dead at once after a restart) moves to a fresh one: nothing ran yet.
 */
function droppingLostClients(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      let client = await pool.connect();
      let held = true;
      let lostBy: { error: unknown } | undefined;
      let ranStatement = false;
      const send = (sqlText: string, parameters?: readonly unknown[]) =>
        client.query(sqlText, parameters as unknown[]).catch((err: unknown) => {
          if (pgConnectionLost(err)) lostBy ??= { error: err };
          throw err;
        });
      const beginOnLiveClient = async (sqlText: string, parameters?: readonly unknown[]) => {
        for (let replays = 0; ; replays++) {
          try {
            return await send(sqlText, parameters);
          } catch (err) {
            // A timeout may mean the server is slow, not that this client is dead: no replay then.
            if (!lostBy || pgTimedOut(err) || replays >= BEGIN_REPLAYS) throw err;
            // Its slot is freed first (a pool of one has no other); if no fresh client comes, this
            // connection holds none, and its release does nothing.
            client.release(true);
            held = false;
            client = await pool.connect();
            held = true;
            lostBy = undefined;
          }
        }
      };
      const query = (sqlOrCursor: string | PostgresCursor<unknown>, parameters?: readonly unknown[]) => {
        if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as never);
        // Nothing more will be answered (Kysely's ROLLBACK would wait out a second timeout): fail now.
        if (lostBy) return Promise.reject(lostBy.error);
        const first = !ranStatement;
        ranStatement = true;
        return first && isBegin(sqlOrCursor)
          ? beginOnLiveClient(sqlOrCursor, parameters)
          : send(sqlOrCursor, parameters);
      };
      return {
        query: query as unknown as PostgresPoolClient["query"],
        // release(true) ends the client (destroying its socket if a statement is unanswered).
        release: () => {
          if (held) client.release(lostBy !== undefined);
          held = false;
        },
      };
    },
    end: () => pool.end(),
  };
}

/** Claims and completions of one instance: a claim is one statement, completions are grouped. */
const ENGINE_POOL_SIZE = 2;

/** A driver error as a log field: its code and message, which name no password. */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${String(code)}: ${message}` : message;
}

async function listenPostgres(
  config: pg.ClientConfig,
  channel: string,
  onMessage: (payload?: string) => void,
  logger: Logger,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  // One warning per outage, however many reconnects fail, and one line when it is back.
  let outageLogged = false;
  const lost = (err: unknown): void => {
    if (outageLogged || closed) return;
    outageLogged = true;
    logger.warn(
      { reason: reasonOf(err) },
      "lost the LISTEN connection to PostgreSQL; reconnecting every second (meanwhile jobs other instances enqueue are found by polling, and streams whose credentials another instance ended close at their next heartbeat)",
    );
  };
  // Losing the listener only costs latency (the poll still runs); reconnect in the background, every
  // second until the database answers again.
  const reconnectLater = (): void => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => {
          if (closed) return;
          if (outageLogged) logger.info({}, "the LISTEN connection to PostgreSQL is back");
          outageLogged = false;
          // Back: what other instances enqueued meanwhile was not heard, so look now.
          onMessage(undefined);
        },
        (err: unknown) => {
          lost(err);
          reconnectLater();
        },
      );
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client(config);
    c.on("notification", (message) => onMessage(message.payload));
    c.on("error", (err) => {
      void c.end().catch(() => undefined);
      if (client !== c) return; // still connecting: the failed connect reconnects
      client = undefined;
      lost(err);
      reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replaceAll('"', "")}"`);
    } catch (err) {
      void c.end().catch(() => undefined);
      throw err;
    }
    if (closed) {
      void c.end().catch(() => undefined);
      return;
    }
    client = c;
  };
  await connect();
  return async () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    await client?.end().catch(() => undefined);
  };
}
