import type { Kysely } from "kysely";
import type { AuditLogRepository } from "../../app/ports/store.js";
import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Database } from "../schema.js";
import { fromMs, toMs } from "./instants.js";

const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);
const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function auditLogRepository(db: Kysely<Database>): AuditLogRepository {
  return {
    async record(e) {
      await db
        .insertInto("audit_log")
        .values({
          at: toMs(e.at),
          actor_kind: e.actor.kind,
          actor_id: e.actor.id,
          actor_label: e.actor.label,
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          before_json: toJson(e.before),
          after_json: toJson(e.after),
          request_id: e.requestId,
        })
        .execute();
    },
    async list({ limit, beforeId, entityType, entityId }) {
      let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit);
      if (beforeId !== undefined && Number.isSafeInteger(Number(beforeId)))
        query = query.where("id", "<", Number(beforeId));
      if (entityType !== undefined) query = query.where("entity_type", "=", entityType);
      if (entityId !== undefined) query = query.where("entity_id", "=", entityId);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: String(r.id),
        at: fromMs(r.at),
        actor: { kind: r.actor_kind as AuditActor["kind"], id: r.actor_id, label: r.actor_label },
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: fromJson(r.before_json),
        after: fromJson(r.after_json),
        requestId: r.request_id,
      }));
    },
  };
}
