import { validationError, type FieldError } from "../errors.js";
import { isTimeZone } from "../maintenance/maintenance-window.js";
import {
  DAY_MS,
  HOUR_MS,
  formatLocalDateTime,
  mod,
  parseClockTime,
  parseLocalDateTime,
} from "./civil-time.js";
import type { RotationVersion, TimeWindow } from "./schedule.js";
import { localDateTimeAt } from "./zoned-time.js";

/** A rotation's settings before it is saved (no effective dates yet). */
export type RotationDraft = Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">;

/** A rotation layer not yet saved: the body of POST /schedules/:id/layers. */
export interface LayerDraft {
  readonly name: string;
  readonly priority: number;
  readonly rotation: RotationDraft;
}

export interface FollowTheSunMember {
  readonly userId: string;
  readonly timeZone: string;
  /** "HH:MM" local to the member's zone. An end at or before the start runs past midnight. */
  readonly workStart: string;
  /** "HH:MM" (or "24:00") local to the member's zone. */
  readonly workEnd: string;
}

export interface FollowTheSunInput {
  readonly scheduleTimeZone: string;
  readonly members: readonly FollowTheSunMember[];
  /** Whole hours, 4 to 6. */
  readonly shiftHours: number;
  /** "YYYY-MM-DD": the zone offsets of this date are the ones planned for. */
  readonly referenceDate: string;
  /** "YYYY-MM-DDTHH:MM" in the schedule zone: the generated rotations begin at or after it. */
  readonly startLocal: string;
}

export interface FollowTheSunSlot {
  readonly index: number;
  /** "HH:MM" in the schedule zone; the end may be "24:00". */
  readonly startTime: string;
  readonly endTime: string;
  /** The same boundaries in UTC, with the offsets of the reference date. */
  readonly startUtcTime: string;
  readonly endUtcTime: string;
  readonly hours: number;
  /** Members whose working hours hold the whole slot, by userId. */
  readonly candidateIds: readonly string[];
  /** Who takes the slot, in rotation order (weekly turns). */
  readonly assignedIds: readonly string[];
  /** Hours of the slot outside the assigned members' working hours (0 when a candidate exists). */
  readonly hoursOutsideWorkingHours: number;
}

/** A slot nobody can take wholly inside working hours, and who takes it anyway. */
export interface UncoveredStretch {
  readonly slotIndex: number;
  readonly startTime: string;
  readonly endTime: string;
  readonly startUtcTime: string;
  readonly endUtcTime: string;
  /** Hours of the slot outside the takers' working hours. */
  readonly hours: number;
  /** The members for whom it is least bad (fewest night hours, then fewest hours outside work). */
  readonly takenByIds: readonly string[];
  /** How many of `hours` fall at night (22:00–07:00) in each taker's own zone. */
  readonly nightHours: number;
}

