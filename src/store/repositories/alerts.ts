// Partial indexes (firing alerts, open incidents) are used only when the query names the literal.
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from "kysely";
import type { AlertRepository } from "../../app/ports/alerting-store.js";
import type { AlertLevel } from "../../core/alerts/alert-event.js";
import type { Alert, AlertStatus } from "../../core/alerts/records.js";
import type { AlertsTable, Database } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";
import { fromFlag, fromJsonText, toFlag, toJsonText } from "./json.js";
import { inListChunks, insertRows, updateById } from "./multi-row.js";

const toAlert = (row: Selectable<AlertsTable>): Alert => ({
  id: row.id,
  serviceId: row.service_id,
  integrationId: row.integration_id,
  dedupKey: row.dedup_key,
  groupingKey: row.grouping_key,
  status: row.status as AlertStatus,
  level: row.level as AlertLevel,
  suppressed: fromFlag(row.suppressed),
  summary: row.summary,
  severity: row.severity,
  labels: fromJsonText<Alert["labels"]>(row.labels_json),
  details: fromJsonText<Alert["details"]>(row.details_json),
  source: row.source,
  links: fromJsonText<Alert["links"]>(row.links_json),
  startedAt: fromMs(row.started_at),
  lastEventAt: fromMs(row.last_event_at),
  expiresAt: fromMsOrNull(row.expires_at),
  resolvedAt: fromMsOrNull(row.resolved_at),
  incidentId: row.incident_id,
  eventCount: Number(row.event_count),
  createdAt: fromMs(row.created_at),
});

/** The whole row, written out in one literal: a spread into a literal copies property by property, slowly. */
const fullRow = (a: Alert) => ({
  id: a.id,
  created_at: toMs(a.createdAt),
  service_id: a.serviceId,
  integration_id: a.integrationId,
  dedup_key: a.dedupKey,
  grouping_key: a.groupingKey,
  status: a.status,
  level: a.level,
  suppressed: toFlag(a.suppressed),
  summary: a.summary,
  severity: a.severity,
  labels_json: toJsonText(a.labels),
  details_json: toJsonText(a.details),
  source: a.source,
  links_json: toJsonText(a.links),
  started_at: toMs(a.startedAt),
  last_event_at: toMs(a.lastEventAt),
  expires_at: toMsOrNull(a.expiresAt),
  resolved_at: toMsOrNull(a.resolvedAt),
  incident_id: a.incidentId,
  event_count: a.eventCount,
});

/** Every column but the ones set once, on insert. */
const mutableColumns = (a: Alert) => {
  const { id: _id, created_at: _createdAt, ...mutable } = fullRow(a);
  return mutable;
};

/** Every mutable column from the proposed row: an upsert by id that updates rows known to exist. */
const MUTABLE_COLUMN_NAMES: ReadonlyArray<keyof ReturnType<typeof mutableColumns>> = [
  "service_id",
  "integration_id",
  "dedup_key",
  "grouping_key",
  "status",
  "level",
  "suppressed",
  "summary",
  "severity",
  "labels_json",
  "details_json",
  "source",
  "links_json",
  "started_at",
  "last_event_at",
  "expires_at",
  "resolved_at",
  "incident_id",
  "event_count",
];

/** How many alerts, and how many of them fire: the columns `total` and `firing`. */
const alertCounts = (eb: ExpressionBuilder<Database, "alerts">) => [
  eb.fn.countAll<number>().as("total"),
  eb.fn.sum<number>(eb.case().when("status", "=", sql.lit("firing")).then(1).else(0).end()).as("firing"),
];

