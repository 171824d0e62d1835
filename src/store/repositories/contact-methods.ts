import type { Kysely, Selectable } from "kysely";
import type { ContactMethodRepository } from "../../app/ports/alerting-store.js";
import type { ContactMethod, StoredNotificationRule } from "../../core/alerts/records.js";
import type { ContactMethodsTable, Database, NotificationRulesTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

const toMethod = (row: Selectable<ContactMethodsTable>): ContactMethod => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  label: row.label,
  config: fromJsonText<ContactMethod["config"]>(row.config_json),
  createdAt: fromMs(row.created_at),
});

const toRule = (row: Selectable<NotificationRulesTable>): StoredNotificationRule => ({
  id: row.id,
  userId: row.user_id,
  contactMethodId: row.contact_method_id,
  delayMinutes: Number(row.delay_minutes),
});

/** A user's contact methods and the rules that say when each is used. */
export function contactMethodRepository(db: Kysely<Database>): ContactMethodRepository {
  return {
    async insert(m) {
      await db
        .insertInto("contact_methods")
        .values({
          id: m.id,
          user_id: m.userId,
          kind: m.kind,
          label: m.label,
          config_json: toJsonText(m.config),
          created_at: toMs(m.createdAt),
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom("contact_methods").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toMethod(row);
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom("contact_methods")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toMethod);
    },
    async delete(id) {
      const result = await db.deleteFrom("contact_methods").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async replaceRules(userId, rules) {
      await db.deleteFrom("notification_rules").where("user_id", "=", userId).execute();
      if (rules.length === 0) return;
      await db
        .insertInto("notification_rules")
        .values(
          rules.map((r, position) => ({
            id: r.id,
            user_id: userId,
            contact_method_id: r.contactMethodId,
            delay_minutes: r.delayMinutes,
            position,
          })),
        )
        .execute();
    },
    async listRules(userId) {
      const rows = await db
        .selectFrom("notification_rules")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("position")
        .execute();
      return rows.map(toRule);
    },
  };
}
