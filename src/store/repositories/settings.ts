import type { Kysely } from "kysely";
import type { SettingsRepository } from "../../app/ports/alerting-store.js";
import type { Database } from "../schema.js";

/** Instance-wide key/value settings (e.g. generated secrets), written once. */
export function settingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async get(key) {
      const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
      return row?.value;
    },
    async setIfAbsent(key, value) {
      await db
        .insertInto("settings")
        .values({ key, value })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      const row = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", key)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
