import type { Kysely, Selectable } from "kysely";
import type { StatusIncidentRepository, StatusMaintenanceRepository } from "../../app/ports/status-store.js";
import type {
  AffectedComponent,
  ComponentStatus,
  IncidentImpact,
  IncidentStatus,
  MaintenanceRecord,
  MaintenanceStatus,
  MaintenanceUpdateRecord,
  StatusIncidentRecord,
  StatusIncidentUpdateRecord,
} from "../../core/status/status-records.js";
import type { Database } from "../schema.js";
import type {
  StatusIncidentsTable,
  StatusIncidentUpdatesTable,
  StatusMaintenancesTable,
  StatusMaintenanceUpdatesTable,
} from "../status-schema.js";
import { fromJsonText, toJsonText } from "./json.js";

const msOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toUpdate = (r: Selectable<StatusIncidentUpdatesTable>): StatusIncidentUpdateRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  status: r.status as IncidentStatus,
  body: r.body,
  componentStatus: r.component_status as ComponentStatus | null,
  affectedComponents: fromJsonText<AffectedComponent[]>(r.affected_json),
  createdAtMs: Number(r.created_at_ms),
});

const toIncident = (
  r: Selectable<StatusIncidentsTable>,
  updates: StatusIncidentUpdateRecord[],
): StatusIncidentRecord => ({
  id: r.id,
  pageId: r.page_id,
  name: r.name,
  status: r.status as IncidentStatus,
  impact: r.impact as IncidentImpact,
  componentIds: fromJsonText<string[]>(r.component_ids_json),
  componentStatus: r.component_status as ComponentStatus,
  sourceIncidentId: r.source_incident_id,
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
  monitoringAtMs: msOrNull(r.monitoring_at_ms),
  resolvedAtMs: msOrNull(r.resolved_at_ms),
  updates,
});

