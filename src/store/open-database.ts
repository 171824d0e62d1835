import { mkdirSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
} from "kysely";
import pg from "pg";
import {
  POSTGRES_CAPABILITIES,
  SQLITE_CAPABILITIES,
  pgConnectionLost,
  type DialectCapabilities,
} from "./capabilities.js";
import type { Database } from "./schema.js";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";
import { SqliteWalSync, totalChangesReader } from "./sqlite-wal-sync.js";

export type StoreLocation =
  | { readonly kind: "sqlite"; readonly file: string; readonly synchronous: "full" | "normal" }
  | { readonly kind: "postgres"; readonly url: string; readonly poolSize: number };

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

/** Removes the password from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "SECRET";
    return parsed.toString().replace(":SECRET@", ":<secret>@");
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
}

export function openDatabase(location: StoreLocation, options: OpenOptions = {}): DatabaseHandle {
  return location.kind === "sqlite"
    ? openSqlite(location.file, location.synchronous, options.backgroundCheckpoints ?? true)
    : openPostgres(location.url, location.poolSize);
}

function openSqlite(
  file: string,
  synchronous: "full" | "normal",
  backgroundCheckpoints: boolean,
): DatabaseHandle {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  // Commits never fsync on the event loop; "full" makes durable work await SqliteWalSync instead.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Another process (the CLI) may hold the write lock briefly; wait rather than fail.
  sqlite.pragma("busy_timeout = 5000");
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
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, walSync) }),
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
  maxStatements = 500,
) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const boundaries = transactionBoundaries(sqlite, walSync);
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      if (sqlText === "begin" || sqlText === "commit") return boundaries[sqlText];
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

/**
 * `begin` and `commit` as the driver runs them (`reader`, `run`), telling the WAL sync. A
 * transaction takes the write lock at BEGIN IMMEDIATE: a deferred one that read first and then
 * wrote would fail at once (SQLITE_BUSY) if another process (the CLI, an engine) had written in
 * between, where IMMEDIATE waits its turn under busy_timeout.
 */
function transactionBoundaries(sqlite: SqliteDatabase.Database, walSync: SqliteWalSync | undefined) {
  const begin = sqlite.prepare("begin immediate");
  const commit = sqlite.prepare("commit");
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
  };
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  const enginePool = new pg.Pool({
    connectionString: url,
    max: ENGINE_POOL_SIZE,
    types: pgTypes,
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
    description: `postgres:${redactUrl(url)}`,
    listen: (channel, onMessage) => listenPostgres(url, channel, onMessage),
    durable: () => Promise.resolve(),
    close: async () => {
      await engineDb.destroy();
      await db.destroy();
    },
  };
}

/**
 * The pool as Kysely sees it, except that a client whose statement failed because the server ended
 * its connection (pg_terminate_backend, a restart: a FATAL error) leaves the pool. pg would take it
 * back as usable until its socket closes, and hand it to the next statement, which fails too.
 */
function droppingLostClients(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect();
      let lost = false;
      const query = (sqlOrCursor: string | PostgresCursor<unknown>, parameters?: readonly unknown[]) => {
        if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as never);
        return client.query(sqlOrCursor, parameters as unknown[]).catch((err: unknown) => {
          lost ||= pgConnectionLost(err);
          throw err;
        });
      };
      return {
        query: query as unknown as PostgresPoolClient["query"],
        // release(true) ends the client instead of keeping it idle.
        release: () => client.release(lost),
      };
    },
    end: () => pool.end(),
  };
}

/** Claims and completions of one instance: a claim is one statement, completions are grouped. */
const ENGINE_POOL_SIZE = 2;

async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (payload?: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  // Losing the listener only costs latency (the poll still runs); reconnect in the background, every
  // second until the database answers again.
  const reconnectLater = (): void => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      // Back: what other instances enqueued meanwhile was not heard, so look now.
      connect().then(() => onMessage(undefined), reconnectLater);
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, types: pgTypes });
    c.on("notification", (message) => onMessage(message.payload));
    c.on("error", () => {
      void c.end().catch(() => undefined);
      if (client !== c) return; // still connecting: the failed connect reconnects
      client = undefined;
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
