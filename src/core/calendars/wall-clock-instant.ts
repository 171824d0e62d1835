/**
 * Wall clock ↔ instant in an IANA zone through Intl, for calendar files. Gaps and overlaps follow
 * RFC 5545 §3.3.5, which differs from the rotation maths in src/core/schedules/zoned-time.ts: a
 * skipped local time is read with the offset before the gap (02:30 → 03:30 EDT, not 03:00).
 */

export interface WallClock {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;
// Formatters are costly to build and immutable once built; one per zone is kept for the process.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (e.g. "America/New_York", "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/** The wall clock in `timeZone` at `atMs` (seconds kept, milliseconds dropped). */
export function wallClockAt(atMs: number, timeZone: string): WallClock {
  const formatter = formatterFor(timeZone);
  if (formatter === null) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(atMs)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields["year"] ?? NaN,
    month: fields["month"] ?? NaN,
    day: fields["day"] ?? NaN,
    hour: fields["hour"] ?? NaN,
    minute: fields["minute"] ?? NaN,
    second: fields["second"] ?? NaN,
  };
}

/**
 * The instant of a wall-clock time in `timeZone`. A time that occurs twice (clocks going back) is
 * its first occurrence; a time that does not occur is read with the UTC offset before the gap.
 */
export function instantOfWallClock(wall: WallClock, timeZone: string): number {
  const asUtc = utcMsOf(wall);
  const offsetBefore = offsetMsAt(asUtc - DAY_MS, timeZone);
  const offsetAfter = offsetMsAt(asUtc + DAY_MS, timeZone);
  if (offsetBefore === offsetAfter) return asUtc - offsetBefore; // no change of offset nearby
  const matching = [asUtc - offsetBefore, asUtc - offsetAfter].filter(
    (candidate) => candidate + offsetMsAt(candidate, timeZone) === asUtc,
  );
  return matching.length > 0 ? Math.min(...matching) : asUtc - offsetBefore;
}

/** The wall clock's fields read as if they were UTC. */
export function utcMsOf(wall: WallClock): number {
  const date = new Date(Date.UTC(2000, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  date.setUTCFullYear(wall.year); // Date.UTC maps years 0–99 to 1900–1999
  return date.getTime();
}

/** How far `timeZone`'s wall clock is ahead of UTC at `atMs`, in ms. */
function offsetMsAt(atMs: number, timeZone: string): number {
  const wholeSecondMs = Math.floor(atMs / 1000) * 1000;
  return utcMsOf(wallClockAt(wholeSecondMs, timeZone)) - wholeSecondMs;
}
