import { validationError, type FieldError } from "../errors.js";
import { isTimeZone } from "../maintenance/maintenance-window.js";
import { DAY_MS, HOUR_MS, formatLocalDateTime, parseLocalDateTime } from "./civil-time.js";
import { finalShifts } from "./final-schedule.js";
import type { Schedule, Shift, TimeRange } from "./schedule.js";
import { instantOfLocal, localDateTimeAt } from "./zoned-time.js";

export interface FairnessPerson {
  readonly userId: string;
  /** IANA zone: night and weekend hours are counted on this person's own clock. */
  readonly timeZone: string;
}

export interface Holiday {
  /** "YYYY-MM-DD": the whole local day is a holiday. */
  readonly date: string;
  /** Default: the schedule's zone. */
  readonly timeZone?: string;
  readonly name: string;
}

export interface FairnessInput {
  readonly schedule: Schedule;
  readonly range: TimeRange;
  readonly people: readonly FairnessPerson[];
  readonly holidays: readonly Holiday[];
}

export interface PersonFairness {
  readonly userId: string;
  readonly timeZone: string;
  /** True when the person was on call but not in `people`: the schedule's zone was used. */
  readonly timeZoneAssumed: boolean;
  readonly shiftCount: number;
  /** Shifts that touch a Saturday or Sunday in the person's zone. */
  readonly weekendShiftCount: number;
  readonly hoursOnCall: number;
  /** Hours between 22:00 and 07:00 in the person's zone. */
  readonly nightHours: number;
  readonly weekendHours: number;
  readonly holidayHours: number;
  /** Names of the holidays the person was on call during, sorted. */
  readonly holidayNames: readonly string[];
}

export interface Spread {
  readonly min: number;
  readonly max: number;
  /** max − min */
  readonly range: number;
  /** Standard deviation over the mean (0 when the mean is 0): 0 is perfectly even. */
  readonly coefficientOfVariation: number;
}

export interface FairnessReport {
  readonly people: readonly PersonFairness[];
  readonly totals: Omit<PersonFairness, "userId" | "timeZone" | "timeZoneAssumed" | "holidayNames">;
  readonly spread: {
    readonly hoursOnCall: Spread;
    readonly nightHours: Spread;
    readonly weekendHours: Spread;
  };
  /** Every spread's coefficient of variation is at most FAIR_MAX_COEFFICIENT_OF_VARIATION. */
  readonly fair: boolean;
}

/** One person may carry a quarter more or less than the average and still be "fair". */
export const FAIR_MAX_COEFFICIENT_OF_VARIATION = 0.25;
export const MAX_FAIRNESS_RANGE_DAYS = 400;
export const MAX_HOLIDAYS = 1000;

const NIGHT_ENDS_HOUR = 7;
const NIGHT_STARTS_HOUR = 22;

/** Problems with a fairness request, each naming its field. */
export function checkFairnessInput(input: Omit<FairnessInput, "schedule">): FieldError[] {
  const errors: FieldError[] = [];
  const { startMs, endMs } = input.range;
  if (!Number.isSafeInteger(startMs)) errors.push({ path: "/range/startMs", message: "must be an instant" });
  if (!Number.isSafeInteger(endMs) || endMs <= startMs)
    errors.push({ path: "/range/endMs", message: "must be an instant after the start" });
  else if (endMs - startMs > MAX_FAIRNESS_RANGE_DAYS * DAY_MS)
    errors.push({ path: "/range/endMs", message: `at most ${MAX_FAIRNESS_RANGE_DAYS} days after the start` });
  const seen = new Set<string>();
  input.people.forEach((person, i) => {
    if (person.userId.trim().length === 0)
      errors.push({ path: `/people/${i}/userId`, message: "must not be empty" });
    else if (seen.has(person.userId))
      errors.push({ path: `/people/${i}/userId`, message: `${person.userId} is listed twice` });
    seen.add(person.userId);
    if (!isTimeZone(person.timeZone))
      errors.push({ path: `/people/${i}/timeZone`, message: `unknown time zone ${person.timeZone}` });
  });
  if (input.holidays.length > MAX_HOLIDAYS)
    errors.push({ path: "/holidays", message: `at most ${MAX_HOLIDAYS} holidays` });
  input.holidays.forEach((holiday, i) => {
    if (parseDate(holiday.date) === null)
      errors.push({ path: `/holidays/${i}/date`, message: 'must be a real date "YYYY-MM-DD"' });
    if (holiday.timeZone !== undefined && !isTimeZone(holiday.timeZone))
      errors.push({ path: `/holidays/${i}/timeZone`, message: `unknown time zone ${holiday.timeZone}` });
    if (holiday.name.trim().length === 0 || holiday.name.length > 200)
      errors.push({ path: `/holidays/${i}/name`, message: "must be 1 to 200 characters" });
  });
  return errors;
}