export function statusIncidentRepository(db: Kysely<Database>): StatusIncidentRepository {
  const withUpdates = async (rows: Selectable<StatusIncidentsTable>[]): Promise<StatusIncidentRecord[]> => {
    if (rows.length === 0) return [];
    const updates = await db
      .selectFrom("status_incident_updates")
      .selectAll()
      .where(
        "incident_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("created_at_ms")
      .orderBy("id")
      .execute();
    const byIncident = new Map<string, StatusIncidentUpdateRecord[]>();
    for (const u of updates)
      byIncident.set(u.incident_id, [...(byIncident.get(u.incident_id) ?? []), toUpdate(u)]);
    return rows.map((r) => toIncident(r, byIncident.get(r.id) ?? []));
  };
  const row = (i: StatusIncidentRecord) => ({
    page_id: i.pageId,
    name: i.name,
    status: i.status,
    impact: i.impact,
    component_ids_json: toJsonText(i.componentIds),
    component_status: i.componentStatus,
    source_incident_id: i.sourceIncidentId,
    created_at_ms: i.createdAtMs,
    updated_at_ms: i.updatedAtMs,
    monitoring_at_ms: i.monitoringAtMs,
    resolved_at_ms: i.resolvedAtMs,
  });
  return {
    async insert(i) {
      await db
        .insertInto("status_incidents")
        .values({ id: i.id, ...row(i) })
        .execute();
    },
    async update(i) {
      await db.updateTable("status_incidents").set(row(i)).where("id", "=", i.id).execute();
    },
    async findById(id) {
      const r = await db.selectFrom("status_incidents").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? (await withUpdates([r]))[0] : undefined;
    },
    async findBySource(pageId, sourceIncidentId) {
      const r = await db
        .selectFrom("status_incidents")
        .selectAll()
        .where("page_id", "=", pageId)
        .where("source_incident_id", "=", sourceIncidentId)
        .executeTakeFirst();
      return r ? (await withUpdates([r]))[0] : undefined;
    },
    async listForPage(pageId, { sinceMs, limit }) {
      const rows = await db
        .selectFrom("status_incidents")
        .selectAll()
        .where("page_id", "=", pageId)
        .where((eb) => eb.or([eb("created_at_ms", ">=", sinceMs), eb("status", "!=", "resolved")]))
        .orderBy("created_at_ms", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return withUpdates(rows);
    },
    async insertUpdate(u) {
      await db
        .insertInto("status_incident_updates")
        .values({
          id: u.id,
          incident_id: u.incidentId,
          status: u.status,
          body: u.body,
          component_status: u.componentStatus,
          affected_json: toJsonText(u.affectedComponents),
          created_at_ms: u.createdAtMs,
        })
        .execute();
    },
    async findUpdate(id) {
      const r = await db
        .selectFrom("status_incident_updates")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toUpdate(r);
    },
  };
}

const toMaintenanceUpdate = (r: Selectable<StatusMaintenanceUpdatesTable>): MaintenanceUpdateRecord => ({
  id: r.id,
  maintenanceId: r.maintenance_id,
  status: r.status as MaintenanceStatus,
  body: r.body,
  createdAtMs: Number(r.created_at_ms),
});

const toMaintenance = (
  r: Selectable<StatusMaintenancesTable>,
  updates: MaintenanceUpdateRecord[],
): MaintenanceRecord => ({
  id: r.id,
  pageId: r.page_id,
  name: r.name,
  body: r.body,
  componentIds: fromJsonText<string[]>(r.component_ids_json),
  scheduledForMs: Number(r.scheduled_for_ms),
  scheduledUntilMs: Number(r.scheduled_until_ms),
  status: r.status as MaintenanceStatus,
  startedAtMs: msOrNull(r.started_at_ms),
  completedAtMs: msOrNull(r.completed_at_ms),
  cancelledAtMs: msOrNull(r.cancelled_at_ms),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
  updates,
});

export function statusMaintenanceRepository(db: Kysely<Database>): StatusMaintenanceRepository {
  const withUpdates = async (rows: Selectable<StatusMaintenancesTable>[]): Promise<MaintenanceRecord[]> => {
    if (rows.length === 0) return [];
    const updates = await db
      .selectFrom("status_maintenance_updates")
      .selectAll()
      .where(
        "maintenance_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("created_at_ms")
      .orderBy("id")
      .execute();
    const byId = new Map<string, MaintenanceUpdateRecord[]>();
    for (const u of updates)
      byId.set(u.maintenance_id, [...(byId.get(u.maintenance_id) ?? []), toMaintenanceUpdate(u)]);
    return rows.map((r) => toMaintenance(r, byId.get(r.id) ?? []));
  };
  const row = (m: MaintenanceRecord) => ({
    page_id: m.pageId,
    name: m.name,
    body: m.body,
    component_ids_json: toJsonText(m.componentIds),
    scheduled_for_ms: m.scheduledForMs,
    scheduled_until_ms: m.scheduledUntilMs,
    status: m.status,
    started_at_ms: m.startedAtMs,
    completed_at_ms: m.completedAtMs,
    cancelled_at_ms: m.cancelledAtMs,
    created_at_ms: m.createdAtMs,
    updated_at_ms: m.updatedAtMs,
  });
  return {
    async insert(m) {
      await db
        .insertInto("status_maintenances")
        .values({ id: m.id, held_service_ids_json: "[]", ...row(m) })
        .execute();
    },
    async update(m) {
      await db.updateTable("status_maintenances").set(row(m)).where("id", "=", m.id).execute();
    },
    async findById(id) {
      const r = await db
        .selectFrom("status_maintenances")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return r ? (await withUpdates([r]))[0] : undefined;
    },
    async listForPage(pageId, { sinceMs, limit }) {
      const rows = await db
        .selectFrom("status_maintenances")
        .selectAll()
        .where("page_id", "=", pageId)
        .where((eb) => eb.or([eb("scheduled_for_ms", ">=", sinceMs), eb("status", "!=", "completed")]))
        .orderBy("scheduled_for_ms", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return withUpdates(rows);
    },
    async heldServiceIds(id) {
      const r = await db
        .selectFrom("status_maintenances")
        .select("held_service_ids_json")
        .where("id", "=", id)
        .executeTakeFirst();
      return r ? fromJsonText<string[]>(r.held_service_ids_json) : [];
    },
    async setHeldServiceIds(id, serviceIds) {
      await db
        .updateTable("status_maintenances")
        .set({ held_service_ids_json: toJsonText(serviceIds) })
        .where("id", "=", id)
        .execute();
    },
    async insertUpdate(u) {
      await db
        .insertInto("status_maintenance_updates")
        .values({
          id: u.id,
          maintenance_id: u.maintenanceId,
          status: u.status,
          body: u.body,
          created_at_ms: u.createdAtMs,
        })
        .execute();
    },
  };
}
