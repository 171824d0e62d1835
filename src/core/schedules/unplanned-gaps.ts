import { scheduleGaps } from "./final-schedule.js";
import type { Layer, Schedule, TimeRange } from "./schedule.js";

/**
 * Gaps nobody planned: stretches with nobody on call that would stay uncovered even if every
 * rotation's time-of-day restrictions were lifted. A business-hours schedule is empty at night by
 * design; a gap left by an ended layer, a rotation not started yet or a hole in an imported calendar
 * is not. Only the unplanned ones are worth an alert.
 */
export function unplannedGaps(schedule: Schedule, range: TimeRange): TimeRange[] {
  const gaps = scheduleGaps(schedule, range);
  if (gaps.length === 0) return gaps;
  const unrestricted: Schedule = { ...schedule, layers: schedule.layers.map(withoutRestrictions) };
  return intersect(gaps, scheduleGaps(unrestricted, range));
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