/** Local ms of midnight of a real "YYYY-MM-DD", else null. */
const parseDate = (date: string): number | null => parseLocalDateTime(`${date}T00:00`);
const nextCivilDate = (date: string): string =>
  formatLocalDateTime((parseDate(date) ?? 0) + DAY_MS).slice(0, 10);
const civilDateOf = (local: { year: number; month: number; day: number }): string =>
  formatLocalDateTime(Date.UTC(local.year, local.month - 1, local.day)).slice(0, 10);

interface HolidaySpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly name: string;
}

/** Each holiday as the instants of its local day (23 or 25 hours long on a clock-change day). */
function holidaySpans(holidays: readonly Holiday[], scheduleZone: string): HolidaySpan[] {
  return holidays.map((holiday) => {
    const zone = holiday.timeZone ?? scheduleZone;
    return {
      startMs: instantOfLocal(`${holiday.date}T00:00`, zone),
      endMs: instantOfLocal(`${nextCivilDate(holiday.date)}T00:00`, zone),
      name: holiday.name,
    };
  });
}

/** Length of `range` covered by the union of `spans` (holidays in two zones may overlap). */
function coveredMs(range: TimeRange, spans: readonly HolidaySpan[]): number {
  const clipped = spans
    .map((s) => ({ startMs: Math.max(s.startMs, range.startMs), endMs: Math.min(s.endMs, range.endMs) }))
    .filter((s) => s.endMs > s.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let reached = range.startMs;
  for (const span of clipped) {
    const from = Math.max(span.startMs, reached);
    if (span.endMs > from) total += span.endMs - from;
    reached = Math.max(reached, span.endMs);
  }
  return total;
}

interface Tally {
  shiftCount: number;
  weekendShiftCount: number;
  onCallMs: number;
  nightMs: number;
  weekendMs: number;
  holidayMs: number;
  holidayNames: Set<string>;
}

/**
 * Walks a shift in the person's zone, cut at local midnight, 07:00 and 22:00: inside each piece the
 * weekday and night-or-day are constant, and the cuts come from the zone, so DST days are exact.
 */
function tallyShift(tally: Tally, shift: Shift, timeZone: string, holidays: readonly HolidaySpan[]): void {
  let touchesWeekend = false;
  let at = shift.startMs;
  while (at < shift.endMs) {
    const local = localDateTimeAt(at, timeZone);
    const today = civilDateOf(local);
    const tomorrow = nextCivilDate(today);
    const cuts = [`${today}T07:00`, `${today}T22:00`, `${tomorrow}T00:00`, `${tomorrow}T07:00`]
      .map((wall) => instantOfLocal(wall, timeZone))
      .filter((cutMs) => cutMs > at);
    const pieceEnd = Math.min(shift.endMs, ...cuts);
    const pieceMs = pieceEnd - at;
    if (local.hour < NIGHT_ENDS_HOUR || local.hour >= NIGHT_STARTS_HOUR) tally.nightMs += pieceMs;
    if (local.weekday === 0 || local.weekday === 6) {
      tally.weekendMs += pieceMs;
      touchesWeekend = true;
    }
    at = pieceEnd;
  }
  tally.shiftCount += 1;
  tally.onCallMs += shift.endMs - shift.startMs;
  if (touchesWeekend) tally.weekendShiftCount += 1;
  tally.holidayMs += coveredMs(shift, holidays);
  for (const holiday of holidays) {
    if (holiday.startMs < shift.endMs && holiday.endMs > shift.startMs) tally.holidayNames.add(holiday.name);
  }
}

function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { min: 0, max: 0, range: 0, coefficientOfVariation: 0 };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { min, max, range: max - min, coefficientOfVariation: mean === 0 ? 0 : Math.sqrt(variance) / mean };
}

