import type { Kysely, Selectable } from "kysely";
import type { ScheduleRepository } from "../../app/ports/schedule-store.js";
import type { LayerRecord, ScheduleRecord } from "../../core/schedules/records.js";
import type { FixedShift, RotationVersion } from "../../core/schedules/schedule.js";
import type { Database, RotationVersionsTable, ScheduleLayersTable, SchedulesTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

type RotationSettings = Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">;

const toSchedule = (row: Selectable<SchedulesTable>): ScheduleRecord => ({
  id: row.id,
  name: row.name,
  description: row.description,
  timeZone: row.time_zone,
  teamId: row.team_id,
  createdAt: fromMs(row.created_at_ms),
  updatedAt: fromMs(row.updated_at_ms),
});

const scheduleColumns = (s: ScheduleRecord) => ({
  name: s.name,
  description: s.description,
  time_zone: s.timeZone,
  team_id: s.teamId,
  updated_at_ms: toMs(s.updatedAt),
});

const toVersion = (row: Selectable<RotationVersionsTable>): RotationVersion => {
  const settings = fromJsonText<RotationSettings>(row.settings_json);
  return {
    effectiveFromMs: Number(row.effective_from_ms),
    effectiveUntilMs: row.effective_until_ms === null ? null : Number(row.effective_until_ms),
    memberIds: settings.memberIds,
    shiftLength: settings.shiftLength,
    shiftUnit: settings.shiftUnit,
    startLocal: settings.startLocal,
    restrictions: settings.restrictions,
  };
};

const versionRow = (layerId: string, v: RotationVersion) => ({
  layer_id: layerId,
  effective_from_ms: v.effectiveFromMs,
  effective_until_ms: v.effectiveUntilMs,
  settings_json: toJsonText({
    memberIds: v.memberIds,
    shiftLength: v.shiftLength,
    shiftUnit: v.shiftUnit,
    startLocal: v.startLocal,
    restrictions: v.restrictions,
  } satisfies RotationSettings),
});

const toLayer = (row: Selectable<ScheduleLayersTable>, versions: RotationVersion[]): LayerRecord => {
  const endedAtMs = row.ended_at_ms === null ? null : Number(row.ended_at_ms);
  const common = { id: row.id, name: row.name, priority: Number(row.priority) };
  return row.source === "fixed"
    ? {
        layer: {
          ...common,
          source: "fixed",
          shifts: fromJsonText<FixedShift[]>(row.fixed_shifts_json ?? "[]"),
        },
        endedAtMs,
      }
    : { layer: { ...common, source: "rotation", versions }, endedAtMs };
};

const layerColumns = ({ layer, endedAtMs }: LayerRecord) => ({
  name: layer.name,
  priority: layer.priority,
  source: layer.source,
  fixed_shifts_json: layer.source === "fixed" ? toJsonText(layer.shifts) : null,
  ended_at_ms: endedAtMs,
});

export function scheduleRepository(db: Kysely<Database>): ScheduleRepository {
  const insertVersions = async ({ layer }: LayerRecord) => {
    if (layer.source !== "rotation" || layer.versions.length === 0) return;
    await db
      .insertInto("rotation_versions")
      .values(layer.versions.map((v) => versionRow(layer.id, v)))
      .execute();
  };
  return {
    async insert(s) {
      await db
        .insertInto("schedules")
        .values({ id: s.id, created_at_ms: toMs(s.createdAt), ...scheduleColumns(s) })
        .execute();
    },
    async update(s) {
      await db.updateTable("schedules").set(scheduleColumns(s)).where("id", "=", s.id).execute();
    },
    async delete(id) {
      const result = await db.deleteFrom("schedules").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async findById(id) {
      const row = await db.selectFrom("schedules").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toSchedule(row);
    },
    async findByName(name) {
      const row = await db.selectFrom("schedules").selectAll().where("name", "=", name).executeTakeFirst();
      return row && toSchedule(row);
    },
    async list() {
      const rows = await db.selectFrom("schedules").selectAll().orderBy("name").orderBy("id").execute();
      return rows.map(toSchedule);
    },
    async listForTeam(teamId) {
      const rows = await db
        .selectFrom("schedules")
        .selectAll()
        .where("team_id", "=", teamId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(toSchedule);
    },
    async insertLayer(scheduleId, record, createdAtMs) {
      await db
        .insertInto("schedule_layers")
        .values({
          id: record.layer.id,
          schedule_id: scheduleId,
          created_at_ms: createdAtMs,
          ...layerColumns(record),
        })
        .execute();
      await insertVersions(record);
    },
    async updateLayer(scheduleId, record) {
      await db
        .updateTable("schedule_layers")
        .set(layerColumns(record))
        .where("id", "=", record.layer.id)
        .where("schedule_id", "=", scheduleId)
        .execute();
      await db.deleteFrom("rotation_versions").where("layer_id", "=", record.layer.id).execute();
      await insertVersions(record);
    },
    async listLayers(scheduleId) {
      const rows = await db
        .selectFrom("schedule_layers")
        .selectAll()
        .where("schedule_id", "=", scheduleId)
        .orderBy("created_at_ms")
        .orderBy("id")
        .execute();
      if (rows.length === 0) return [];
      const versionRows = await db
        .selectFrom("rotation_versions")
        .selectAll()
        .where(
          "layer_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("effective_from_ms")
        .execute();
      const versionsByLayer = new Map<string, RotationVersion[]>();
      for (const v of versionRows) {
        const list = versionsByLayer.get(v.layer_id) ?? [];
        list.push(toVersion(v));
        versionsByLayer.set(v.layer_id, list);
      }
      return rows.map((row) => toLayer(row, versionsByLayer.get(row.id) ?? []));
    },
  };
}
