import type { Kysely, Selectable } from "kysely";
import type { PublicUpdateRepository, StoredPublicUpdate } from "../../app/ports/response-store.js";
import type { PublicStatus } from "../../core/response/public-update-templates.js";
import type { PublicUpdatesTable } from "../response-schema.js";
import type { Database } from "../schema.js";
import { fromJsonText, toJsonText } from "./json.js";

const toUpdate = (row: Selectable<PublicUpdatesTable>): StoredPublicUpdate => ({
  id: row.id,
  incidentId: row.incident_id,
  status: row.status as PublicStatus,
  message: row.message,
  postedBy: row.posted_by,
  postedAtMs: Number(row.posted_at_ms),
  componentIds: fromJsonText<string[]>(row.component_ids_json),
  publishedAtMs: row.published_at_ms === null ? null : Number(row.published_at_ms),
});

export function publicUpdateRepository(db: Kysely<Database>): PublicUpdateRepository {
  return {
    async insert(u) {
      await db
        .insertInto("public_updates")
        .values({
          id: u.id,
          incident_id: u.incidentId,
          status: u.status,
          message: u.message,
          posted_by: u.postedBy,
          posted_at_ms: u.postedAtMs,
          component_ids_json: toJsonText(u.componentIds),
          published_at_ms: u.publishedAtMs,
        })
        .execute();
    },
    async find(id) {
      const row = await db.selectFrom("public_updates").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toUpdate(row);
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("public_updates")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("posted_at_ms")
        .orderBy("id")
        .execute();
      return rows.map(toUpdate);
    },
    async markPublished(id, atMs) {
      await db.updateTable("public_updates").set({ published_at_ms: atMs }).where("id", "=", id).execute();
    },
  };
}
