import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overlapText, overlapWarnings } from "./override-overlaps.js";

/** Monday 7 Dec 2026, 12:00 in Berlin. */
const NOW = Date.parse("2026-12-07T11:00:00.000Z");
const ZONE = "Europe/Berlin";
/** Thursday 10 Dec 2026 at `hour`:00 in Berlin (UTC+1). */
const thu = (hour: number) => Date.parse("2026-12-10T00:00:00.000Z") + (hour - 1) * 3_600_000;

describe("overlapping overrides of one person", () => {
  it("names only the overlapping part, on the schedule's clock, for each override it overlaps", () => {
    const warnings = overlapWarnings(
      "Ada",
      { startMs: thu(9), endMs: thu(12) },
      [
        { startMs: thu(11), endMs: thu(14), source: "cover" },
        { startMs: thu(6), endMs: thu(10), source: "manual" },
      ],
      ZONE,
      NOW,
    );
    assert.deepEqual(warnings, [
      "Ada already covers 09:00–10:00 on Thu 10 Dec (Europe/Berlin) in this schedule by another override",
      "Ada already covers 11:00–12:00 on Thu 10 Dec (Europe/Berlin) in this schedule by a cover",
    ]);
  });

  it("says nothing of overrides that only touch the new one", () => {
    const touching = [
      { startMs: thu(6), endMs: thu(9), source: "manual" as const },
      { startMs: thu(12), endMs: thu(13), source: "take-over" as const },
    ];
    assert.deepEqual(overlapWarnings("Ada", { startMs: thu(9), endMs: thu(12) }, touching, ZONE, NOW), []);
  });

  it("gives both days of an overlap across midnight, and a year that is not this one", () => {
    assert.equal(
      overlapText({ startMs: thu(23), endMs: thu(26) }, ZONE, NOW),
      "Thu 10 Dec 23:00 – Fri 11 Dec 02:00 (Europe/Berlin)",
    );
    const nextYear = thu(9) + 364 * 86_400_000;
    assert.equal(
      overlapText({ startMs: nextYear, endMs: nextYear + 3_600_000 }, ZONE, NOW),
      "09:00–10:00 on Thu 9 Dec 2027 (Europe/Berlin)",
    );
  });
});
