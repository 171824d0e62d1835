import type { Kysely, Selectable } from "kysely";
import type { DeliveryRepository } from "../../app/ports/alerting-store.js";
import type { Delivery, DeliveryStatus } from "../../core/alerts/records.js";
import type { Database, DeliveriesTable } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";
import { inListChunks, insertRows, updateById } from "./multi-row.js";

const toDelivery = (row: Selectable<DeliveriesTable>): Delivery => ({
  id: row.id,
  incidentId: row.incident_id,
  event: row.event as Delivery["event"],
  recipientKind: row.recipient_kind as Delivery["recipientKind"],
  recipientId: row.recipient_id,
  contactMethodId: row.contact_method_id,
  channelId: row.channel_id,
  idempotencyKey: row.idempotency_key,
  status: row.status as DeliveryStatus,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  externalId: row.external_id,
  createdAt: fromMs(row.created_at),
  sentAt: fromMsOrNull(row.sent_at),
});

const toRow = (d: Delivery) => ({
  id: d.id,
  incident_id: d.incidentId,
  event: d.event,
  recipient_kind: d.recipientKind,
  recipient_id: d.recipientId,
  contact_method_id: d.contactMethodId,
  channel_id: d.channelId,
  idempotency_key: d.idempotencyKey,
  status: d.status,
  attempts: d.attempts,
  last_error: d.lastError,
  external_id: d.externalId,
  created_at: toMs(d.createdAt),
  sent_at: toMsOrNull(d.sentAt),
});

export function deliveryRepository(db: Kysely<Database>): DeliveryRepository {
  return {
    async insertIfAbsent(d) {
      const inserted = await db
        .insertInto("deliveries")
        .values(toRow(d))
        .onConflict((oc) => oc.column("idempotency_key").doNothing())
        .returning("id")
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async listTakenKeys(idempotencyKeys) {
      const taken = new Set<string>();
      for (const chunk of inListChunks(idempotencyKeys)) {
        const rows = await db
          .selectFrom("deliveries")
          .select("idempotency_key")
          .where("idempotency_key", "in", chunk)
          .execute();
        for (const row of rows) taken.add(row.idempotency_key);
      }
      return taken;
    },
    async insertMany(deliveries) {
      await insertRows(db, "deliveries", deliveries.map(toRow));
    },
    async findById(id) {
      const row = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toDelivery(row);
    },
    async findByIds(ids) {
      const found: Delivery[] = [];
      for (const chunk of inListChunks(ids)) {
        const rows = await db.selectFrom("deliveries").selectAll().where("id", "in", chunk).execute();
        for (const row of rows) found.push(toDelivery(row));
      }
      return found;
    },
    async recordAttempts(deliveries) {
      // One multi-row upsert by id in place of an UPDATE per delivery: every row exists.
      await insertRows(
        db,
        "deliveries",
        deliveries.map(toRow),
        updateById(["status", "attempts", "last_error", "external_id", "sent_at"]),
      );
    },
    async markAttempt(id, changes) {
      await db
        .updateTable("deliveries")
        .set({
          status: changes.status,
          attempts: changes.attempts,
          last_error: changes.lastError,
          ...(changes.externalId !== undefined && { external_id: changes.externalId }),
          ...(changes.sentAt !== undefined && { sent_at: toMsOrNull(changes.sentAt) }),
        })
        .where("id", "=", id)
        .execute();
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("deliveries")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toDelivery);
    },
    async findLastExternalIds(incidentIds) {
      const last = new Map<string, { externalId: string; createdAt: number; id: string }>();
      for (const chunk of inListChunks(incidentIds)) {
        const rows = await db
          .selectFrom("deliveries")
          .select(["id", "incident_id", "channel_id", "external_id", "created_at"])
          .where("incident_id", "in", chunk)
          .where("channel_id", "is not", null)
          .where("external_id", "is not", null)
          .execute();
        for (const row of rows) {
          const key = `${row.incident_id} ${row.channel_id}`;
          const createdAt = Number(row.created_at);
          const seen = last.get(key);
          // The latest by (created_at, id), as findLastExternalId orders.
          if (!seen || createdAt > seen.createdAt || (createdAt === seen.createdAt && row.id > seen.id))
            last.set(key, { externalId: row.external_id as string, createdAt, id: row.id });
        }
      }
      return new Map([...last].map(([key, v]) => [key, v.externalId]));
    },
    async findLastExternalId(incidentId, channelId) {
      const row = await db
        .selectFrom("deliveries")
        .select("external_id")
        .where("incident_id", "=", incidentId)
        .where("channel_id", "=", channelId)
        .where("external_id", "is not", null)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      return row?.external_id ?? null;
    },
  };
}