export interface FollowTheSunPlan {
  readonly layers: readonly LayerDraft[];
  readonly slots: readonly FollowTheSunSlot[];
  readonly uncovered: readonly UncoveredStretch[];
  readonly uncoveredHoursPerDay: number;
  /** Hours at night (22:00–07:00 in their own zone) per week, averaged over a rotation cycle, to 0.01 h. */
  readonly nightHoursPerWeekByUser: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

export const MIN_SHIFT_HOURS = 4;
export const MAX_SHIFT_HOURS = 6;
export const MAX_MEMBERS = 100;
/** The priority given to every generated layer: the slots do not overlap, so one value serves. */
export const FOLLOW_THE_SUN_PRIORITY = 1;

const DAY_MINUTES = 1440;
const NIGHT_STARTS_MINUTE = 22 * 60;
const NIGHT_ENDS_MINUTE = 7 * 60;

/** Local ms of midnight of a real "YYYY-MM-DD", else null. */
const parseDate = (date: string): number | null => parseLocalDateTime(`${date}T00:00`);
const formatDate = (localMs: number): string => formatLocalDateTime(localMs).slice(0, 10);
const clock = (minute: number, allowEndOfDay = false): string => {
  const m = allowEndOfDay && minute === DAY_MINUTES ? DAY_MINUTES : mod(minute, DAY_MINUTES);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};
const roundHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** Minutes the zone's wall clock is ahead of UTC at `atMs`. */
function utcOffsetMinutes(atMs: number, timeZone: string): number {
  const local = localDateTimeAt(atMs, timeZone);
  const wallMs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return Math.round((wallMs - Math.floor(atMs / 60_000) * 60_000) / 60_000);
}

/** Problems with a follow-the-sun request, each naming its field. */
export function checkFollowTheSun(input: FollowTheSunInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!isTimeZone(input.scheduleTimeZone))
    errors.push({ path: "/scheduleTimeZone", message: `unknown time zone ${input.scheduleTimeZone}` });
  if (input.members.length === 0) errors.push({ path: "/members", message: "needs at least one member" });
  if (input.members.length > MAX_MEMBERS)
    errors.push({ path: "/members", message: `at most ${MAX_MEMBERS} members` });
  const seen = new Set<string>();
  input.members.forEach((member, i) => {
    const path = `/members/${i}`;
    if (member.userId.trim().length === 0)
      errors.push({ path: `${path}/userId`, message: "must not be empty" });
    else if (seen.has(member.userId))
      errors.push({ path: `${path}/userId`, message: `${member.userId} is listed twice` });
    seen.add(member.userId);
    if (!isTimeZone(member.timeZone))
      errors.push({ path: `${path}/timeZone`, message: `unknown time zone ${member.timeZone}` });
    const start = parseClockTime(member.workStart, false);
    const end = parseClockTime(member.workEnd, true);
    if (start === null)
      errors.push({ path: `${path}/workStart`, message: 'must be "HH:MM", 00:00 to 23:59' });
    if (end === null) errors.push({ path: `${path}/workEnd`, message: 'must be "HH:MM", 00:00 to 24:00' });
    else if (start !== null && mod(end, DAY_MINUTES) === start)
      errors.push({ path: `${path}/workEnd`, message: "must differ from workStart" });
  });
  if (
    !Number.isInteger(input.shiftHours) ||
    input.shiftHours < MIN_SHIFT_HOURS ||
    input.shiftHours > MAX_SHIFT_HOURS
  ) {
    errors.push({
      path: "/shiftHours",
      message: `must be a whole number of hours from ${MIN_SHIFT_HOURS} to ${MAX_SHIFT_HOURS}`,
    });
  }
  if (parseDate(input.referenceDate) === null)
    errors.push({ path: "/referenceDate", message: 'must be a real date "YYYY-MM-DD"' });
  if (parseLocalDateTime(input.startLocal) === null)
    errors.push({ path: "/startLocal", message: 'must be a real local date and time "YYYY-MM-DDTHH:MM"' });
  return errors;
}

/**
 * Slot sizes in hours that tile a day: `shiftHours` each, the last one shorter when 24 is not a
 * multiple (5 h → 5, 5, 5, 5, 4). `shortAt` moves the short slot, so the search can place it.
 */
function slotSizes(shiftHours: number, shortAt: number): number[] {
  const count = Math.ceil(24 / shiftHours);
  const sizes = Array.from({ length: count }, () => shiftHours);
  sizes[shortAt] = 24 - (count - 1) * shiftHours;
  return sizes;
}

/** A member's day seen on the schedule zone's wall clock, as prefix sums for O(1) slot questions. */
interface MemberDay {
  readonly userId: string;
  /** Member's clock minus the schedule's clock, in minutes, on the reference date. */
  readonly aheadMinutes: number;
  /** outside[k]: minutes in [0, k) (over two days, k ≤ 2880) outside working hours. */
  readonly outside: Int32Array;
  /** nightOutside[k]: of those, minutes at night in the member's zone. */
  readonly nightOutside: Int32Array;
  readonly night: Int32Array;
}

function memberDay(member: FollowTheSunMember, aheadMinutes: number): MemberDay {
  const workStart = parseClockTime(member.workStart, false) ?? 0;
  const workEnd = parseClockTime(member.workEnd, true) ?? 0;
  const workLength = mod(workEnd - workStart, DAY_MINUTES) || DAY_MINUTES;
  const outside = new Int32Array(2 * DAY_MINUTES + 1);
  const nightOutside = new Int32Array(2 * DAY_MINUTES + 1);
  const night = new Int32Array(2 * DAY_MINUTES + 1);
  for (let k = 0; k < 2 * DAY_MINUTES; k++) {
    const local = mod(k + aheadMinutes, DAY_MINUTES);
    const isOutside = mod(local - workStart, DAY_MINUTES) >= workLength;
    const isNight = local >= NIGHT_STARTS_MINUTE || local < NIGHT_ENDS_MINUTE;
    outside[k + 1] = (outside[k] ?? 0) + (isOutside ? 1 : 0);
    nightOutside[k + 1] = (nightOutside[k] ?? 0) + (isOutside && isNight ? 1 : 0);
    night[k + 1] = (night[k] ?? 0) + (isNight ? 1 : 0);
  }
  return { userId: member.userId, aheadMinutes, outside, nightOutside, night };
}

