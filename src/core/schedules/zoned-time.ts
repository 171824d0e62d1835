/**
 * Wall-clock ↔ instant conversion in an IANA zone. Intl is asked once per UTC day of a zone (and a few
 * more times on a day with a change of offset); the answers are memoised, so a conversion afterwards
 * is a map look-up and some arithmetic.
 */
import { AppError } from "../errors.js";
import {
  DAY_MS,
  civilFromDays,
  daysFromCivil,
  formatLocalDateTime,
  parseLocalDateTime,
  weekdayOfLocalMs,
} from "./civil-time.js";

export interface LocalDateTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

/** One UTC day of a zone: its offset at the start and, if the offset changes that day, when and to what. */
interface DayOffsets {
  readonly startOffsetMs: number;
  /** NaN: no change that day. */
  readonly changeMs: number;
  readonly endOffsetMs: number;
}

/** Memoised days kept per zone before the memo starts afresh (about 270 years of days). */
const MAX_DAYS_PER_ZONE = 100_000;

/**
 * The rules of one zone. Offsets are "local minus UTC" in ms; "local ms" is the wall clock written as
 * if it were UTC (civil-time.ts). Assumes at most one change of offset in any UTC day, which holds for
 * every zone in the tz database since the 19th century.
 */
export class ZoneRules {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly days = new Map<number, DayOffsets>();
  private lastDay = NaN;
  private lastOffsets: DayOffsets | undefined;

  constructor(readonly timeZone: string) {
    this.formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
  }

  offsetAt(atMs: number): number {
    const day = Math.floor(atMs / DAY_MS);
    let offsets = day === this.lastDay ? this.lastOffsets : this.days.get(day);
    if (offsets === undefined) offsets = this.learnDay(day);
    this.lastDay = day;
    this.lastOffsets = offsets;
    return atMs >= offsets.changeMs ? offsets.endOffsetMs : offsets.startOffsetMs;
  }

  /** The wall clock at `atMs`, as local ms. */
  localMsAt(atMs: number): number {
    return atMs + this.offsetAt(atMs);
  }

  /**
   * The instant of a local time: a time skipped by a spring-forward change gives the instant the
   * clocks jumped; a repeated time gives its first occurrence. Monotone: a later local time never
   * gives an earlier instant. ±Infinity passes through.
   */
  instantOf(localMs: number): number {
    if (!Number.isFinite(localMs)) return localMs;
    // Any change that bears on localMs happens within 14 h of it; probing a day either side finds it.
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    if (before === after) {
      const candidate = localMs - before;
      if (this.offsetAt(candidate) === before) return candidate;
    }
    // Read with the offset before a change, and with the one after: both fit in a repeated hour
    // (the earlier is the first occurrence), neither in a skipped one.
    const withBefore = localMs - before;
    const withAfter = localMs - after;
    const beforeFits = this.offsetAt(withBefore) === before;
    const afterFits = this.offsetAt(withAfter) === after;
    if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
    if (beforeFits) return withBefore;
    if (afterFits) return withAfter;
    const low = Math.min(withBefore, withAfter);
    return this.changeWithin(low, Math.max(withBefore, withAfter)) ?? withBefore;
  }

  /**
   * The latest local ms whose instant is at or before `atMs`. It equals the wall clock at `atMs`,
   * except in the second run of a repeated hour, which sits just before the end of the repeat (its
   * local times all map to their first occurrence). Then `a <= positionAt(t) < b` exactly when
   * `instantOf(a) <= t < instantOf(b)`: what lets rotations be worked out in local time.
   */
  positionAt(atMs: number): number {
    const localMs = this.localMsAt(atMs);
    const firstOccurrence = this.instantOf(localMs);
    if (firstOccurrence === atMs) return localMs;
    const change = this.changeWithin(firstOccurrence, atMs) ?? atMs;
    return this.localMsAt(change - 1);
  }

  /** The first change of offset in (fromMs, toMs], or null. */
  private changeWithin(fromMs: number, toMs: number): number | null {
    for (let day = Math.floor(fromMs / DAY_MS); day <= Math.floor(toMs / DAY_MS); day++) {
      this.offsetAt(day * DAY_MS);
      const change = this.days.get(day)?.changeMs ?? NaN;
      if (change > fromMs && change <= toMs) return change;
    }
    return null;
  }

