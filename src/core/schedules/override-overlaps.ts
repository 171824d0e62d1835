import type { OverrideSource } from "./records.js";
import type { TimeRange } from "./schedule.js";
import { wallClockFormat } from "./wall-clock-format.js";

/**
 * Overrides of one person may overlap (as in PagerDuty and GoAlert): accepted, but said, since a
 * second override over time already covered is most often a slip ("Ada already covers 09:00–12:00
 * on Thu 10 Dec (Europe/Berlin) in this schedule by another override"). Pure: names and now are given.
 */

export interface ExistingOverride extends TimeRange {
  readonly source: OverrideSource;
}

const BY: Record<OverrideSource, string> = {
  manual: "another override",
  "take-over": "a take-over",
  cover: "a cover",
  swap: "a swap",
};

function parts(atMs: number, timeZone: string) {
  const p = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(atMs)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.weekday} ${p.day} ${p.month}`, year: p.year!, time: `${p.hour}:${p.minute}` };
}

/** "09:00–12:00 on Thu 10 Dec (zone)" within a day, else "Thu 10 Dec 23:00 – Fri 11 Dec 02:00 (zone)". */
export function overlapText(range: TimeRange, timeZone: string, nowMs: number): string {
  const start = parts(range.startMs, timeZone);
  const end = parts(range.endMs, timeZone);
  const thisYear = parts(nowMs, timeZone).year;
  const day = (p: typeof start) => (p.year === thisYear ? p.day : `${p.day} ${p.year}`);
  if (start.day === end.day && start.year === end.year)
    return `${start.time}–${end.time} on ${day(start)} (${timeZone})`;
  return `${day(start)} ${start.time} – ${day(end)} ${end.time} (${timeZone})`;
}

/** One warning per earlier override of the same person that the new range overlaps, in time order. */
export function overlapWarnings(
  personName: string,
  range: TimeRange,
  existing: readonly ExistingOverride[],
  timeZone: string,
  nowMs: number,
): string[] {
  return existing
    .map((o) => ({
      source: o.source,
      startMs: Math.max(o.startMs, range.startMs),
      endMs: Math.min(o.endMs, range.endMs),
    }))
    .filter((o) => o.startMs < o.endMs)
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
    .map(
      (o) =>
        `${personName} already covers ${overlapText(o, timeZone, nowMs)} in this schedule by ${BY[o.source]}`,
    );
}
