// Partial indexes (firing alerts, open incidents) are used only when the query names the literal.
import { sql, type Kysely, type Selectable } from "kysely";
import { escalationTimerJobKey } from "../../app/incidents/escalation-timer-key.js";
import type { IncidentRepository } from "../../app/ports/alerting-store.js";
import type { AlertLevel } from "../../core/alerts/alert-event.js";
import type { EscalationSnapshot } from "../../core/escalation/policy.js";
import type { Incident, IncidentState } from "../../core/incidents/incident.js";
import type { Database, IncidentsTable } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";
import { fromJsonText, fromJsonTextOrNull, toJsonText, toJsonTextOrNull } from "./json.js";
import { inListChunks, insertRows, updateById } from "./multi-row.js";

/** The counters row that hands out incident numbers (seeded by migration 0002). */
const INCIDENT_NUMBER_COUNTER = "incident_number";

const toIncident = (row: Selectable<IncidentsTable>): Incident => ({
  id: row.id,
  number: Number(row.number),
  serviceId: row.service_id,
  title: row.title,
  state: row.state as IncidentState,
  level: row.level as AlertLevel,
  groupingKey: row.grouping_key,
  openedAt: fromMs(row.opened_at),
  acknowledgedAt: fromMsOrNull(row.acknowledged_at),
  acknowledgedBy: row.acknowledged_by,
  resolvedAt: fromMsOrNull(row.resolved_at),
  resolvedBy: row.resolved_by,
  escalation: fromJsonTextOrNull<EscalationSnapshot>(row.escalation_snapshot_json),
  escalationStep: Number(row.escalation_step),
  escalationLoop: Number(row.escalation_loop),
  escalationVersion: Number(row.escalation_version),
  assigneeIds: fromJsonText<string[]>(row.assignee_ids_json),
  updatedAt: fromMs(row.updated_at),
});

/** The whole row, written out in one literal: a spread into a literal copies property by property, slowly. */
const fullRow = (i: Incident) => ({
  id: i.id,
  number: i.number,
  service_id: i.serviceId,
  title: i.title,
  state: i.state,
  level: i.level,
  grouping_key: i.groupingKey,
  opened_at: toMs(i.openedAt),
  acknowledged_at: toMsOrNull(i.acknowledgedAt),
  acknowledged_by: i.acknowledgedBy,
  resolved_at: toMsOrNull(i.resolvedAt),
  resolved_by: i.resolvedBy,
  escalation_snapshot_json: toJsonTextOrNull(i.escalation),
  escalation_step: i.escalationStep,
  escalation_loop: i.escalationLoop,
  escalation_version: i.escalationVersion,
  assignee_ids_json: toJsonText(i.assigneeIds),
  updated_at: toMs(i.updatedAt),
});

/** Every column but the ones set once, on insert. */
const mutableColumns = (i: Incident) => {
  const { id: _id, number: _number, ...mutable } = fullRow(i);
  return mutable;
};

const MUTABLE_COLUMN_NAMES: ReadonlyArray<keyof ReturnType<typeof mutableColumns>> = [
  "service_id",
  "title",
  "state",
  "level",
  "grouping_key",
  "opened_at",
  "acknowledged_at",
  "acknowledged_by",
  "resolved_at",
  "resolved_by",
  "escalation_snapshot_json",
  "escalation_step",
  "escalation_loop",
  "escalation_version",
  "assignee_ids_json",
  "updated_at",
];

