import type { Kysely, Selectable } from "kysely";
import type {
  IncidentResponseRecord,
  IncidentResponseRepository,
  ResponseChannelKind,
} from "../../app/ports/response-store.js";
import type { PostFixWatch } from "../../core/response/post-fix-watch.js";
import type { ResponsePhase } from "../../core/response/response-phase.js";
import type { HandlerHandover } from "../../core/response/roles.js";
import type { CallInTarget, ImpactLevel, Severity } from "../../core/response/triage.js";
import type { IncidentResponsesTable } from "../response-schema.js";
import type { Database } from "../schema.js";
import { fromFlag, fromJsonText, fromJsonTextOrNull, toFlag, toJsonText, toJsonTextOrNull } from "./json.js";

const orNull = (ms: number | string | null): number | null => (ms === null ? null : Number(ms));

const toRecord = (row: Selectable<IncidentResponsesTable>): IncidentResponseRecord => ({
  incidentId: row.incident_id,
  phase: row.phase as ResponsePhase,
  triage:
    row.severity === null || row.level === null || row.triaged_at_ms === null || row.triaged_by === null
      ? null
      : {
          severity: row.severity as Severity,
          level: row.level as ImpactLevel,
          onCallCanHandle: fromFlag(row.on_call_can_handle ?? 1),
          callIn: fromJsonText<CallInTarget[]>(row.call_in_json),
          note: row.triage_note,
          triagedAtMs: Number(row.triaged_at_ms),
          triagedBy: row.triaged_by,
        },
  handlerId: row.handler_id,
  commsLeadId: row.comms_lead_id,
  responderIds: fromJsonText<string[]>(row.responder_ids_json),
  pendingHandover: fromJsonTextOrNull<HandlerHandover>(row.pending_handover_json),
  watch: fromJsonTextOrNull<PostFixWatch>(row.watch_json),
  publicUpdateRequiredSinceMs: orNull(row.public_update_required_since_ms),
  videoCallUrl: row.video_call_url,
  channel: {
    kind: (row.channel_kind ?? "pending") as ResponseChannelKind,
    channelId: row.channel_id,
    name: row.channel_name,
    url: row.channel_url,
  },
  version: Number(row.version),
  createdAtMs: Number(row.created_at_ms),
  updatedAtMs: Number(row.updated_at_ms),
});

const toRow = (r: IncidentResponseRecord) => ({
  phase: r.phase,
  severity: r.triage?.severity ?? null,
  level: r.triage?.level ?? null,
  on_call_can_handle: r.triage ? toFlag(r.triage.onCallCanHandle) : null,
  call_in_json: toJsonText(r.triage?.callIn ?? []),
  triage_note: r.triage?.note ?? "",
  triaged_at_ms: r.triage?.triagedAtMs ?? null,
  triaged_by: r.triage?.triagedBy ?? null,
  handler_id: r.handlerId,
  comms_lead_id: r.commsLeadId,
  responder_ids_json: toJsonText(r.responderIds),
  pending_handover_json: toJsonTextOrNull(r.pendingHandover),
  watch_json: toJsonTextOrNull(r.watch),
  public_update_required_since_ms: r.publicUpdateRequiredSinceMs,
  video_call_url: r.videoCallUrl,
  channel_kind: r.channel.kind,
  channel_id: r.channel.channelId,
  channel_name: r.channel.name,
  channel_url: r.channel.url,
  version: r.version,
  updated_at_ms: r.updatedAtMs,
});

export function incidentResponseRepository(db: Kysely<Database>): IncidentResponseRepository {
  return {
    async find(incidentId) {
      const row = await db
        .selectFrom("incident_responses")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async insert(record) {
      await db
        .insertInto("incident_responses")
        .values({ incident_id: record.incidentId, created_at_ms: record.createdAtMs, ...toRow(record) })
        .execute();
    },
    async update(record) {
      // Conditional on the version read: of two racing changes only the first writes.
      const result = await db
        .updateTable("incident_responses")
        .set(toRow(record))
        .where("incident_id", "=", record.incidentId)
        .where("version", "=", record.version - 1)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listVersions(incidentIds) {
      if (incidentIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("incident_responses")
        .select(["incident_id", "version"])
        .where("incident_id", "in", incidentIds)
        .execute();
      return new Map(rows.map((r) => [r.incident_id, Number(r.version)]));
    },
  };
}
