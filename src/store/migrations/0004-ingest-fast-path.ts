import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * The expiry sweep (`alerts.expire-due`) asks a service's firing alerts whose expiry passed, and the
 * earliest expiry: without this index both scan every firing alert of the service.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createIndex("alerts_firing_expiry")
    .on("alerts")
    .columns(["service_id", "expires_at"])
    .where(sql.ref("status"), "=", "firing")
    .execute();
}
