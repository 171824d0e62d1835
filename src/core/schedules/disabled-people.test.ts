import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  OPEN_ENDED_HORIZON_MS,
  finalShifts,
  gapAt,
  gapsWithReasons,
  onCallAt,
  scheduleGaps,
} from "./final-schedule.js";
import type { DisabledPerson, Layer, Override, RotationVersion, Schedule, TimeWindow } from "./schedule.js";
import { unplannedGaps } from "./unplanned-gaps.js";
import { formatLocalAt, instantOfLocal } from "./zoned-time.js";

/** A disabled person's shifts in the final schedule: gaps with the person and the reason, layers kept. */

const NY = "America/New_York";
/** The fixed reference time: the rotations below are in force from here. */
const REFERENCE_MS = Date.UTC(2025, 0, 1);
const ny = (local: string) => instantOfLocal(local, NY);

const version = (over: Partial<RotationVersion> = {}): RotationVersion => ({
  effectiveFromMs: REFERENCE_MS,
  effectiveUntilMs: null,
  memberIds: ["ann", "bob"],
  shiftLength: 1,
  shiftUnit: "days",
  startLocal: "2025-03-03T09:00",
  restrictions: [],
  ...over,
});

const rotation = (id: string, priority: number, over: Partial<RotationVersion> = {}): Layer => ({
  id,
  name: id,
  priority,
  source: "rotation",
  versions: [version(over)],
});

const override = (id: string, userId: string, from: string, to: string): Override => ({
  id,
  userId,
  startMs: ny(from),
  endMs: ny(to),
  replacesUserId: null,
  createdAtMs: REFERENCE_MS,
});

const schedule = (layers: Layer[], overrides: Override[], disabled: DisabledPerson[]): Schedule => ({
  id: "s",
  name: "Primary",
  timeZone: NY,
  layers,
  overrides,
  disabled,
});

const weekdays = (startTime: string, endTime: string): TimeWindow[] =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime, endTime }));

const at = (ms: number) => formatLocalAt(ms, NY);

/** Bob disabled from an instant (local in New York). */
const bobFrom = (local: string): DisabledPerson[] => [{ userId: "bob", fromMs: ny(local) }];

