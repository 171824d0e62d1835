import { onCallAt } from "../../core/schedules/final-schedule.js";
import type { Tx } from "../ports/store.js";
import { loadSchedule } from "./load-schedule.js";

/**
 * Who a schedule pages at `at`: the person on call in its final schedule, or null (no such schedule,
 * or a gap). Only overrides around `at` are loaded: paging asks about one instant.
 */
export async function onCallUserId(tx: Tx, scheduleId: string, at: Date): Promise<string | null> {
  const record = await tx.schedules.findById(scheduleId);
  if (!record) return null;
  const atMs = at.getTime();
  const loaded = await loadSchedule(tx, record, { startMs: atMs, endMs: atMs + 1 });
  return onCallAt(loaded.schedule, atMs)?.userId ?? null;
}
