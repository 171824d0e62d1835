import { CompiledQuery, type InsertQueryBuilder, type Kysely } from "kysely";
import type { Database } from "../schema.js";

/**
 * Multi-row statements go in chunks: a row of the widest table binds about 20 parameters, and SQLite
 * allows 32,766 per statement (PostgreSQL 65,535).
 */
export const MULTI_ROW_CHUNK = 500;

export function chunksOf<T>(items: readonly T[], size = MULTI_ROW_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let from = 0; from < items.length; from += size) chunks.push(items.slice(from, from + size));
  return chunks;
}

/**
 * Values for `IN (…)` lists, in chunks each padded to a power of two by repeating its last value
 * (a repeat matches nothing new): a few SQL texts instead of one per list length, so prepared
 * statements are reused rather than evicted and prepared again.
 */
export function inListChunks<T>(values: readonly T[]): T[][] {
  return chunksOf([...new Set(values)], 512).map((chunk) => {
    let size = 1;
    while (size < chunk.length) size *= 2;
    return [...chunk, ...Array.from({ length: size - chunk.length }, () => chunk[chunk.length - 1] as T)];
  });
}

/**
 * Rows per multi-row INSERT: a small group (the usual ingest group is a handful of requests) is one
 * statement of exactly its size; a larger one goes in chunks of 256, 64 or 16 and then the rest. So
 * few statements run, and at most 18 texts are compiled and prepared per table.
 */
export function rowsPerStatement(rowsLeft: number): number {
  if (rowsLeft <= EXACT_ROW_COUNTS_UP_TO) return rowsLeft;
  return LARGE_ROW_COUNTS.find((n) => n <= rowsLeft) as number;
}
const EXACT_ROW_COUNTS_UP_TO = 16;
const LARGE_ROW_COUNTS = [256, 64, 16] as const;

type TableName = keyof Database & string;
type Builder = InsertQueryBuilder<Database, TableName, object>;

const compiled = new WeakMap<object, Map<string, string>>();

/**
 * Inserts rows (each an object with the same keys, in the same order) with multi-row statements whose
 * SQL is compiled once per dialect, table and row count, then run with fresh parameters: the query
 * builder's cost per value (a node per value, compiled every time) was most of the ingest's CPU.
 * `finish` adds an ON CONFLICT clause or the like; `variant` names it in the cache.
 */
export async function insertRows(
  db: Kysely<Database>,
  table: TableName,
  rows: ReadonlyArray<Record<string, unknown>>,
  finish?: { variant: string; apply: (builder: Builder) => Builder },
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const adapter = db.getExecutor().adapter;
  let texts = compiled.get(adapter);
  if (!texts) compiled.set(adapter, (texts = new Map()));
  let next = 0;
  while (next < rows.length) {
    const count = rowsPerStatement(rows.length - next);
    const cacheKey = `${table}\u0000${finish?.variant ?? ""}\u0000${columns.join(",")}\u0000${count}`;
    let sqlText = texts.get(cacheKey);
    if (sqlText === undefined) {
      const placeholderRow = Object.fromEntries(columns.map((c) => [c, null]));
      const builder = db
        .insertInto(table)
        .values(Array.from({ length: count }, () => placeholderRow) as never) as unknown as Builder;
      const query = (finish ? finish.apply(builder) : builder).compile();
      if (query.parameters.length !== count * columns.length)
        throw new Error(`multi-row insert into ${table}: unexpected parameters`);
      sqlText = query.sql;
      texts.set(cacheKey, sqlText);
    }
    // By position, as the rows' keys are in the same order: reading `row[column]` by a name that varies
    // per column was several times slower.
    const parameters: unknown[] = [];
    for (let r = next; r < next + count; r++)
      for (const value of Object.values(rows[r] as object)) parameters.push(value);
    if (parameters.length !== count * columns.length)
      throw new Error(`multi-row insert into ${table}: rows with different columns`);
    await db.executeQuery(CompiledQuery.raw(sqlText, parameters));
    next += count;
  }
}

/** For insertRows: an upsert by primary key `id` that sets these columns, for rows known to exist. */
export function updateById(columns: readonly string[]): {
  variant: string;
  apply: (builder: Builder) => Builder;
} {
  return {
    variant: `update by id: ${columns.join(",")}`,
    apply: (builder) =>
      builder.onConflict((oc) =>
        oc
          .column("id" as never)
          .doUpdateSet(
            (eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never,
          ),
      ) as Builder,
  };
}
