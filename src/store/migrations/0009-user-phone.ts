import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * A person's phone on their profile, for the incident Directory: the contact-method kinds that could
 * carry a number (sms, voice) have no notifier, so no number ever reached responders.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable("users").addColumn("phone", "text").execute();
}
