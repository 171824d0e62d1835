import type { Kysely, Selectable } from "kysely";
import type { MaintenanceRepository } from "../../app/ports/alerting-store.js";
import type { MaintenanceWindowRecord } from "../../core/alerts/records.js";
import type { MaintenanceWindow } from "../../core/maintenance/maintenance-window.js";
import type { Database, MaintenanceWindowsTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

/** The window as stored: a one-off window's instants become epoch ms, like every other instant. */
type StoredWindow =
  | { readonly kind: "one-off"; readonly startsAt: number; readonly endsAt: number }
  | Extract<MaintenanceWindow, { kind: "weekly" }>;

const toStored = (w: MaintenanceWindow): StoredWindow =>
  w.kind === "one-off" ? { kind: "one-off", startsAt: toMs(w.startsAt), endsAt: toMs(w.endsAt) } : w;

const fromStored = (w: StoredWindow): MaintenanceWindow =>
  w.kind === "one-off" ? { kind: "one-off", startsAt: fromMs(w.startsAt), endsAt: fromMs(w.endsAt) } : w;

const toRecord = (row: Selectable<MaintenanceWindowsTable>): MaintenanceWindowRecord => ({
  id: row.id,
  serviceId: row.service_id,
  window: fromStored(fromJsonText<StoredWindow>(row.window_json)),
  reason: row.reason,
  createdBy: row.created_by,
  createdAt: fromMs(row.created_at),
});

export function maintenanceRepository(db: Kysely<Database>): MaintenanceRepository {
  return {
    async insert(m) {
      await db
        .insertInto("maintenance_windows")
        .values({
          id: m.id,
          service_id: m.serviceId,
          window_json: toJsonText(toStored(m.window)),
          reason: m.reason,
          created_by: m.createdBy,
          created_at: toMs(m.createdAt),
        })
        .execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom("maintenance_windows")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async delete(id) {
      const result = await db.deleteFrom("maintenance_windows").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listForService(serviceId) {
      const rows = await db
        .selectFrom("maintenance_windows")
        .selectAll()
        .where("service_id", "=", serviceId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
    async listAll() {
      const rows = await db
        .selectFrom("maintenance_windows")
        .selectAll()
        .orderBy("service_id")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
  };
}
