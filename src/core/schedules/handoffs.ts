import { DAY_MS, MINUTE_MS, weekdayOfLocalMs } from "./civil-time.js";
import { finalShifts } from "./final-schedule.js";
import type { Schedule, Shift } from "./schedule.js";
import { zoneRules } from "./zoned-time.js";

/**
 * Handoffs: the instants where the person on call in a final schedule changes (overrides included),
 * what shift-start and handoff notices are sent at. Pure: callers pass the instants.
 */

export interface Handoff {
  readonly atMs: number;
  /** On call just before `atMs`; null: nobody (a gap ends). */
  readonly fromUserId: string | null;
  /** On call from `atMs`; null: nobody (a gap begins). */
  readonly toUserId: string | null;
}

export interface HandoffDetail extends Handoff {
  /** End of the incoming person's unbroken time on call, cut at the horizon; null when nobody comes on. */
  readonly toUntilMs: number | null;
  /** Whether `toUntilMs` was cut at the horizon (the real end is later). */
  readonly toUntilIsHorizon: boolean;
  /** When nobody comes on: the next instant someone is on call within the horizon, else null. */
  readonly nextOnCallMs: number | null;
}

/** How far ahead a handoff looks for the end of the incoming person's time on call. */
export const HANDOFF_HORIZON_MS = 35 * DAY_MS;

/** Every handoff in (afterMs, untilMs], in time order. A person who stays on (another source) is none. */
export function handoffsBetween(schedule: Schedule, afterMs: number, untilMs: number): Handoff[] {
  if (!(untilMs > afterMs)) return [];
  // One ms past `untilMs`, so a shift that begins exactly at `untilMs` is seen.
  const shifts = finalShifts(schedule, { startMs: afterMs, endMs: untilMs + 1 });
  const handoffs: Handoff[] = [];
  let previous: Shift | undefined;
  for (const shift of shifts) {
    const touching = previous !== undefined && previous.endMs === shift.startMs;
    if (previous !== undefined && !touching)
      handoffs.push({ atMs: previous.endMs, fromUserId: previous.userId, toUserId: null });
    const before = touching ? (previous as Shift).userId : null;
    if (shift.startMs > afterMs && before !== shift.userId)
      handoffs.push({ atMs: shift.startMs, fromUserId: before, toUserId: shift.userId });
    previous = shift;
  }
  if (previous !== undefined && previous.endMs <= untilMs)
    handoffs.push({ atMs: previous.endMs, fromUserId: previous.userId, toUserId: null });
  return handoffs;
}

/** The first handoff in (afterMs, untilMs], or null. */
export function nextHandoff(schedule: Schedule, afterMs: number, untilMs: number): Handoff | null {
  return handoffsBetween(schedule, afterMs, untilMs)[0] ?? null;
}

/**
 * The handoff exactly at `atMs` with what its notices say, or null when the person on call does not
 * change there (an edit moved or removed it). `schedule` needs overrides over [atMs, atMs + horizon).
 */
export function handoffAt(
  schedule: Schedule,
  atMs: number,
  horizonMs: number = HANDOFF_HORIZON_MS,
): HandoffDetail | null {
  const endMs = atMs + horizonMs;
  const shifts = finalShifts(schedule, { startMs: atMs - 1, endMs });
  // On call at atMs - 1: the last millisecond before the handoff.
  const fromUserId = shifts.find((s) => s.startMs < atMs && s.endMs >= atMs)?.userId ?? null;
  const index = shifts.findIndex((s) => s.startMs <= atMs && atMs < s.endMs);
  const after = index >= 0 ? (shifts[index] as Shift) : undefined;
  const toUserId = after?.userId ?? null;
  if (fromUserId === toUserId) return null;
  let toUntilMs: number | null = null;
  if (after !== undefined) {
    toUntilMs = after.endMs;
    for (const next of shifts.slice(index + 1)) {
      if (next.startMs !== toUntilMs || next.userId !== toUserId) break;
      toUntilMs = next.endMs;
    }
  }
  const nextOnCallMs = toUserId === null ? (shifts.find((s) => s.startMs > atMs)?.startMs ?? null) : null;
  return {
    atMs,
    fromUserId,
    toUserId,
    toUntilMs,
    toUntilIsHorizon: toUntilMs !== null && toUntilMs >= endMs,
    nextOnCallMs,
  };
}

/**
 * The first instant strictly after `afterMs` at which the wall clock in `timeZone` shows `weekday`
 * (0 = Sunday … 6 = Saturday) at `minuteOfDay`. A time skipped by a spring-forward change gives the
 * instant the clocks jumped to.
 */
export function nextWeeklyInstant(
  afterMs: number,
  timeZone: string,
  weekday: number,
  minuteOfDay: number,
): number {
  const rules = zoneRules(timeZone);
  const localMs = rules.localMsAt(afterMs);
  const midnight = Math.floor(localMs / DAY_MS) * DAY_MS;
  const daysAhead = (((weekday - weekdayOfLocalMs(localMs)) % 7) + 7) % 7;
  let candidate = midnight + daysAhead * DAY_MS + minuteOfDay * MINUTE_MS;
  if (rules.instantOf(candidate) <= afterMs) candidate += 7 * DAY_MS;
  return rules.instantOf(candidate);
}
