import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import pg from "pg";
import { migrateToLatest } from "../../src/store/migrate.js";
import { openDatabase, type DatabaseHandle } from "../../src/store/open-database.js";

/**
 * One test suite, run against SQLite and PostgreSQL (Kysely's DIALECTS convention).
 * TEST_DIALECTS=sqlite,postgres filters; FIREBREAK_TEST_PG_URL names the server.
 * Without a reachable PostgreSQL the postgres half is skipped and says why; with CI=true it fails.
 */
export type DialectName = "sqlite" | "postgres";

export const PG_ADMIN_URL =
  process.env.FIREBREAK_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const IN_CI = process.env.CI === "true";
const WANTED = new Set((process.env.TEST_DIALECTS ?? "sqlite,postgres").split(",").map((s) => s.trim()));

let pgProbe: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise the reason it does not. */
export function postgresUnavailable(): Promise<string | undefined> {
  pgProbe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return undefined;
    } catch (err) {
      return `${(err as Error).message || (err as { code?: string }).code || "unknown error"}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgProbe;
}

let counter = 0;

/** A fresh, empty database of the dialect, plus how to make its location for the server config. */
export interface FreshDatabase {
  readonly handle: DatabaseHandle;
  /** For a second connection to the same database (a second instance in a test). */
  readonly location: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  drop(): Promise<void>;
}

export async function createFreshDatabase(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<FreshDatabase> {
  let fresh: FreshDatabase;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "firebreak-test-"));
    const file = path.join(dir, "firebreak.db");
    const handle = openDatabase({ kind: "sqlite", file, synchronous: "normal" });
    fresh = {
      handle,
      location: { kind: "sqlite", file },
      drop: async () => {
        await handle.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    const name = `fb_test_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const handle = openDatabase({ kind: "postgres", url: url.toString(), poolSize: 10 });
    fresh = {
      handle,
      location: { kind: "postgres", url: url.toString() },
      drop: async () => {
        await handle.close().catch(() => undefined);
        const cleaner = new pg.Client({ connectionString: PG_ADMIN_URL });
        await cleaner.connect();
        await cleaner.query(`drop database if exists ${name} with (force)`);
        await cleaner.end();
      },
    };
  }
  if (options.migrate !== false) await migrateToLatest(fresh.handle);
  return fresh;
}

/** Declares `suite` once per dialect: `describe("sqlite: jobs", …)` and `describe("postgres: jobs", …)`. */
export function describeEachDialect(title: string, suite: (dialect: DialectName) => void): void {
  for (const dialect of ["sqlite", "postgres"] as const) {
    if (!WANTED.has(dialect)) continue;
    if (dialect === "sqlite") {
      describe(`sqlite: ${title}`, () => suite(dialect));
      continue;
    }
    describeOnPostgres(title, () => suite(dialect));
  }
}

/**
 * `describe("postgres: …", …)` when PostgreSQL answers. Without it: a failure under CI=true, a
 * skip that says why otherwise.
 */
export function describeOnPostgres(title: string, suite: () => void): void {
  if (!WANTED.has("postgres")) return;
  describe(`postgres: ${title}`, async () => {
    const reason = await postgresUnavailable();
    if (reason && IN_CI) {
      it("has a reachable PostgreSQL (required when CI=true)", () => {
        throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: ${reason}`);
      });
      return;
    }
    if (reason) {
      process.stderr.write(
        `\n# SKIPPED postgres half of "${title}": PostgreSQL not reachable at ${PG_ADMIN_URL} (${reason})\n`,
      );
      describe(
        "skipped",
        { skip: `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${reason}` },
        () => undefined,
      );
      return;
    }
    suite();
  });
}