/**
 * Who carried how much of the final schedule over `range`: shifts, weekend shifts, hours on call,
 * night hours and weekend hours on each person's own clock, and hours during holidays. Everyone in
 * `people` has a row (zeros included, so an idle member shows as unfair).
 */
export function fairnessReport(input: FairnessInput): FairnessReport {
  const errors = checkFairnessInput(input);
  if (errors.length > 0) throw validationError(errors);
  const zoneOf = new Map(input.people.map((p) => [p.userId, p.timeZone]));
  const tallies = new Map<string, Tally>();
  const tallyOf = (userId: string): Tally => {
    let tally = tallies.get(userId);
    if (!tally) {
      tally = {
        shiftCount: 0,
        weekendShiftCount: 0,
        onCallMs: 0,
        nightMs: 0,
        weekendMs: 0,
        holidayMs: 0,
        holidayNames: new Set(),
      };
      tallies.set(userId, tally);
    }
    return tally;
  };
  for (const person of input.people) tallyOf(person.userId);

  const holidays = holidaySpans(input.holidays, input.schedule.timeZone);
  for (const shift of finalShifts(input.schedule, input.range)) {
    const timeZone = zoneOf.get(shift.userId) ?? input.schedule.timeZone;
    tallyShift(tallyOf(shift.userId), shift, timeZone, holidays);
  }

  const people: PersonFairness[] = [...tallies].map(([userId, t]) => ({
    userId,
    timeZone: zoneOf.get(userId) ?? input.schedule.timeZone,
    timeZoneAssumed: !zoneOf.has(userId),
    shiftCount: t.shiftCount,
    weekendShiftCount: t.weekendShiftCount,
    hoursOnCall: t.onCallMs / HOUR_MS,
    nightHours: t.nightMs / HOUR_MS,
    weekendHours: t.weekendMs / HOUR_MS,
    holidayHours: t.holidayMs / HOUR_MS,
    holidayNames: [...t.holidayNames].sort(),
  }));
  // Totals from the integer tallies, so they equal the sum of the rows without float drift.
  const sum = (pick: (t: Tally) => number): number => [...tallies.values()].reduce((s, t) => s + pick(t), 0);
  const spread = {
    hoursOnCall: spreadOf(people.map((p) => p.hoursOnCall)),
    nightHours: spreadOf(people.map((p) => p.nightHours)),
    weekendHours: spreadOf(people.map((p) => p.weekendHours)),
  };
  return {
    people,
    totals: {
      shiftCount: sum((t) => t.shiftCount),
      weekendShiftCount: sum((t) => t.weekendShiftCount),
      hoursOnCall: sum((t) => t.onCallMs) / HOUR_MS,
      nightHours: sum((t) => t.nightMs) / HOUR_MS,
      weekendHours: sum((t) => t.weekendMs) / HOUR_MS,
      holidayHours: sum((t) => t.holidayMs) / HOUR_MS,
    },
    spread,
    fair: Object.values(spread).every((s) => s.coefficientOfVariation <= FAIR_MAX_COEFFICIENT_OF_VARIATION),
  };
}
