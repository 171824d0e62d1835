import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * Deleted services and integrations are archived, not removed: alerts and incidents refer to them.
 * An archived service gives its name up (SQLite cannot drop the column's UNIQUE constraint without
 * rebuilding a table many others reference), so it moves the name to archived_name.
 * The "manual pages" webhook that paging by hand made gets a kind of its own, which lists leave out.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable("services").addColumn("archived_at", "bigint").execute();
  await db.schema.alterTable("services").addColumn("archived_name", "text").execute();
  await db.schema.alterTable("integrations").addColumn("archived_at", "bigint").execute();
  await sql`update integrations set kind = 'manual' where kind = 'webhook' and name = 'manual pages'`.execute(
    db,
  );
}