describe("a disabled person's shifts are gaps in the final schedule", () => {
  // Ann and Bob take turns daily at 09:00 from Monday 3 March 2025 (Ann first). Expectations are
  // [who, local start, local end]; gaps are [reason, whose, local start, local end].
  const cases: Array<{
    name: string;
    layers: Layer[];
    overrides?: Override[];
    disabled: DisabledPerson[];
    range: [string, string];
    final: Array<[string, string, string]>;
    gaps: Array<[string, string | null, string, string]>;
  }> = [
    {
      name: "nobody disabled: the rotation as it is",
      layers: [rotation("daily", 1)],
      disabled: [],
      range: ["2025-03-03T09:00", "2025-03-05T09:00"],
      final: [
        ["ann", "2025-03-03T09:00", "2025-03-04T09:00"],
        ["bob", "2025-03-04T09:00", "2025-03-05T09:00"],
      ],
      gaps: [],
    },
    {
      name: "Bob disabled before the range: his turns are gaps, Ann's stay",
      layers: [rotation("daily", 1)],
      disabled: bobFrom("2025-03-01T00:00"),
      range: ["2025-03-03T09:00", "2025-03-06T09:00"],
      final: [
        ["ann", "2025-03-03T09:00", "2025-03-04T09:00"],
        ["ann", "2025-03-05T09:00", "2025-03-06T09:00"],
      ],
      gaps: [["disabled", "bob", "2025-03-04T09:00", "2025-03-05T09:00"]],
    },
    {
      name: "disabled in the middle of his turn: covered until then, a gap from then",
      layers: [rotation("daily", 1)],
      disabled: bobFrom("2025-03-04T13:30"),
      range: ["2025-03-04T09:00", "2025-03-05T09:00"],
      final: [["bob", "2025-03-04T09:00", "2025-03-04T13:30"]],
      gaps: [["disabled", "bob", "2025-03-04T13:30", "2025-03-05T09:00"]],
    },
    {
      name: "across the spring-forward change his 23-hour turn is one gap",
      layers: [rotation("daily", 1)],
      disabled: bobFrom("2025-03-01T00:00"),
      range: ["2025-03-08T09:00", "2025-03-10T09:00"],
      // Saturday 09:00 EST to Sunday 09:00 EDT: 23 hours.
      final: [["ann", "2025-03-09T09:00", "2025-03-10T09:00"]],
      gaps: [["disabled", "bob", "2025-03-08T09:00", "2025-03-09T09:00"]],
    },
    {
      name: "a stronger layer's disabled member is not replaced by the weaker layer",
      layers: [
        rotation("base", 1, { memberIds: ["cat"] }),
        rotation("day", 2, { restrictions: weekdays("09:00", "17:00") }),
      ],
      disabled: bobFrom("2025-03-01T00:00"),
      range: ["2025-03-04T00:00", "2025-03-05T00:00"],
      final: [
        ["cat", "2025-03-04T00:00", "2025-03-04T09:00"],
        ["cat", "2025-03-04T17:00", "2025-03-05T00:00"],
      ],
      gaps: [["disabled", "bob", "2025-03-04T09:00", "2025-03-04T17:00"]],
    },
    {
      name: "an override for a disabled person is a gap; one over his turn fills it",
      layers: [rotation("daily", 1)],
      overrides: [
        override("o-bob", "bob", "2025-03-03T12:00", "2025-03-03T14:00"),
        override("o-cat", "cat", "2025-03-04T09:00", "2025-03-04T21:00"),
      ],
      disabled: bobFrom("2025-03-01T00:00"),
      range: ["2025-03-03T09:00", "2025-03-05T09:00"],
      final: [
        ["ann", "2025-03-03T09:00", "2025-03-03T12:00"],
        ["ann", "2025-03-03T14:00", "2025-03-04T09:00"],
        ["cat", "2025-03-04T09:00", "2025-03-04T21:00"],
      ],
      gaps: [
        ["disabled", "bob", "2025-03-03T12:00", "2025-03-03T14:00"],
        ["disabled", "bob", "2025-03-04T21:00", "2025-03-05T09:00"],
      ],
    },
    {
      name: "an unscheduled stretch next to a disabled turn is a gap of its own",
      layers: [rotation("daily", 1, { startLocal: "2025-03-04T09:00", memberIds: ["bob", "ann"] })],
      disabled: bobFrom("2025-03-01T00:00"),
      range: ["2025-03-04T00:00", "2025-03-05T12:00"],
      final: [["ann", "2025-03-05T09:00", "2025-03-05T12:00"]],
      gaps: [
        ["unscheduled", null, "2025-03-04T00:00", "2025-03-04T09:00"],
        ["disabled", "bob", "2025-03-04T09:00", "2025-03-05T09:00"],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = schedule(c.layers, c.overrides ?? [], c.disabled);
      const range = { startMs: ny(c.range[0]), endMs: ny(c.range[1]) };
      const final = finalShifts(s, range).map((x) => [x.userId, at(x.startMs), at(x.endMs)]);
      assert.deepEqual(final, c.final);
      const gaps = gapsWithReasons(s, range).map((g) => [g.reason, g.userId, at(g.startMs), at(g.endMs)]);
      assert.deepEqual(gaps, c.gaps);
      // scheduleGaps keeps its shape: the same stretches, touching ones joined whatever their reason.
      const joined = scheduleGaps(s, range);
      assert.equal(
        joined.reduce((sum, g) => sum + g.endMs - g.startMs, 0),
        c.gaps.reduce((sum, g) => sum + ny(g[3]) - ny(g[2]), 0),
      );
      for (const [reason, userId, from, to] of c.gaps) {
        const middle = (ny(from) + ny(to)) / 2;
        assert.equal(onCallAt(s, middle), null, `nobody on call at ${at(middle)}`);
        const gap = gapAt(s, middle);
        assert.deepEqual(gap && [gap.reason, gap.userId], [reason, userId]);
      }
    });
  }

  it("the spring-forward gap is 23 hours long, and gapAt reports all of it", () => {
    const s = schedule([rotation("daily", 1)], [], bobFrom("2025-03-01T00:00"));
    const gap = gapAt(s, ny("2025-03-09T05:00"))!;
    assert.deepEqual([at(gap.startMs), at(gap.endMs)], ["2025-03-08T09:00", "2025-03-09T09:00"]);
    assert.equal(gap.endMs - gap.startMs, 23 * 3_600_000);
  });

  it("gapAt joins the pieces of one gap and is null while someone is on call", () => {
    // Bob's turn split by a disabled-Bob override in its middle: one gap, from 09:00 to 09:00.
    const s = schedule(
      [rotation("daily", 1)],
      [override("o", "bob", "2025-03-04T12:00", "2025-03-04T13:00")],
      bobFrom("2025-03-01T00:00"),
    );
    const gap = gapAt(s, ny("2025-03-04T10:00"))!;
    assert.deepEqual([at(gap.startMs), at(gap.endMs)], ["2025-03-04T09:00", "2025-03-05T09:00"]);
    assert.equal(gapAt(s, ny("2025-03-03T10:00")), null);
    // No layers at all: nobody is scheduled, and the open ends are cut at the horizon.
    const empty = gapAt(schedule([], [], []), REFERENCE_MS)!;
    assert.deepEqual(
      [empty.reason, empty.startMs, empty.endMs],
      ["unscheduled", REFERENCE_MS - OPEN_ENDED_HORIZON_MS, REFERENCE_MS + OPEN_ENDED_HORIZON_MS],
    );
  });

  it("re-enabled (no longer listed), his shifts are back", () => {
    const range = { startMs: ny("2025-03-03T09:00"), endMs: ny("2025-03-05T09:00") };
    const disabled = schedule([rotation("daily", 1)], [], bobFrom("2025-03-01T00:00"));
    const enabled = schedule([rotation("daily", 1)], [], []);
    assert.equal(finalShifts(disabled, range).length, 1);
    assert.deepEqual(
      finalShifts(enabled, range).map((x) => x.userId),
      ["ann", "bob"],
    );
    assert.deepEqual(gapsWithReasons(enabled, range), []);
  });
});

