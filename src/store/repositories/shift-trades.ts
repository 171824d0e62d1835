import type { Kysely, Selectable } from "kysely";
import type { ShiftTradeRepository } from "../../app/ports/schedule-store.js";
import type { ShiftTrade, TradeKind, TradeState } from "../../core/schedules/records.js";
import type { Database, ShiftTradesTable } from "../schema.js";
import { fromJsonText, toJsonText } from "./json.js";

const orNull = (ms: number | string | null): number | null => (ms === null ? null : Number(ms));

const toTrade = (row: Selectable<ShiftTradesTable>): ShiftTrade => ({
  id: row.id,
  scheduleId: row.schedule_id,
  kind: row.kind as TradeKind,
  state: row.state as TradeState,
  requesterId: row.requester_id,
  shift: { startMs: Number(row.shift_start_ms), endMs: Number(row.shift_end_ms) },
  swapWith:
    row.swap_start_ms === null || row.swap_end_ms === null
      ? null
      : { startMs: Number(row.swap_start_ms), endMs: Number(row.swap_end_ms) },
  offeredTo: row.offered_to,
  acceptedBy: row.accepted_by,
  note: row.note,
  overrideIds: fromJsonText<string[]>(row.override_ids_json),
  createdAtMs: Number(row.created_at_ms),
  decidedAtMs: orNull(row.decided_at_ms),
});

export function shiftTradeRepository(db: Kysely<Database>): ShiftTradeRepository {
  return {
    async insert(t) {
      await db
        .insertInto("shift_trades")
        .values({
          id: t.id,
          schedule_id: t.scheduleId,
          kind: t.kind,
          state: t.state,
          requester_id: t.requesterId,
          shift_start_ms: t.shift.startMs,
          shift_end_ms: t.shift.endMs,
          swap_start_ms: t.swapWith?.startMs ?? null,
          swap_end_ms: t.swapWith?.endMs ?? null,
          offered_to: t.offeredTo,
          accepted_by: t.acceptedBy,
          note: t.note,
          override_ids_json: toJsonText(t.overrideIds),
          created_at_ms: t.createdAtMs,
          decided_at_ms: t.decidedAtMs,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom("shift_trades").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toTrade(row);
    },
    async decide(id, decision) {
      // Conditional on `pending`: of two racing decisions only one changes the row.
      const result = await db
        .updateTable("shift_trades")
        .set({
          state: decision.state,
          accepted_by: decision.acceptedBy,
          decided_at_ms: decision.decidedAtMs,
          override_ids_json: toJsonText(decision.overrideIds),
        })
        .where("id", "=", id)
        .where("state", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list(filter) {
      const rows = await db
        .selectFrom("shift_trades")
        .selectAll()
        .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state as string))
        .$if(filter.scheduleId !== undefined, (q) => q.where("schedule_id", "=", filter.scheduleId as string))
        .orderBy("created_at_ms", "desc")
        .orderBy("id", "desc")
        .limit(filter.limit)
        .execute();
      return rows.map(toTrade);
    },
  };
}
