/**
 * A layer's restrictions as one weekly pattern in local time: the windows merged into sorted,
 * disjoint stretches of the week, so "is this local time inside?" and "where does the stretch around
 * it begin and end?" are a binary search.
 */
import { DAY_MS, MINUTE_MS, WEEK_MS, parseClockTime, weekStartOfLocalMs } from "./civil-time.js";
import type { TimeWindow } from "./schedule.js";

/** Stretches [startMs, endMs) from Sunday 00:00 within one week: sorted, neither overlapping nor touching. */
export interface WeeklyPattern {
  readonly stretches: readonly { readonly startMs: number; readonly endMs: number }[];
}

/** Where `localMs` sits in the pattern: inside a stretch or in the gap between two, as local ms. */
export interface PatternPlace {
  readonly inside: boolean;
  readonly startLocalMs: number;
  readonly endLocalMs: number;
}

/**
 * The weekly pattern of `windows`, or null when there are none or they cover the whole week (no
 * restriction in effect).
 * Windows that are not well formed (see checkRotation) are left out, so bad data restricts more, never less.
 */
export function compileRestrictions(windows: readonly TimeWindow[]): WeeklyPattern | null {
  if (windows.length === 0) return null;
  const pieces: Array<{ startMs: number; endMs: number }> = [];
  for (const window of windows) {
    const start = parseClockTime(window.startTime, false);
    const end = parseClockTime(window.endTime, true);
    if (start === null || end === null || !Number.isInteger(window.weekday)) continue;
    if (window.weekday < 0 || window.weekday > 6) continue;
    const startMs = window.weekday * DAY_MS + start * MINUTE_MS;
    // An end at or before the start is on the next day.
    const endMs = window.weekday * DAY_MS + (end <= start ? 1440 + end : end) * MINUTE_MS;
    if (endMs <= WEEK_MS) pieces.push({ startMs, endMs });
    else pieces.push({ startMs, endMs: WEEK_MS }, { startMs: 0, endMs: endMs - WEEK_MS });
  }
  pieces.sort((a, b) => a.startMs - b.startMs);
  const stretches: Array<{ startMs: number; endMs: number }> = [];
  for (const piece of pieces) {
    const last = stretches[stretches.length - 1];
    if (last !== undefined && piece.startMs <= last.endMs) last.endMs = Math.max(last.endMs, piece.endMs);
    else stretches.push({ ...piece });
  }
  const first = stretches[0];
  if (first !== undefined && first.startMs === 0 && first.endMs === WEEK_MS) return null;
  return { stretches };
}

/** The stretch or gap of `pattern` that holds `localMs`, joined across the end of the week. */
export function placeInPattern(pattern: WeeklyPattern, localMs: number): PatternPlace {
  const { stretches } = pattern;
  const first = stretches[0];
  const last = stretches[stretches.length - 1];
  if (first === undefined || last === undefined)
    return { inside: false, startLocalMs: -Infinity, endLocalMs: Infinity };
  const weekStart = weekStartOfLocalMs(localMs);
  const offset = localMs - weekStart;
  // The last stretch starting at or before `offset`.
  let low = 0;
  let high = stretches.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((stretches[middle]?.startMs ?? Infinity) <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  const before = stretches[found];
  if (before !== undefined && offset < before.endMs) {
    const wrapsIn = before.startMs === 0 && last.endMs === WEEK_MS;
    const wrapsOut = before.endMs === WEEK_MS && first.startMs === 0;
    return {
      inside: true,
      startLocalMs: wrapsIn ? weekStart - WEEK_MS + last.startMs : weekStart + before.startMs,
      endLocalMs: wrapsOut ? weekStart + WEEK_MS + first.endMs : weekStart + before.endMs,
    };
  }
  const after = stretches[found + 1];
  return {
    inside: false,
    startLocalMs: before !== undefined ? weekStart + before.endMs : weekStart - WEEK_MS + last.endMs,
    endLocalMs: after !== undefined ? weekStart + after.startMs : weekStart + WEEK_MS + first.startMs,
  };
}

/** The stretches of `pattern` in [fromLocalMs, toLocalMs), cut to it, in order, touching ones joined. */
export function stretchesBetween(
  pattern: WeeklyPattern,
  fromLocalMs: number,
  toLocalMs: number,
): Array<{ startLocalMs: number; endLocalMs: number }> {
  const found: Array<{ startLocalMs: number; endLocalMs: number }> = [];
  for (let weekStart = weekStartOfLocalMs(fromLocalMs); weekStart < toLocalMs; weekStart += WEEK_MS) {
    for (const stretch of pattern.stretches) {
      const startLocalMs = Math.max(fromLocalMs, weekStart + stretch.startMs);
      const endLocalMs = Math.min(toLocalMs, weekStart + stretch.endMs);
      if (startLocalMs >= endLocalMs) continue;
      const last = found[found.length - 1];
      if (last !== undefined && last.endLocalMs === startLocalMs) last.endLocalMs = endLocalMs;
      else found.push({ startLocalMs, endLocalMs });
    }
  }
  return found;
}