describe("unplannedGaps counts a disabled person's shifts, not the nights their restrictions leave", () => {
  const cases: Array<{
    name: string;
    layers: Layer[];
    disabled: DisabledPerson[];
    expected: Array<[string, string]>;
  }> = [
    {
      name: "business hours, nobody disabled: nights are planned",
      layers: [rotation("day", 1, { restrictions: weekdays("09:00", "17:00") })],
      disabled: [],
      expected: [],
    },
    {
      name: "business hours, Bob disabled: only his working hours are unplanned",
      layers: [rotation("day", 1, { restrictions: weekdays("09:00", "17:00") })],
      disabled: bobFrom("2025-03-01T00:00"),
      expected: [
        ["2025-03-04T09:00", "2025-03-04T17:00"],
        ["2025-03-06T09:00", "2025-03-06T17:00"],
      ],
    },
    {
      name: "24×7, Bob disabled on Thursday at noon: the rest of that turn",
      layers: [rotation("daily", 1)],
      disabled: bobFrom("2025-03-06T12:00"),
      expected: [["2025-03-06T12:00", "2025-03-07T09:00"]],
    },
    {
      name: "an ended rotation's gap and a disabled turn that touch are one gap",
      layers: [rotation("daily", 1, { effectiveUntilMs: ny("2025-03-07T09:00") })],
      disabled: bobFrom("2025-03-06T12:00"),
      expected: [["2025-03-06T12:00", "2025-03-07T12:00"]],
    },
  ];
  const range = { startMs: ny("2025-03-03T09:00"), endMs: ny("2025-03-07T12:00") };
  for (const c of cases) {
    it(c.name, () => {
      const gaps = unplannedGaps(schedule(c.layers, [], c.disabled), range);
      assert.deepEqual(
        gaps.map((g) => [at(g.startMs), at(g.endMs)]),
        c.expected,
      );
    });
  }
});
