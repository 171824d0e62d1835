import type { Kysely, Selectable } from "kysely";
import type { IncidentTaskRepository } from "../../app/ports/response-store.js";
import type { AttackPlanTask, TaskHandover, TaskState } from "../../core/response/tasks.js";
import type { IncidentTasksTable } from "../response-schema.js";
import type { Database } from "../schema.js";
import { fromJsonTextOrNull, toJsonTextOrNull } from "./json.js";

const toTask = (row: Selectable<IncidentTasksTable>): AttackPlanTask => ({
  id: row.id,
  title: row.title,
  ownerId: row.owner_id,
  state: row.state as TaskState,
  createdBy: row.created_by,
  createdAtMs: Number(row.created_at_ms),
  updatedAtMs: Number(row.updated_at_ms),
  pendingHandover: fromJsonTextOrNull<TaskHandover>(row.pending_handover_json),
});

export function incidentTaskRepository(db: Kysely<Database>): IncidentTaskRepository {
  return {
    async insert(incidentId, t) {
      await db
        .insertInto("incident_tasks")
        .values({
          id: t.id,
          incident_id: incidentId,
          title: t.title,
          owner_id: t.ownerId,
          state: t.state,
          pending_handover_json: toJsonTextOrNull(t.pendingHandover),
          created_by: t.createdBy,
          created_at_ms: t.createdAtMs,
          updated_at_ms: t.updatedAtMs,
        })
        .execute();
    },
    async update(t) {
      await db
        .updateTable("incident_tasks")
        .set({
          title: t.title,
          owner_id: t.ownerId,
          state: t.state,
          pending_handover_json: toJsonTextOrNull(t.pendingHandover),
          updated_at_ms: t.updatedAtMs,
        })
        .where("id", "=", t.id)
        .execute();
    },
    async find(incidentId, taskId) {
      const row = await db
        .selectFrom("incident_tasks")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .where("id", "=", taskId)
        .executeTakeFirst();
      return row && toTask(row);
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("incident_tasks")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("created_at_ms")
        .orderBy("id")
        .execute();
      return rows.map(toTask);
    },
    async listOpenOwnedBy(userId) {
      const rows = await db
        .selectFrom("incident_tasks")
        .selectAll()
        .where("owner_id", "=", userId)
        .where("state", "in", ["open", "in-progress"])
        .orderBy("created_at_ms")
        .orderBy("id")
        .execute();
      return rows.map((row) => ({ ...toTask(row), incidentId: row.incident_id }));
    },
  };
}
