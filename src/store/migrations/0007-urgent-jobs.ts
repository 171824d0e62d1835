import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * Jobs that wake a person (a page, an escalation timer) are marked urgent. When every ordinary slot
 * of the engine is busy (a slow shared channel, say), its reserved slots claim only these, through an
 * index of their own that holds nothing else: the claim never walks past the other waiting jobs.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema
    .alterTable("jobs")
    .addColumn("urgent", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("jobs_urgent_due")
    .on("jobs")
    .column("run_at")
    .where(sql.ref("failed_at"), "is", null)
    .where(sql.ref("urgent"), "=", 1)
    .execute();
}
