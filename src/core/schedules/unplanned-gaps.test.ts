import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Layer, RotationVersion, Schedule } from "./schedule.js";
import { unplannedGaps } from "./unplanned-gaps.js";

const HOUR = 3_600_000;
/** Monday 2026-11-16 00:00 UTC. */
const MONDAY = Date.parse("2026-11-16T00:00:00.000Z");

const rotation = (changes: Partial<RotationVersion>): RotationVersion => ({
  effectiveFromMs: MONDAY,
  effectiveUntilMs: null,
  memberIds: ["ada", "bob"],
  shiftLength: 1,
  shiftUnit: "days",
  startLocal: "2026-11-16T09:00",
  restrictions: [],
  ...changes,
});
const layer = (id: string, versions: RotationVersion[]): Layer => ({
  id,
  name: id,
  priority: 1,
  source: "rotation",
  versions,
});
const schedule = (layers: Layer[]): Schedule => ({
  id: "s",
  name: "S",
  timeZone: "UTC",
  layers,
  overrides: [],
});
const businessHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: "09:00", endTime: "17:00" }));
const week = { startMs: MONDAY + 9 * HOUR, endMs: MONDAY + 7 * 24 * HOUR };

describe("unplannedGaps", () => {
  const cases: Array<{ name: string; layers: Layer[]; expected: Array<[number, number]> }> = [
    { name: "a 24×7 rotation has none", layers: [layer("a", [rotation({})])], expected: [] },
    {
      name: "nights and weekends outside business hours are planned",
      layers: [layer("a", [rotation({ restrictions: businessHours })])],
      expected: [],
    },
    {
      name: "a rotation that ends on Wednesday 09:00 leaves the rest of the week uncovered",
      layers: [layer("a", [rotation({ effectiveUntilMs: MONDAY + 57 * HOUR })])],
      expected: [[MONDAY + 57 * HOUR, MONDAY + 7 * 24 * HOUR]],
    },
    {
      name: "a business-hours rotation that ends: only the time after its end counts",
      layers: [layer("a", [rotation({ restrictions: businessHours, effectiveUntilMs: MONDAY + 57 * HOUR })])],
      expected: [[MONDAY + 57 * HOUR, MONDAY + 7 * 24 * HOUR]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        unplannedGaps(schedule(c.layers), week).map((g) => [g.startMs, g.endMs]),
        c.expected,
      );
    });
  }
});
