import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * A firing alert's dedup key was unique per service, so every integration of a service shared one
 * set of keys: one sender could refresh, acknowledge or resolve another's alert (a PagerDuty resolve
 * ended a webhook's page). An alert now belongs to the integration that opened it: unique per
 * (integration, dedup key). Existing rows satisfy it, since the old index was stricter and an
 * integration never changes service. Dropped and made in the migration's one transaction (both
 * dialects), so no moment allows two firing alerts of one key; same name, same shape, same cost.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.dropIndex("alerts_firing_dedup").execute();
  await db.schema
    .createIndex("alerts_firing_dedup")
    .unique()
    .on("alerts")
    .columns(["integration_id", "dedup_key"])
    .where(sql.ref("status"), "=", "firing")
    .execute();
}
