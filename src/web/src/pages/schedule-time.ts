// Wall-clock time in a named zone, for the schedule pages: a schedule's days start at its own local
// midnight, and each person reads their shifts in their own zone. Only Intl; no zone data of our own.

export const TIME_ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
})();

/** The browser's own time zone, such as "Europe/Berlin". */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
const partsFormat = (zone: string): Intl.DateTimeFormat => {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    partsFormats.set(zone, format);
  }
  return format;
};

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

export function wallClock(ms: number, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAY[parts.weekday ?? "Sun"] ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function offsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

/** "YYYY-MM-DDTHH:MM" at `ms` in `zone`. */
export function localText(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant a wall-clock "YYYY-MM-DDTHH:MM" names in `zone`, or NaN. A time skipped by a
 * daylight-saving change lands just after the change; a repeated one takes its first occurrence.
 */
export function instantOfLocal(local: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return NaN;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(asUtc)) return NaN;
  // The offsets a day either side cover both sides of any daylight-saving change near this time.
  const candidates = [asUtc - offsetMs(asUtc - DAY_MS, zone), asUtc - offsetMs(asUtc + DAY_MS, zone)];
  const valid = candidates.filter((c) => localText(c, zone) === local);
  return valid.length > 0 ? Math.min(...valid) : Math.max(...candidates);
}

/** The local midnight on or before `ms` in `zone`. */
export function startOfLocalDay(ms: number, zone: string): number {
  return instantOfLocal(`${localText(ms, zone).slice(0, 10)}T00:00`, zone);
}

/** "YYYY-MM-DD" moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The date a new rotation's first handoff defaults to: today, or yesterday while today's handoff
 * time is still ahead. A rotation covers nothing before its first handoff, so the new one is on call
 * from the moment it is saved.
 */
export function firstHandoffDate(nowMs: number, zone: string, handoffTime: string): string {
  const today = localText(nowMs, zone).slice(0, 10);
  return instantOfLocal(`${today}T${handoffTime}`, zone) > nowMs ? addDays(today, -1) : today;
}

/** The local midnights from `startMs` (itself a local midnight) up to `endMs`, in `zone`. */
export function localDays(startMs: number, endMs: number, zone: string): number[] {
  const days: number[] = [];
  let date = localText(startMs, zone).slice(0, 10);
  for (let at = startMs; at < endMs && days.length < 400;) {
    days.push(at);
    date = addDays(date, 1);
    at = instantOfLocal(`${date}T00:00`, zone);
  }
  return days;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string, kind: "when" | "day" | "weekday" | "narrow" | "time"): Intl.DateTimeFormat {
  const key = `${zone}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "when"
        ? { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }
        : kind === "day"
          ? { weekday: "short", day: "numeric", month: "short" }
          : kind === "weekday"
            ? { weekday: "short", day: "numeric" }
            : kind === "narrow"
              ? { weekday: "narrow", day: "numeric" }
              : { hour: "2-digit", minute: "2-digit" };
    f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    formats.set(key, f);
  }
  return f;
}

/** "Mon 21 Nov, 09:00" in `zone`. */
export const formatWhen = (iso: string | number, zone: string): string =>
  format(zone, "when").format(new Date(iso));

/** "Mon 21 Nov" in `zone`. */
export const formatDay = (iso: string | number, zone: string): string =>
  format(zone, "day").format(new Date(iso));

/** "Mon 21" in `zone`, for narrow day columns. */
export const formatWeekday = (iso: string | number, zone: string): string =>
  format(zone, "weekday").format(new Date(iso));

/** "M 21" in `zone`, for a month of day columns. */
export const formatNarrowDay = (iso: string | number, zone: string): string =>
  format(zone, "narrow").format(new Date(iso));

/** "09:00" in `zone`. */
export const formatClockIn = (iso: string | number, zone: string): string =>
  format(zone, "time").format(new Date(iso));

/** "Mon 21 Nov, 09:00 – Tue 22 Nov, 09:00", the end shortened to the time on the same day. */
export function formatSpan(start: string | number, end: string | number, zone: string): string {
  const sameDay = formatDay(start, zone) === formatDay(Number(new Date(end)) - 1, zone);
  return `${formatWhen(start, zone)} – ${sameDay ? formatClockIn(end, zone) : formatWhen(end, zone)}`;
}

/** A datetime-local input's value ("YYYY-MM-DDTHH:MM") read in `zone`, as an ISO instant or undefined. */
export function isoOfLocal(local: string, zone: string): string | undefined {
  const ms = instantOfLocal(local, zone);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