const sumOver = (prefix: Int32Array, startMinute: number, minutes: number): number =>
  (prefix[startMinute + minutes] ?? 0) - (prefix[startMinute] ?? 0);

interface SlotChoice {
  readonly startMinute: number;
  readonly minutes: number;
  readonly takers: readonly MemberDay[];
  readonly outsideMinutes: number;
  readonly nightOutsideMinutes: number;
}

/** The members for whom a slot is least bad: fewest night minutes outside work, then fewest outside. */
function chooseTakers(days: readonly MemberDay[], startMinute: number, minutes: number): SlotChoice {
  let best: { night: number; outside: number } | undefined;
  let takers: MemberDay[] = [];
  for (const day of days) {
    const night = sumOver(day.nightOutside, startMinute, minutes);
    const outside = sumOver(day.outside, startMinute, minutes);
    const better = !best || night < best.night || (night === best.night && outside < best.outside);
    if (better) {
      best = { night, outside };
      takers = [day];
    } else if (best && night === best.night && outside === best.outside) takers.push(day);
  }
  return {
    startMinute,
    minutes,
    takers,
    outsideMinutes: best?.outside ?? 0,
    nightOutsideMinutes: best?.night ?? 0,
  };
}

/** Layout score, lower is better: outside-work minutes, their night minutes, then fewer whole slots. */
function layoutScore(choices: readonly SlotChoice[]): number[] {
  const covered = choices.filter((c) => c.outsideMinutes === 0);
  return [
    choices.reduce((sum, c) => sum + c.outsideMinutes, 0),
    choices.reduce((sum, c) => sum + c.nightOutsideMinutes, 0),
    -covered.length,
    // Prefer layouts where no covered slot rests on a single person.
    -Math.min(...choices.map((c) => c.takers.length)),
  ];
}

const lexicallyLess = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
};

/** Zones whose offset from the schedule zone changes within a year of the reference date. */
function zonesThatDrift(scheduleZone: string, zones: readonly string[], referenceMs: number): string[] {
  const drifting: string[] = [];
  for (const zone of zones) {
    const first = utcOffsetMinutes(referenceMs, zone) - utcOffsetMinutes(referenceMs, scheduleZone);
    for (let day = 1; day <= 366; day++) {
      const atMs = referenceMs + day * DAY_MS;
      if (utcOffsetMinutes(atMs, zone) - utcOffsetMinutes(atMs, scheduleZone) !== first) {
        drifting.push(zone);
        break;
      }
    }
  }
  return drifting;
}

/**
 * Plans follow-the-sun coverage: the day is cut into slots of `shiftHours` on whole hours of the
 * schedule zone, the cut placed so that as much as possible falls inside someone's working hours.
 * Each slot becomes a layer: a weekly rotation among its takers, restricted to the slot every day.
 * Offsets are those of `referenceDate`; the notes name zones whose clocks change on other dates.
 */
