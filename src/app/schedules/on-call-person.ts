import { gapAt, onCallAt } from "../../core/schedules/final-schedule.js";
import type { Tx } from "../ports/store.js";
import { loadSchedule } from "./load-schedule.js";

/**
 * Whose shift it is at `at` in a schedule: the person on call in its final schedule, or a disabled
 * person whose shift it would be (peopleFor leaves them out, and the incident's timeline names them
 * as the reason nobody was paged); null when there is no such schedule or nobody is scheduled. Only
 * overrides around `at` are loaded: paging asks about one instant.
 */
export async function onCallUserId(tx: Tx, scheduleId: string, at: Date): Promise<string | null> {
  const record = await tx.schedules.findById(scheduleId);
  if (!record) return null;
  const atMs = at.getTime();
  const loaded = await loadSchedule(tx, record, { startMs: atMs, endMs: atMs + 1 });
  return onCallAt(loaded.schedule, atMs)?.userId ?? gapAt(loaded.schedule, atMs)?.userId ?? null;
}
