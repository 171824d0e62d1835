import type { Kysely, Selectable } from "kysely";
import type {
  FixFollowUpRepository,
  IncidentFixRepository,
  StoredFollowUp,
} from "../../app/ports/response-store.js";
import type { FollowUpState } from "../../core/response/fix-follow-ups.js";
import type { Fix, FixKind, FixState } from "../../core/response/fixes.js";
import type { FixFollowUpsTable, IncidentFixesTable } from "../response-schema.js";
import type { Database } from "../schema.js";

const orNull = (ms: number | string | null): number | null => (ms === null ? null : Number(ms));

const toFix = (row: Selectable<IncidentFixesTable>): Fix => ({
  id: row.id,
  number: Number(row.number),
  kind: row.kind as FixKind,
  description: row.description,
  authorId: row.author_id,
  state: row.state as FixState,
  startedAtMs: Number(row.started_at_ms),
  deployedAtMs: orNull(row.deployed_at_ms),
  verifiedAtMs: orNull(row.verified_at_ms),
  failedAtMs: orNull(row.failed_at_ms),
  overriddenBy: row.overridden_by,
  overrideReason: row.override_reason,
});

const fixColumns = (f: Fix) => ({
  kind: f.kind,
  description: f.description,
  author_id: f.authorId,
  state: f.state,
  started_at_ms: f.startedAtMs,
  deployed_at_ms: f.deployedAtMs,
  verified_at_ms: f.verifiedAtMs,
  failed_at_ms: f.failedAtMs,
  overridden_by: f.overriddenBy,
  override_reason: f.overrideReason,
});

export function incidentFixRepository(db: Kysely<Database>): IncidentFixRepository {
  return {
    async insert(incidentId, fix) {
      await db
        .insertInto("incident_fixes")
        .values({ id: fix.id, incident_id: incidentId, number: fix.number, ...fixColumns(fix) })
        .execute();
    },
    async update(incidentId, fix) {
      await db
        .updateTable("incident_fixes")
        .set(fixColumns(fix))
        .where("incident_id", "=", incidentId)
        .where("id", "=", fix.id)
        .execute();
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("incident_fixes")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("number")
        .execute();
      return rows.map(toFix);
    },
  };
}

const toFollowUp = (row: Selectable<FixFollowUpsTable>): StoredFollowUp => ({
  incidentId: row.incident_id,
  fixNumber: Number(row.fix_number),
  ownerId: row.owner_id,
  state: row.state as FollowUpState,
  createdAtMs: Number(row.created_at_ms),
  dueAtMs: Number(row.due_at_ms),
  closedAtMs: orNull(row.closed_at_ms),
  closedBy: row.closed_by,
  note: row.note,
});

export function fixFollowUpRepository(db: Kysely<Database>): FixFollowUpRepository {
  return {
    async insert(f) {
      await db
        .insertInto("fix_follow_ups")
        .values({
          incident_id: f.incidentId,
          fix_number: f.fixNumber,
          owner_id: f.ownerId,
          state: f.state,
          created_at_ms: f.createdAtMs,
          due_at_ms: f.dueAtMs,
          closed_at_ms: f.closedAtMs,
          closed_by: f.closedBy,
          note: f.note,
        })
        .execute();
    },
    async update(f) {
      await db
        .updateTable("fix_follow_ups")
        .set({
          owner_id: f.ownerId,
          state: f.state,
          due_at_ms: f.dueAtMs,
          closed_at_ms: f.closedAtMs,
          closed_by: f.closedBy,
          note: f.note,
        })
        .where("incident_id", "=", f.incidentId)
        .where("fix_number", "=", f.fixNumber)
        .execute();
    },
    async find(incidentId, fixNumber) {
      const row = await db
        .selectFrom("fix_follow_ups")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .where("fix_number", "=", fixNumber)
        .executeTakeFirst();
      return row && toFollowUp(row);
    },
    async listForIncident(incidentId) {
      const rows = await db
        .selectFrom("fix_follow_ups")
        .selectAll()
        .where("incident_id", "=", incidentId)
        .orderBy("fix_number")
        .execute();
      return rows.map(toFollowUp);
    },
    async list(filter) {
      const rows = await db
        .selectFrom("fix_follow_ups")
        .selectAll()
        .$if(filter.state !== "all", (q) => q.where("state", "=", "open"))
        .$if(filter.state === "overdue", (q) => q.where("due_at_ms", "<=", filter.nowMs))
        .orderBy("due_at_ms")
        .orderBy("incident_id")
        .orderBy("fix_number")
        .limit(filter.limit)
        .execute();
      return rows.map(toFollowUp);
    },
  };
}
