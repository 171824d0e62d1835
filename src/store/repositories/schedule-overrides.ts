import type { Kysely, Selectable } from "kysely";
import type { ScheduleOverrideRepository } from "../../app/ports/schedule-store.js";
import type { OverrideRecord, OverrideSource } from "../../core/schedules/records.js";
import type { Database, ScheduleOverridesTable } from "../schema.js";

const toOverride = (row: Selectable<ScheduleOverridesTable>): OverrideRecord => ({
  id: row.id,
  scheduleId: row.schedule_id,
  userId: row.user_id,
  startMs: Number(row.start_ms),
  endMs: Number(row.end_ms),
  replacesUserId: row.replaces_user_id,
  source: row.source as OverrideSource,
  createdBy: row.created_by,
  createdAtMs: Number(row.created_at_ms),
});

export function scheduleOverrideRepository(db: Kysely<Database>): ScheduleOverrideRepository {
  return {
    async insert(o) {
      await db
        .insertInto("schedule_overrides")
        .values({
          id: o.id,
          schedule_id: o.scheduleId,
          user_id: o.userId,
          start_ms: o.startMs,
          end_ms: o.endMs,
          replaces_user_id: o.replacesUserId,
          source: o.source,
          created_by: o.createdBy,
          created_at_ms: o.createdAtMs,
        })
        .execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom("schedule_overrides")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toOverride(row);
    },
    async delete(id) {
      const result = await db.deleteFrom("schedule_overrides").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async setEnd(id, endMs) {
      await db.updateTable("schedule_overrides").set({ end_ms: endMs }).where("id", "=", id).execute();
    },
    async listOverlapping(scheduleId, fromMs, toMs) {
      const rows = await db
        .selectFrom("schedule_overrides")
        .selectAll()
        .where("schedule_id", "=", scheduleId)
        .where("end_ms", ">", fromMs)
        .where("start_ms", "<", toMs)
        .orderBy("created_at_ms")
        .orderBy("id")
        .execute();
      return rows.map(toOverride);
    },
  };
}
