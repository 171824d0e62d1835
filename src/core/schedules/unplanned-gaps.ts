import { gapsWithReasons, scheduleGaps } from "./final-schedule.js";
import type { Layer, Schedule, TimeRange } from "./schedule.js";

/**
 * Gaps nobody planned: stretches with nobody on call that would stay uncovered even if every
 * rotation's time-of-day restrictions were lifted. A business-hours schedule is empty at night by
 * design; a gap left by an ended layer, a rotation not started yet or a hole in an imported calendar
 * is not. Only the unplanned ones are worth an alert. A disabled person's shift is always unplanned.
 */
export function unplannedGaps(schedule: Schedule, range: TimeRange): TimeRange[] {
  const gaps = gapsWithReasons(schedule, range);
  if (gaps.length === 0) return [];
  // Compared as if nobody were disabled: their shifts with restrictions lifted would hide the planned
  // nights of their rotation, and their own shifts are counted below anyway.
  const unrestricted: Schedule = {
    ...schedule,
    layers: schedule.layers.map(withoutRestrictions),
    disabled: [],
  };
  const unscheduled = gaps.filter((g) => g.reason === "unscheduled");
  const disabled = gaps.filter((g) => g.reason === "disabled");
  return joinTouching([...intersect(unscheduled, scheduleGaps(unrestricted, range)), ...disabled]);
}

const withoutRestrictions = (layer: Layer): Layer =>
  layer.source === "rotation"
    ? { ...layer, versions: layer.versions.map((version) => ({ ...version, restrictions: [] })) }
    : layer;

/** The overlap of two sorted lists of disjoint ranges. */
function intersect(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const startMs = Math.max(a[i]!.startMs, b[j]!.startMs);
    const endMs = Math.min(a[i]!.endMs, b[j]!.endMs);
    if (startMs < endMs) out.push({ startMs, endMs });
    if (a[i]!.endMs < b[j]!.endMs) i++;
    else j++;
  }
  return out;
}

/** Sorted, with touching or overlapping ranges joined into one. */
function joinTouching(ranges: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.startMs - b.startMs)) {
    const last = out[out.length - 1];
    if (last !== undefined && range.startMs <= last.endMs)
      out[out.length - 1] = { startMs: last.startMs, endMs: Math.max(last.endMs, range.endMs) };
    else out.push({ startMs: range.startMs, endMs: range.endMs });
  }
  return out;
}
