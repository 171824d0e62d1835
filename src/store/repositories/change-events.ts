import type { Kysely, Selectable } from "kysely";
import type { ChangeEventRepository } from "../../app/ports/alerting-store.js";
import type { ChangeEventRecord } from "../../core/alerts/records.js";
import type { ChangeEventsTable, Database } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

const toChangeEvent = (row: Selectable<ChangeEventsTable>): ChangeEventRecord => ({
  id: row.id,
  serviceId: row.service_id,
  integrationId: row.integration_id,
  summary: row.summary,
  source: row.source,
  occurredAt: fromMs(row.occurred_at),
  details: fromJsonText<ChangeEventRecord["details"]>(row.details_json),
  links: fromJsonText<ChangeEventRecord["links"]>(row.links_json),
  createdAt: fromMs(row.created_at),
});

export function changeEventRepository(db: Kysely<Database>): ChangeEventRepository {
  return {
    async insert(e) {
      await db
        .insertInto("change_events")
        .values({
          id: e.id,
          service_id: e.serviceId,
          integration_id: e.integrationId,
          summary: e.summary,
          source: e.source,
          occurred_at: toMs(e.occurredAt),
          details_json: toJsonText(e.details),
          links_json: toJsonText(e.links),
          created_at: toMs(e.createdAt),
        })
        .execute();
    },
    async listForService(serviceId, from, to, limit) {
      const rows = await db
        .selectFrom("change_events")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("occurred_at", ">=", toMs(from))
        .where("occurred_at", "<=", toMs(to))
        .orderBy("occurred_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toChangeEvent);
    },
  };
}
