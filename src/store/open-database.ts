import { mkdirSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES, type DialectCapabilities } from "./capabilities.js";
import type { Database } from "./schema.js";

export type StoreLocation =
  | { readonly kind: "sqlite"; readonly file: string; readonly synchronous: "full" | "normal" }
  | { readonly kind: "postgres"; readonly url: string; readonly poolSize: number };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  /** Where the data lives, with any password removed: safe to print. */
  readonly description: string;
  /** Opens a dedicated connection that calls `onMessage` on each NOTIFY (PostgreSQL only). */
  readonly listen?: (channel: string, onMessage: () => void) => Promise<() => Promise<void>>;
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

export function openDatabase(location: StoreLocation): DatabaseHandle {
  return location.kind === "sqlite"
    ? openSqlite(location.file, location.synchronous)
    : openPostgres(location.url, location.poolSize);
}

function openSqlite(file: string, synchronous: "full" | "normal"): DatabaseHandle {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  sqlite.pragma("foreign_keys = ON");
  // Another process (the CLI) may hold the write lock briefly; wait rather than fail.
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    caps: SQLITE_CAPABILITIES,
    description: `sqlite:${file}`,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query anew; the same few hundred SQL texts repeat, so keep their prepared
 * statements (a tenth of the CPU of an alert's ingest went to preparing).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, maxStatements = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
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

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle client that loses its connection emits here; without a listener Node would crash.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    caps: POSTGRES_CAPABILITIES,
    description: `postgres:${redactUrl(url)}`,
    listen: (channel, onMessage) => listenPostgres(url, channel, onMessage),
    close: () => db.destroy(),
  };
}

async function listenPostgres(
  url: string,
  channel: string,
  onMessage: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, types: pgTypes });
    c.on("notification", () => onMessage());
    c.on("error", () => {
      // Losing the listener only costs latency (the poll still runs); reconnect in the background.
      void c.end().catch(() => undefined);
      if (!closed) retryTimer = setTimeout(() => void connect().catch(() => undefined), 1_000);
    });
    await c.connect();
    await c.query(`LISTEN "${channel.replaceAll('"', "")}"`);
    client = c;
  };
  await connect();
  return async () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    await client?.end().catch(() => undefined);
  };
}