  private learnDay(day: number): DayOffsets {
    if (this.days.size >= MAX_DAYS_PER_ZONE) this.days.clear();
    const startS = (day * DAY_MS) / 1000;
    const endS = startS + DAY_MS / 1000;
    const startOffsetMs = this.intlOffsetAtSecond(startS);
    const endOffsetMs = this.intlOffsetAtSecond(endS);
    let changeMs = NaN;
    if (startOffsetMs !== endOffsetMs) {
      // The offset changes on a whole second in the tz database: bisect the day in seconds.
      let low = startS;
      let high = endS;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (this.intlOffsetAtSecond(middle) === startOffsetMs) low = middle;
        else high = middle;
      }
      changeMs = high * 1000;
    }
    const offsets = { startOffsetMs, changeMs, endOffsetMs };
    this.days.set(day, offsets);
    return offsets;
  }

  private intlOffsetAtSecond(second: number): number {
    const fields: Record<string, string> = {};
    for (const part of this.formatter.formatToParts(second * 1000)) fields[part.type] = part.value;
    const yearOfEra = Number(fields.year);
    const year = fields.era === "BC" || fields.era === "B" ? 1 - yearOfEra : yearOfEra;
    const localS =
      daysFromCivil(year, Number(fields.month), Number(fields.day)) * 86_400 +
      Number(fields.hour) * 3600 +
      Number(fields.minute) * 60 +
      Number(fields.second);
    return (localS - second) * 1000;
  }
}

const zones = new Map<string, ZoneRules>();
/** More names than the tz database has (with case variants): start afresh rather than grow without end. */
const MAX_ZONE_NAMES = 2_000;

/** The memoised rules of `timeZone`; an unknown zone is a VALIDATION error naming /timeZone. */
export function zoneRules(timeZone: string): ZoneRules {
  let rules = zones.get(timeZone);
  if (rules === undefined) {
    try {
      rules = new ZoneRules(timeZone);
    } catch {
      const message = `unknown time zone ${JSON.stringify(String(timeZone)).slice(0, 80)}`;
      throw new AppError("VALIDATION", message, { fields: [{ path: "/timeZone", message }] });
    }
    if (zones.size >= MAX_ZONE_NAMES) zones.clear();
    zones.set(timeZone, rules);
  }
  return rules;
}

/** The wall clock in `timeZone` at `atMs`. */
export function localDateTimeAt(atMs: number, timeZone: string): LocalDateTime {
  const localMs = zoneRules(timeZone).localMsAt(atMs);
  const days = Math.floor(localMs / DAY_MS);
  const minuteOfDay = Math.floor((localMs - days * DAY_MS) / 60_000);
  return {
    ...civilFromDays(days),
    hour: Math.floor(minuteOfDay / 60),
    minute: minuteOfDay % 60,
    weekday: weekdayOfLocalMs(localMs),
  };
}

/**
 * The instant of a local "YYYY-MM-DDTHH:MM" in `timeZone`. A time skipped by a spring-forward change
 * maps to the instant the clocks jumped to; a repeated time (fall back) maps to its first occurrence.
 */
export function instantOfLocal(localDateTime: string, timeZone: string): number {
  const localMs = parseLocalDateTime(localDateTime);
  if (localMs === null) {
    const message = 'must be a real local date and time, "YYYY-MM-DDTHH:MM"';
    throw new AppError("VALIDATION", `local date-time ${message}`, { fields: [{ path: "", message }] });
  }
  return zoneRules(timeZone).instantOf(localMs);
}

/** "YYYY-MM-DDTHH:MM" of the wall clock in `timeZone` at `atMs`. */
export function formatLocalAt(atMs: number, timeZone: string): string {
  return formatLocalDateTime(zoneRules(timeZone).localMsAt(atMs));
}

/** A local time the clocks skipped (spring forward): the wall clock just before the jump and just after. */
export interface SkippedLocalTime {
  readonly jumpFrom: string;
  readonly jumpTo: string;
}

/**
 * Whether the clocks in `timeZone` skipped the local-ms time `localMs`, and across what. instantOf
 * quietly moves such a time to the jump, which suits rotations but not a time a person typed.
 */
export function skippedLocalTime(localMs: number, timeZone: string): SkippedLocalTime | null {
  const rules = zoneRules(timeZone);
  const atMs = rules.instantOf(localMs);
  if (rules.localMsAt(atMs) === localMs) return null;
  return {
    jumpFrom: formatLocalDateTime(atMs + rules.offsetAt(atMs - 1)),
    jumpTo: formatLocalDateTime(rules.localMsAt(atMs)),
  };
}