export function alertRepository(db: Kysely<Database>): AlertRepository {
  return {
    async insert(a) {
      await db.insertInto("alerts").values(fullRow(a)).execute();
    },
    async update(a) {
      await db.updateTable("alerts").set(mutableColumns(a)).where("id", "=", a.id).execute();
    },
    async insertMany(alerts) {
      await insertRows(db, "alerts", alerts.map(fullRow));
    },
    async resolveFiringForIncident(incidentId, now) {
      const result = await db
        .updateTable("alerts")
        .set({ status: "resolved", resolved_at: toMs(now) })
        .where("incident_id", "=", incidentId)
        .where("status", "=", "firing")
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async updateMany(alerts) {
      // One multi-row upsert by id in place of an UPDATE per alert: every row exists, so each updates.
      await insertRows(db, "alerts", alerts.map(fullRow), updateById(MUTABLE_COLUMN_NAMES));
    },
    async listFiringOfIntegration(integrationId, dedupKeys) {
      const found: Alert[] = [];
      for (const chunk of inListChunks(dedupKeys)) {
        const rows = await db
          .selectFrom("alerts")
          .selectAll()
          .where("integration_id", "=", integrationId)
          .where("dedup_key", "in", chunk)
          .where("status", "=", sql.lit("firing"))
          .execute();
        for (const row of rows) found.push(toAlert(row));
      }
      return found;
    },
    async listExpiredFiring(serviceId, now, limit) {
      const rows = await db
        .selectFrom("alerts")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("status", "=", sql.lit("firing"))
        .where("expires_at", "<=", toMs(now))
        .orderBy("expires_at")
        .limit(limit)
        .execute();
      return rows.map(toAlert);
    },
    async nextExpiry(serviceId) {
      const row = await db
        .selectFrom("alerts")
        .select((eb) => eb.fn.min("expires_at").as("next"))
        .where("service_id", "=", serviceId)
        .where("status", "=", sql.lit("firing"))
        .where("expires_at", "is not", null)
        .executeTakeFirst();
      return row?.next === null || row?.next === undefined ? null : fromMs(row.next);
    },
    async findById(id) {
      const row = await db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toAlert(row);
    },
    async findFiringOfIntegration(integrationId, dedupKey) {
      const row = await db
        .selectFrom("alerts")
        .selectAll()
        .where("integration_id", "=", integrationId)
        .where("dedup_key", "=", dedupKey)
        .where("status", "=", sql.lit("firing"))
        .executeTakeFirst();
      return row && toAlert(row);
    },
    async listSuppressedFiring(serviceId) {
      const rows = await db
        .selectFrom("alerts")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("status", "=", sql.lit("firing"))
        .where("suppressed", "=", 1)
        .orderBy("created_at")
        .execute();
      return rows.map(toAlert);
    },
    async listForIncident(incidentId, page) {
      const rows = await db
        .selectFrom("alerts")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("started_at")
        .orderBy("id")
        .$if(page !== undefined, (q) => q.limit(page!.limit).offset(page!.offset ?? 0))
        .execute();
      return rows.map(toAlert);
    },
    async firstCreatedBetween(incidentId, after, before) {
      const row = await db
        .selectFrom("alerts")
        .select((eb) => eb.fn.min<number>("created_at").as("first"))
        .where("incident_id", "=", incidentId)
        .where("created_at", ">", toMs(after))
        .where("created_at", "<", toMs(before))
        .executeTakeFirst();
      return row?.first == null ? null : fromMs(Number(row.first));
    },
    async countForIncident(incidentId) {
      const row = await db
        .selectFrom("alerts")
        .select(alertCounts)
        .where("incident_id", "=", incidentId)
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), firing: Number(row.firing ?? 0) };
    },
    async summarizeForIncidents(incidentIds, firstCount) {
      const byIncident = new Map<string, { first: Alert[]; total: number; firing: number }>();
      for (const chunk of inListChunks(incidentIds)) {
        const counts = await db
          .selectFrom("alerts")
          .select((eb) => ["incident_id", ...alertCounts(eb)])
          .where("incident_id", "in", chunk)
          .groupBy("incident_id")
          .execute();
        for (const c of counts)
          byIncident.set(c.incident_id as string, {
            first: [],
            total: Number(c.total),
            firing: Number(c.firing),
          });
        // Each incident's first alerts: numbered in start order within the incident, the rest cut.
        const rows = await db
          .selectFrom((qb) =>
            qb
              .selectFrom("alerts")
              .selectAll()
              .select((eb) =>
                eb.fn
                  .agg<number>("row_number")
                  .over((ob) => ob.partitionBy("incident_id").orderBy("started_at").orderBy("id"))
                  .as("position"),
              )
              .where("incident_id", "in", chunk)
              .as("numbered"),
          )
          .selectAll()
          .where("position", "<=", firstCount)
          .orderBy("incident_id")
          .orderBy("position")
          .execute();
        for (const { position: _position, ...row } of rows)
          byIncident.get(row.incident_id as string)?.first.push(toAlert(row));
      }
      return byIncident;
    },
    async countFiringForIncident(incidentId) {
      const row = await db
        .selectFrom("alerts")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("incident_id", "=", incidentId)
        .where("status", "=", sql.lit("firing"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async list({ serviceId, status, limit }) {
      let query = db
        .selectFrom("alerts")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit);
      if (serviceId !== undefined) query = query.where("service_id", "=", serviceId);
      if (status !== undefined) query = query.where("status", "=", status);
      const rows = await query.execute();
      return rows.map(toAlert);
    },
  };
}
