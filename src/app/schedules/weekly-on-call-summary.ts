import { DAY_MS } from "../../core/schedules/civil-time.js";
import { finalShifts, scheduleGaps } from "../../core/schedules/final-schedule.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { TimeRange } from "../../core/schedules/schedule.js";
import type { Tx } from "../ports/store.js";
import { armWeeklySummaryJob, nextWeeklySummaryMs } from "./arm-schedule-jobs.js";
import { loadSchedule } from "./load-schedule.js";
import {
  planChannelNotices,
  planPersonNotice,
  scheduleAudience,
  type NoticeDetails,
  type NoticeText,
} from "./schedule-notices.js";
import { peopleBook, type PeopleBook } from "./schedule-views.js";

/**
 * "Who is on call next week": on Monday at 09:00 on each schedule's wall clock, the final shifts of
 * the coming week go to the channels of the services paging through the schedule and to everyone on
 * call that week. One job per schedule, fenced like the handoff job by holding its key.
 */

/** A summary that comes this late (the engine was down) is skipped; the next week's goes out. */
export const WEEKLY_SUMMARY_LATE_LIMIT_MS = DAY_MS;
const LISTED_STRETCHES = 40;

export type WeeklySummaryOutcome = "superseded" | "schedule-gone" | "not-due" | "too-late" | "sent";

export interface WeeklySummaryJob {
  readonly scheduleId: string;
  readonly weekStartMs: number;
  /** See HandoffJob.holdsKey: a second run of the same row holds no key and does nothing. */
  readonly holdsKey: boolean;
}

export async function runWeeklySummaryJob(
  tx: Tx,
  job: WeeklySummaryJob,
  now: Date,
): Promise<WeeklySummaryOutcome> {
  if (!job.holdsKey) return "superseded";
  const record = await tx.schedules.findById(job.scheduleId);
  if (!record) return "schedule-gone";
  const outcome = await summarise(tx, record, job.weekStartMs, now);
  await armWeeklySummaryJob(tx.jobs, record, now);
  return outcome;
}

async function summarise(
  tx: Tx,
  record: ScheduleRecord,
  weekStartMs: number,
  now: Date,
): Promise<WeeklySummaryOutcome> {
  if (weekStartMs > now.getTime()) return "not-due";
  if (now.getTime() - weekStartMs > WEEKLY_SUMMARY_LATE_LIMIT_MS) return "too-late";
  // A wall-clock week: 167 or 169 hours across a daylight-saving change.
  const week = { startMs: weekStartMs, endMs: nextWeeklySummaryMs(record, weekStartMs) };
  const loaded = await loadSchedule(tx, record, week);
  const shifts = finalShifts(loaded.schedule, week);
  const text = weeklySummaryText(
    record,
    week,
    stretchesOf(shifts, scheduleGaps(loaded.schedule, week)),
    await peopleBook(tx),
  );
  const plan = { schedule: record, text, idempotencyBase: `schedule-week:${record.id}:${weekStartMs}`, now };
  const audience = await scheduleAudience(tx, record.id);
  await planChannelNotices(tx, plan, audience.channelIds);
  for (const userId of new Set(shifts.map((s) => s.userId))) {
    const user = await tx.users.findById(userId);
    if (user && !user.disabledAt) await planPersonNotice(tx, plan, userId);
  }
  return "sent";
}

interface Stretch extends TimeRange {
  /** null: nobody is on call. */
  readonly userId: string | null;
}

/** Touching shifts of one person become one stretch (a layer shift running into an override); gaps are nobody's. */
function stretchesOf(
  shifts: ReadonlyArray<TimeRange & { userId: string }>,
  gaps: readonly TimeRange[],
): Stretch[] {
  const stretches: Stretch[] = [];
  for (const shift of shifts) {
    const last = stretches[stretches.length - 1];
    if (last && last.userId === shift.userId && last.endMs === shift.startMs)
      stretches[stretches.length - 1] = { ...last, endMs: shift.endMs };
    else stretches.push({ userId: shift.userId, startMs: shift.startMs, endMs: shift.endMs });
  }
  stretches.push(...gaps.map((g) => ({ userId: null, startMs: g.startMs, endMs: g.endMs })));
  return stretches.sort((a, b) => a.startMs - b.startMs);
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** "Mon 16 Nov, 09:00" on the schedule's wall clock (the title names the zone). */
function shortInstant(atMs: number, timeZone: string): string {
  let format = shortFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    shortFormats.set(timeZone, format);
  }
  return format.format(atMs);
}

function weeklySummaryText(
  record: ScheduleRecord,
  week: TimeRange,
  stretches: readonly Stretch[],
  people: PeopleBook,
): NoticeText {
  const zone = record.timeZone;
  const lines: NoticeDetails = stretches.slice(0, LISTED_STRETCHES).map((s) => ({
    label: s.userId === null ? "Nobody" : people.name(s.userId),
    value: `${shortInstant(s.startMs, zone)} – ${shortInstant(s.endMs, zone)}`,
  }));
  const rest = stretches.length - lines.length;
  return {
    title: `Who is on call for ${record.name}, ${shortInstant(week.startMs, zone)} – ${shortInstant(week.endMs, zone)} (${zone})`,
    details: rest > 0 ? [...lines, { label: "More", value: `${rest} more shifts: see the schedule` }] : lines,
  };
}
