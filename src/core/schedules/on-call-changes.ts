import type { Shift, TimeRange } from "./schedule.js";

/**
 * Whose time on call an edit changed: the final schedule before and after it, compared per person.
 * Pure; the callers load both over the same range (the edited override's window).
 */

export interface OnCallChange {
  readonly userId: string;
  /** On call after the edit and not before, in time order. */
  readonly gained: readonly TimeRange[];
  /** On call before the edit and not after, in time order. */
  readonly lost: readonly TimeRange[];
}

/** One person's time, sorted and merged (touching pieces from different sources become one). */
function timeOf(shifts: readonly Shift[], userId: string): TimeRange[] {
  const merged: TimeRange[] = [];
  const own = shifts.filter((s) => s.userId === userId && s.endMs > s.startMs);
  for (const s of own.sort((a, b) => a.startMs - b.startMs)) {
    const last = merged[merged.length - 1];
    if (last && s.startMs <= last.endMs)
      merged[merged.length - 1] = { ...last, endMs: Math.max(last.endMs, s.endMs) };
    else merged.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return merged;
}

/** `from` without `minus`; both sorted and merged. */
export function subtractRanges(from: readonly TimeRange[], minus: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const range of from) {
    let startMs = range.startMs;
    for (const cut of minus) {
      if (cut.endMs <= startMs || cut.startMs >= range.endMs) continue;
      if (cut.startMs > startMs) out.push({ startMs, endMs: cut.startMs });
      startMs = Math.max(startMs, cut.endMs);
      if (startMs >= range.endMs) break;
    }
    if (startMs < range.endMs) out.push({ startMs, endMs: range.endMs });
  }
  return out;
}

/** Everyone whose time on call differs between the two final schedules, by their first change. */
export function onCallChanges(before: readonly Shift[], after: readonly Shift[]): OnCallChange[] {
  const people = new Set([...before, ...after].map((s) => s.userId));
  const changes: OnCallChange[] = [];
  for (const userId of people) {
    const was = timeOf(before, userId);
    const is = timeOf(after, userId);
    const gained = subtractRanges(is, was);
    const lost = subtractRanges(was, is);
    if (gained.length > 0 || lost.length > 0) changes.push({ userId, gained, lost });
  }
  const firstOf = (c: OnCallChange) =>
    Math.min(c.gained[0]?.startMs ?? Infinity, c.lost[0]?.startMs ?? Infinity);
  return changes.sort((a, b) => firstOf(a) - firstOf(b) || a.userId.localeCompare(b.userId));
}
