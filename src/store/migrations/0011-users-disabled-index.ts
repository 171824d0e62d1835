import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * Schedules load the disabled people (`users.listDisabled`: disabled_at is not null, by id) whenever
 * they work out who is on call; without an index each load reads every user. Partial, so it holds
 * only disabled people, and on (id, disabled_at): SQLite, which has no statistics here (no ANALYZE),
 * passes over an index on disabled_at alone for a scan in id order, but uses this one, which covers
 * the query in its order. PostgreSQL uses it too.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createIndex("users_disabled")
    .on("users")
    .columns(["id", "disabled_at"])
    .where(sql.ref("disabled_at"), "is not", null)
    .execute();
}
