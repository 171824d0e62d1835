import { DAY_MS, HOUR_MS } from "../../core/schedules/civil-time.js";
import { nextHandoff, nextWeeklyInstant } from "../../core/schedules/handoffs.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { JobQueue } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import { loadSchedule } from "./load-schedule.js";

/**
 * The timers of a schedule's notices and gap alerts, one job of each kind per schedule under its key:
 * the next handoff (`schedule.handoff`), the next weekly summary and the next gap check. Arming is
 * idempotent, so it runs after every change and again from the hourly `schedule.rearm-all`.
 */

/** How far ahead the next handoff is looked for; with none there, the job looks again then. */
export const HANDOFF_LOOKAHEAD_MS = 8 * DAY_MS;
export const GAP_CHECK_INTERVAL_MS = DAY_MS;
export const REARM_ALL_INTERVAL_MS = HOUR_MS;
/** The weekly summary goes out on Monday at 09:00 on each schedule's own wall clock. */
export const WEEKLY_SUMMARY_WEEKDAY = 1;
export const WEEKLY_SUMMARY_MINUTE_OF_DAY = 9 * 60;

export const handoffJobKey = (scheduleId: string) => `schedule.handoff:${scheduleId}`;
export const weeklySummaryJobKey = (scheduleId: string) => `schedule.weekly-summary:${scheduleId}`;
export const gapCheckJobKey = (scheduleId: string) => `schedule.gap-check:${scheduleId}`;
export const REARM_ALL_JOB_KEY = "schedule.rearm-all";

/** Arms `schedule.handoff` at the first handoff after `now` (replacing the one armed before). */
export async function armHandoffJob(
  tx: Tx,
  jobs: JobQueue,
  record: ScheduleRecord,
  now: Date,
): Promise<number | null> {
  const nowMs = now.getTime();
  const untilMs = nowMs + HANDOFF_LOOKAHEAD_MS;
  const loaded = await loadSchedule(tx, record, { startMs: nowMs, endMs: untilMs + 1 });
  const handoffAtMs = nextHandoff(loaded.schedule, nowMs, untilMs)?.atMs ?? null;
  await jobs.enqueue(
    "schedule.handoff",
    { scheduleId: record.id, handoffAtMs },
    { runAt: new Date(handoffAtMs ?? untilMs), key: handoffJobKey(record.id), keyMode: "replace" },
  );
  return handoffAtMs;
}

/** The first weekly-summary instant after `now` on the schedule's wall clock. */
export const nextWeeklySummaryMs = (record: ScheduleRecord, nowMs: number): number =>
  nextWeeklyInstant(nowMs, record.timeZone, WEEKLY_SUMMARY_WEEKDAY, WEEKLY_SUMMARY_MINUTE_OF_DAY);

/** Arms `schedule.weekly-summary` at the next Monday 09:00 in the schedule's zone (the zone may have changed). */
export async function armWeeklySummaryJob(jobs: JobQueue, record: ScheduleRecord, now: Date): Promise<void> {
  const weekStartMs = nextWeeklySummaryMs(record, now.getTime());
  await jobs.enqueue(
    "schedule.weekly-summary",
    { scheduleId: record.id, weekStartMs },
    { runAt: new Date(weekStartMs), key: weeklySummaryJobKey(record.id), keyMode: "replace" },
  );
}

/** Arms `schedule.gap-check` at `at` unless one is due sooner. */
export function armGapCheckJob(jobs: JobQueue, scheduleId: string, at: Date) {
  return jobs.enqueue(
    "schedule.gap-check",
    { scheduleId },
    { runAt: at, key: gapCheckJobKey(scheduleId), keyMode: "keep-earliest" },
  );
}

/**
 * Call after any change to a schedule, its layers, overrides or trades, in the transaction of the
 * change: the next handoff notice moves with the change and the gaps are checked again at once.
 * A schedule that no longer exists arms nothing (its jobs end when they next run).
 */
export async function armScheduleJobs(tx: Tx, jobs: JobQueue, scheduleId: string, now: Date): Promise<void> {
  const record = await tx.schedules.findById(scheduleId);
  if (!record) return;
  await armHandoffJob(tx, jobs, record, now);
  await armWeeklySummaryJob(jobs, record, now);
  await armGapCheckJob(jobs, record.id, now);
}

/** How far ahead a person's overrides count as shifts still to come, when re-arming for them. */
const PERSON_LOOKAHEAD_MS = 366 * DAY_MS;

/** Whether a schedule puts `userId` on call at or after `nowMs`, in a layer or an override. */
async function namesPersonFrom(tx: Tx, scheduleId: string, userId: string, nowMs: number): Promise<boolean> {
  for (const { layer } of await tx.schedules.listLayers(scheduleId)) {
    const named =
      layer.source === "rotation"
        ? layer.versions.some(
            (v) =>
              (v.effectiveUntilMs === null || v.effectiveUntilMs > nowMs) && v.memberIds.includes(userId),
          )
        : layer.shifts.some((s) => s.endMs > nowMs && s.userId === userId);
    if (named) return true;
  }
  const overrides = await tx.scheduleOverrides.listOverlapping(
    scheduleId,
    nowMs,
    nowMs + PERSON_LOOKAHEAD_MS,
  );
  return overrides.some((o) => o.userId === userId);
}

/**
 * Call when a person is disabled or enabled again, in that transaction and after the change: their
 * shifts from then on become gaps (or coverage again), so every schedule that names them re-arms,
 * which moves its handoff notices and checks its gaps at once. Returns the schedules re-armed.
 */
export async function armSchedulesOfPerson(tx: Tx, userId: string, now: Date): Promise<string[]> {
  const armed: string[] = [];
  for (const record of await tx.schedules.list()) {
    if (!(await namesPersonFrom(tx, record.id, userId, now.getTime()))) continue;
    await armScheduleJobs(tx, tx.jobs, record.id, now);
    armed.push(record.id);
  }
  return armed;
}

/**
 * The `schedule.rearm-all` safety net, so nothing depends on every change remembering to arm: every
 * schedule gets its handoff and weekly jobs recomputed (the same values a change would give) and a
 * gap check within a day unless one is due sooner. Then it re-arms itself an hour on.
 */
export async function rearmAllSchedules(tx: Tx, now: Date): Promise<number> {
  const records = await tx.schedules.list();
  for (const record of records) {
    await armHandoffJob(tx, tx.jobs, record, now);
    await armWeeklySummaryJob(tx.jobs, record, now);
    await armGapCheckJob(tx.jobs, record.id, new Date(now.getTime() + GAP_CHECK_INTERVAL_MS));
  }
  await tx.jobs.enqueue(
    "schedule.rearm-all",
    {},
    {
      runAt: new Date(now.getTime() + REARM_ALL_INTERVAL_MS),
      key: REARM_ALL_JOB_KEY,
      keyMode: "replace",
    },
  );
  return records.length;
}

/** The safety net's first run comes this long after start-up, once the start-up work has settled. */
export const REARM_ALL_STARTUP_DELAY_MS = 60_000;

/** At start-up (idempotent: one job under its key however often, and by however many instances). */
export function armScheduleRearmAll(tx: Tx, now: Date) {
  return tx.jobs.enqueue(
    "schedule.rearm-all",
    {},
    {
      runAt: new Date(now.getTime() + REARM_ALL_STARTUP_DELAY_MS),
      key: REARM_ALL_JOB_KEY,
      keyMode: "keep-earliest",
    },
  );
}
