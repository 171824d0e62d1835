import type { Kysely, Selectable } from "kysely";
import type { TimelineRepository } from "../../app/ports/alerting-store.js";
import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { TimelineEntry } from "../../core/alerts/records.js";
import type { Database, TimelineEntriesTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";
import { insertRows } from "./multi-row.js";

const toActor = (row: Selectable<TimelineEntriesTable>): AuditActor | null =>
  row.actor_kind === null || row.actor_id === null || row.actor_label === null
    ? null
    : { kind: row.actor_kind as AuditActor["kind"], id: row.actor_id, label: row.actor_label };

const toEntry = (row: Selectable<TimelineEntriesTable>): TimelineEntry => ({
  id: String(row.id),
  incidentId: row.incident_id,
  at: fromMs(row.at),
  kind: row.kind,
  actor: toActor(row),
  message: row.message,
  data: fromJsonText<TimelineEntry["data"]>(row.data_json),
});

const toRow = (e: Omit<TimelineEntry, "id">) => ({
  incident_id: e.incidentId,
  at: toMs(e.at),
  kind: e.kind,
  actor_kind: e.actor?.kind ?? null,
  actor_id: e.actor?.id ?? null,
  actor_label: e.actor?.label ?? null,
  message: e.message,
  data_json: toJsonText(e.data),
});

export function timelineRepository(db: Kysely<Database>): TimelineRepository {
  return {
    async append(e) {
      await db.insertInto("timeline_entries").values(toRow(e)).execute();
    },
    async appendMany(entries) {
      // Ids follow the order of the VALUES rows in both databases, and the timeline sorts by (at, id).
      await insertRows(db, "timeline_entries", entries.map(toRow));
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("timeline_entries")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("at")
        .orderBy("id")
        .execute();
      return rows.map(toEntry);
    },
    async lastEntryAt(incidentId, kinds) {
      const row = await db
        .selectFrom("timeline_entries")
        .select((eb) => eb.fn.max<number>("at").as("last"))
        .where("incident_id", "=", incidentId)
        .where("kind", "in", kinds)
        .executeTakeFirst();
      return row?.last == null ? null : fromMs(Number(row.last));
    },
    async listForIncidentCapped(incidentId, maxAlertEntries) {
      const ofIncident = db
        .selectFrom("timeline_entries")
        .where("incident_id", "=", incidentId)
        .orderBy("at")
        .orderBy("id");
      const others = await ofIncident.selectAll().where("kind", "not in", ALERT_ENTRY_KINDS).execute();
      const alertEntries = await ofIncident
        .selectAll()
        .where("kind", "in", ALERT_ENTRY_KINDS)
        .limit(maxAlertEntries)
        .execute();
      const { n } = await db
        .selectFrom("timeline_entries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("incident_id", "=", incidentId)
        .where("kind", "in", ALERT_ENTRY_KINDS)
        .executeTakeFirstOrThrow();
      const entries = [...others, ...alertEntries]
        .sort((a, b) => Number(a.at) - Number(b.at) || Number(a.id) - Number(b.id))
        .map(toEntry);
      return { entries, omittedAlertEntries: Math.max(0, Number(n) - alertEntries.length) };
    },
  };
}

/** One entry per alert: an alert storm writes thousands of these into one incident. */
const ALERT_ENTRY_KINDS = ["alert.added", "alert.resolved"];