export function incidentRepository(db: Kysely<Database>): IncidentRepository {
  /** The last of `count` new numbers. */
  const takeNumbers = async (count: number): Promise<number> => {
    // Row-locked until commit on PostgreSQL, single writer on SQLite: unique, and gap-free on rollback.
    const counter = await db
      .updateTable("counters")
      .set((eb) => ({ value: eb("value", "+", count) }))
      .where("name", "=", INCIDENT_NUMBER_COUNTER)
      .returning("value")
      .executeTakeFirstOrThrow();
    return Number(counter.value);
  };
  return {
    async insert(incident) {
      const numbered = { ...incident, number: await takeNumbers(1) };
      await db.insertInto("incidents").values(fullRow(numbered)).execute();
      return numbered;
    },
    async insertMany(incidents) {
      if (incidents.length === 0) return [];
      const first = (await takeNumbers(incidents.length)) - incidents.length + 1;
      const numbered = incidents.map((incident, i) => ({ ...incident, number: first + i }));
      await insertRows(db, "incidents", numbered.map(fullRow));
      return numbered;
    },
    async update(incident) {
      await db.updateTable("incidents").set(mutableColumns(incident)).where("id", "=", incident.id).execute();
    },
    async updateMany(incidents) {
      // A multi-row upsert by id in place of an UPDATE per incident: every row exists, so each updates.
      await insertRows(db, "incidents", incidents.map(fullRow), updateById(MUTABLE_COLUMN_NAMES));
    },
    async listByGroupingKeys(serviceId, groupingKeys, resolvedSince) {
      const found: Incident[] = [];
      for (const chunk of inListChunks(groupingKeys)) {
        const open = await db
          .selectFrom("incidents")
          .selectAll()
          .where("service_id", "=", serviceId)
          .where("grouping_key", "in", chunk)
          .where("state", "<>", sql.lit("resolved"))
          .execute();
        for (const row of open) found.push(toIncident(row));
        if (resolvedSince === null) continue;
        const resolved = await db
          .selectFrom("incidents")
          .selectAll()
          .where("service_id", "=", serviceId)
          .where("grouping_key", "in", chunk)
          .where("state", "=", sql.lit("resolved"))
          .where("resolved_at", ">=", toMs(resolvedSince))
          .execute();
        for (const row of resolved) found.push(toIncident(row));
      }
      return found;
    },
    async findById(id) {
      const row = await db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toIncident(row);
    },
    async pendingEscalationTimer(incidentId) {
      const row = await db
        .selectFrom("jobs")
        .select(["run_at", "payload_json"])
        .where("job_key", "=", escalationTimerJobKey(incidentId))
        .where("kind", "=", "escalation.advance")
        .where("failed_at", "is", null)
        .executeTakeFirst();
      if (!row) return undefined;
      const payload = JSON.parse(row.payload_json) as { version?: number };
      return { runAt: fromMs(row.run_at), version: payload.version ?? -1 };
    },
    async pendingEscalationTimers(incidentIds) {
      const incidentIdByJobKey = new Map(incidentIds.map((id) => [escalationTimerJobKey(id), id]));
      const timers = new Map<string, { runAt: Date; version: number }>();
      // A page of the list is at most 500 incidents: one chunk, so one query.
      for (const chunk of inListChunks([...incidentIdByJobKey.keys()])) {
        const rows = await db
          .selectFrom("jobs")
          .select(["job_key", "run_at", "payload_json"])
          .where("job_key", "in", chunk)
          .where("kind", "=", "escalation.advance")
          .where("failed_at", "is", null)
          .execute();
        for (const row of rows) {
          const incidentId = row.job_key === null ? undefined : incidentIdByJobKey.get(row.job_key);
          if (incidentId === undefined) continue;
          const payload = JSON.parse(row.payload_json) as { version?: number };
          timers.set(incidentId, { runAt: fromMs(row.run_at), version: payload.version ?? -1 });
        }
      }
      return timers;
    },
    async findByIds(ids) {
      const found: Incident[] = [];
      for (const chunk of inListChunks(ids)) {
        const rows = await db.selectFrom("incidents").selectAll().where("id", "in", chunk).execute();
        for (const row of rows) found.push(toIncident(row));
      }
      return found;
    },
    async findByNumber(number) {
      const row = await db
        .selectFrom("incidents")
        .selectAll()
        .where("number", "=", number)
        .executeTakeFirst();
      return row && toIncident(row);
    },
    async listOpenByGroupingKey(serviceId, groupingKey) {
      const rows = await db
        .selectFrom("incidents")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("grouping_key", "=", groupingKey)
        .where("state", "<>", sql.lit("resolved"))
        .execute();
      // Sorted here: an ORDER BY number lets SQLite prefer the (service, number) index and scan history.
      return rows.map(toIncident).sort((a, b) => b.number - a.number);
    },
    async findRecentlyResolved(serviceId, groupingKey, since) {
      const row = await db
        .selectFrom("incidents")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("grouping_key", "=", groupingKey)
        .where("state", "=", sql.lit("resolved"))
        .where("resolved_at", ">=", toMs(since))
        .orderBy("resolved_at", "desc")
        .orderBy("number", "desc")
        .executeTakeFirst();
      return row && toIncident(row);
    },
    async list({ states, serviceId, limit, beforeNumber }) {
      if (states !== undefined && states.length === 0) return [];
      let query = db.selectFrom("incidents").selectAll().orderBy("number", "desc").limit(limit);
      if (states !== undefined) query = query.where("state", "in", [...states]);
      if (serviceId !== undefined) query = query.where("service_id", "=", serviceId);
      if (beforeNumber !== undefined) query = query.where("number", "<", beforeNumber);
      const rows = await query.execute();
      return rows.map(toIncident);
    },
  };
}