export function planFollowTheSun(input: FollowTheSunInput): FollowTheSunPlan {
  const errors = checkFollowTheSun(input);
  if (errors.length > 0) throw validationError(errors);

  const referenceMs = (parseDate(input.referenceDate) ?? 0) + 12 * HOUR_MS;
  const scheduleOffset = utcOffsetMinutes(referenceMs, input.scheduleTimeZone);
  const members = [...input.members].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const days = members.map((m) => memberDay(m, utcOffsetMinutes(referenceMs, m.timeZone) - scheduleOffset));

  const slotCount = Math.ceil(24 / input.shiftHours);
  const shortPositions = 24 % input.shiftHours === 0 ? [0] : Array.from({ length: slotCount }, (_, i) => i);
  let best: { score: number[]; choices: SlotChoice[] } | undefined;
  for (let phaseHour = 0; phaseHour < 24; phaseHour++) {
    for (const shortAt of shortPositions) {
      let startMinute = phaseHour * 60;
      const choices = slotSizes(input.shiftHours, shortAt).map((hours) => {
        const choice = chooseTakers(days, startMinute, hours * 60);
        startMinute = mod(startMinute + hours * 60, DAY_MINUTES);
        return choice;
      });
      const score = layoutScore(choices);
      if (!best || lexicallyLess(score, best.score)) best = { score, choices };
    }
  }
  const choices = [...(best?.choices ?? [])].sort((a, b) => a.startMinute - b.startMinute);

  const slots: FollowTheSunSlot[] = [];
  const uncovered: UncoveredStretch[] = [];
  const nightMinutesPerWeek = new Map<string, number>(members.map((m) => [m.userId, 0]));
  choices.forEach((choice, index) => {
    const endMinute = choice.startMinute + choice.minutes;
    const times = {
      startTime: clock(choice.startMinute),
      endTime: clock(endMinute, true),
      startUtcTime: clock(choice.startMinute - scheduleOffset),
      endUtcTime: clock(endMinute - scheduleOffset),
    };
    const takerIds = choice.takers.map((t) => t.userId);
    slots.push({
      index,
      ...times,
      hours: choice.minutes / 60,
      candidateIds: choice.outsideMinutes === 0 ? takerIds : [],
      assignedIds: takerIds,
      hoursOutsideWorkingHours: roundHours(choice.outsideMinutes),
    });
    if (choice.outsideMinutes > 0) {
      uncovered.push({
        slotIndex: index,
        ...times,
        hours: roundHours(choice.outsideMinutes),
        takenByIds: takerIds,
        nightHours: roundHours(choice.nightOutsideMinutes),
      });
    }
    // Weekly turns: each taker holds the slot every day for one week in `takers.length`.
    for (const taker of choice.takers) {
      const nightMinutes = sumOver(taker.night, choice.startMinute, choice.minutes);
      nightMinutesPerWeek.set(
        taker.userId,
        (nightMinutesPerWeek.get(taker.userId) ?? 0) + (nightMinutes * 7) / choice.takers.length,
      );
    }
  });

  return {
    layers: slots.map((slot) => slotLayer(slot, input.startLocal)),
    slots,
    uncovered,
    uncoveredHoursPerDay: roundHours(choices.reduce((sum, c) => sum + c.outsideMinutes, 0)),
    nightHoursPerWeekByUser: Object.fromEntries(
      [...nightMinutesPerWeek].map(([userId, minutes]) => [userId, roundHours(minutes)]),
    ),
    notes: planNotes(input, members, referenceMs),
  };
}

/** One slot as a layer: a weekly rotation whose handoff is the slot's start, restricted to the slot. */
function slotLayer(slot: FollowTheSunSlot, startLocal: string): LayerDraft {
  // Local ms read as UTC: whole days add without meeting daylight saving.
  const startMs = parseLocalDateTime(startLocal) ?? 0;
  const startDayMs = Math.floor(startMs / DAY_MS) * DAY_MS;
  const slotStartMs = startDayMs + (parseClockTime(slot.startTime, false) ?? 0) * 60_000;
  const firstDayMs = slotStartMs < startMs ? startDayMs + DAY_MS : startDayMs;
  const restrictions: TimeWindow[] = Array.from({ length: 7 }, (_, weekday) => ({
    weekday,
    startTime: slot.startTime,
    endTime: slot.endTime,
  }));
  return {
    name: `Follow the sun ${slot.startTime}–${slot.endTime}`,
    priority: FOLLOW_THE_SUN_PRIORITY,
    rotation: {
      memberIds: slot.assignedIds,
      shiftLength: 1,
      shiftUnit: "weeks",
      startLocal: `${formatDate(firstDayMs)}T${slot.startTime}`,
      restrictions,
    },
  };
}

function planNotes(
  input: FollowTheSunInput,
  members: readonly FollowTheSunMember[],
  referenceMs: number,
): string[] {
  const notes: string[] = [];
  if (24 % input.shiftHours !== 0)
    notes.push(`24 hours do not divide into ${input.shiftHours}-hour slots: one slot is shorter.`);
  const zones = [...new Set(members.map((m) => m.timeZone))].sort();
  const drifting = zonesThatDrift(input.scheduleTimeZone, zones, referenceMs);
  if (drifting.length > 0) {
    notes.push(
      `Planned with the clocks of ${input.referenceDate}. The hours between ${input.scheduleTimeZone} and ` +
        `${drifting.join(", ")} change in the year (clocks change on other dates, or not at all), so for ` +
        `those weeks coverage moves by an hour.`,
    );
  }
  return notes;
}
