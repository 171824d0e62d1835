import { requireRole } from "../../core/auth/actor.js";
import { shiftsCsv, type ShiftCsvRow } from "../../core/calendars/shifts-csv.js";
import { finalShifts } from "../../core/schedules/final-schedule.js";
import type { AppDeps, Caller } from "../deps.js";
import { findSchedule, loadSchedule } from "./load-schedule.js";
import { checkedRange } from "./time-range-input.js";

/** Payroll periods run up to a year. */
export const MAX_CSV_RANGE_DAYS = 366;

/** The final schedule's shifts as CSV, local times on each person's own clock (else the schedule's). */
export async function exportShiftsCsv(
  deps: AppDeps,
  caller: Caller,
  idOrName: string,
  window: { start: Date; end: Date },
): Promise<{ scheduleName: string; csv: string }> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end, { maxDays: MAX_CSV_RANGE_DAYS });
  return deps.uow.run(async (tx) => {
    const loaded = await loadSchedule(tx, await findSchedule(tx, idOrName), range);
    const users = new Map((await tx.users.list()).map((u) => [u.id, u]));
    const rows: ShiftCsvRow[] = finalShifts(loaded.schedule, range).map((shift) => {
      const user = users.get(shift.userId);
      return {
        scheduleName: loaded.record.name,
        userName: user?.name ?? shift.userId,
        userEmail: user?.email ?? "",
        startMs: shift.startMs,
        endMs: shift.endMs,
        timeZone: user?.timeZone ?? loaded.record.timeZone,
      };
    });
    return { scheduleName: loaded.record.name, csv: shiftsCsv(rows) };
  });
}
