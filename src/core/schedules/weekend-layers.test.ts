import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import { checkRotation, finalShifts } from "./final-schedule.js";
import type { LayerDraft } from "./follow-the-sun.js";
import type { Schedule } from "./schedule.js";
import { checkWeekendLayer, weekendLayer, type WeekendLayerInput } from "./weekend-layers.js";
import { instantOfLocal, localDateTimeAt } from "./zoned-time.js";

const ZONE = "Europe/Berlin";
const at = (local: string): number => instantOfLocal(local, ZONE);

const wholeWeekend = (
  over: Partial<Extract<WeekendLayerInput, { style: "whole-weekend" }>>,
): WeekendLayerInput => ({
  style: "whole-weekend",
  memberIds: ["ann", "ben", "cat"],
  firstWeekend: "2025-03-10",
  priority: 10,
  ...over,
});

const scheduleOf = (drafts: readonly LayerDraft[]): Schedule => ({
  id: "s1",
  name: "Weekends",
  timeZone: ZONE,
  overrides: [],
  layers: drafts.map((draft, i) => ({
    id: `weekend-${i}`,
    name: draft.name,
    priority: draft.priority,
    source: "rotation",
    versions: [{ ...draft.rotation, effectiveFromMs: at("2025-03-01T00:00"), effectiveUntilMs: null }],
  })),
});

/** 8 weeks from Monday 10 March 2025, across Europe's spring-forward on Sunday 30 March. */
const eightWeeks = { startMs: at("2025-03-10T00:00"), endMs: at("2025-05-05T00:00") };
const SATURDAYS = [
  "2025-03-15",
  "2025-03-22",
  "2025-03-29",
  "2025-04-05",
  "2025-04-12",
  "2025-04-19",
  "2025-04-26",
  "2025-05-03",
];
const nextDay = (date: string, days = 1): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("weekend layers: drafts", () => {
  it("whole weekend by default: a weekly rotation from the first Saturday, Saturday 00:00 to Monday 00:00", () => {
    const plan = weekendLayer(wholeWeekend({}));
    assert.equal(plan.cycleWeeks, 3);
    assert.deepEqual(plan.layers, [
      {
        name: "Weekend",
        priority: 10,
        rotation: {
          memberIds: ["ann", "ben", "cat"],
          shiftLength: 1,
          shiftUnit: "weeks",
          startLocal: "2025-03-15T00:00",
          restrictions: [
            { weekday: 6, startTime: "00:00", endTime: "24:00" },
            { weekday: 0, startTime: "00:00", endTime: "24:00" },
          ],
        },
      },
    ]);
  });

  const windows: Array<
    [
      name: string,
      over: Partial<Extract<WeekendLayerInput, { style: "whole-weekend" }>>,
      startLocal: string,
      restrictions: unknown[],
    ]
  > = [
    [
      "Friday 18:00 to Monday 08:00",
      { startWeekday: 5, startTime: "18:00", endWeekday: 1, endTime: "08:00" },
      "2025-03-14T18:00",
      [
        { weekday: 5, startTime: "18:00", endTime: "24:00" },
        { weekday: 6, startTime: "00:00", endTime: "24:00" },
        { weekday: 0, startTime: "00:00", endTime: "24:00" },
        { weekday: 1, startTime: "00:00", endTime: "08:00" },
      ],
    ],
    [
      "Saturday 09:00 to Sunday 21:00, first weekend given as that Saturday",
      { startWeekday: 6, startTime: "09:00", endWeekday: 0, endTime: "21:00", firstWeekend: "2025-03-15" },
      "2025-03-15T09:00",
      [
        { weekday: 6, startTime: "09:00", endTime: "24:00" },
        { weekday: 0, startTime: "00:00", endTime: "21:00" },
      ],
    ],
    [
      "Friday and Saturday (a Friday–Saturday weekend), the end time defaulted",
      { startWeekday: 5, endWeekday: 0 },
      "2025-03-14T00:00",
      [
        { weekday: 5, startTime: "00:00", endTime: "24:00" },
        { weekday: 6, startTime: "00:00", endTime: "24:00" },
      ],
    ],
  ];
  for (const [name, over, startLocal, restrictions] of windows) {
    it(`whole weekend, ${name}`, () => {
      const [layer] = weekendLayer(wholeWeekend(over)).layers;
      assert.ok(layer);
      assert.deepEqual(checkRotation(layer.rotation, "/rotation"), []);
      assert.equal(layer?.rotation.startLocal, startLocal);
      assert.deepEqual(layer?.rotation.restrictions, restrictions);
    });
  }

  it("day each: a Saturday and a Sunday rotation, the Sunday order half a team behind", () => {
    const plan = weekendLayer({
      style: "day-each",
      memberIds: ["a", "b", "c", "d"],
      firstWeekend: "2025-03-10",
      priority: 5,
    });
    assert.equal(plan.cycleWeeks, 4);
    for (const layer of plan.layers) assert.deepEqual(checkRotation(layer.rotation, "/rotation"), []);
    assert.deepEqual(
      plan.layers.map((l) => [l.name, l.rotation.memberIds, l.rotation.startLocal, l.rotation.restrictions]),
      [
        [
          "Weekend (Saturday)",
          ["a", "b", "c", "d"],
          "2025-03-15T00:00",
          [{ weekday: 6, startTime: "00:00", endTime: "24:00" }],
        ],
        [
          "Weekend (Sunday)",
          ["c", "d", "a", "b"],
          "2025-03-16T00:00",
          [{ weekday: 0, startTime: "00:00", endTime: "24:00" }],
        ],
      ],
    );
  });
});

describe("weekend layers: input", () => {
  const cases: Array<[name: string, input: WeekendLayerInput, paths: string[]]> = [
    [
      "every 5th week with 3 members (refused rather than leaving weekends empty)",
      wholeWeekend({ everyNthWeek: 5 }),
      ["/everyNthWeek"],
    ],
    ["every 0th week", wholeWeekend({ everyNthWeek: 0 }), ["/everyNthWeek"]],
    ["no members", wholeWeekend({ memberIds: [] }), ["/memberIds"]],
    [
      "a member twice and an empty one",
      wholeWeekend({ memberIds: ["ann", "ann", " "] }),
      ["/memberIds/1", "/memberIds/2"],
    ],
    [
      "bad window fields",
      wholeWeekend({ startWeekday: 7, startTime: "18:60", endWeekday: -1, endTime: "8:00" }),
      ["/startWeekday", "/endWeekday", "/startTime", "/endTime"],
    ],
    [
      "an empty window",
      wholeWeekend({ startWeekday: 6, startTime: "09:00", endWeekday: 6, endTime: "09:00" }),
      ["/endTime"],
    ],
    [
      "a bad first weekend and priority",
      wholeWeekend({ firstWeekend: "2025-13-01", priority: 1.5 }),
      ["/firstWeekend", "/priority"],
    ],
    [
      "one person for day each",
      { style: "day-each", memberIds: ["a"], firstWeekend: "2025-03-10", priority: 1 },
      ["/memberIds"],
    ],
  ];
  for (const [name, input, paths] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(
        checkWeekendLayer(input).map((e) => e.path),
        paths,
      );
      assert.throws(
        () => weekendLayer(input),
        (err: unknown) => err instanceof AppError && err.code === "VALIDATION",
      );
    });
  }

  it("accepts every Nth week up to the number of members; turns then come every N members", () => {
    assert.deepEqual(checkWeekendLayer(wholeWeekend({ everyNthWeek: 3 })), []);
    assert.deepEqual(checkWeekendLayer(wholeWeekend({ everyNthWeek: 2 })), []);
    assert.equal(weekendLayer(wholeWeekend({ everyNthWeek: 2 })).cycleWeeks, 3);
  });
});

describe("weekend layers through the layer maths, 8 weeks across a clock change", () => {
  it("whole weekend: one person per weekend in turn, nobody on weekdays", () => {
    const shifts = finalShifts(scheduleOf(weekendLayer(wholeWeekend({})).layers), eightWeeks);
    assert.deepEqual(
      shifts.map((s) => [s.userId, s.startMs, s.endMs]),
      SATURDAYS.map((saturday, k) => [
        ["ann", "ben", "cat"][k % 3],
        at(`${saturday}T00:00`),
        at(`${nextDay(saturday, 2)}T00:00`),
      ]),
    );
    // The weekend of 29 March loses an hour to the clock change.
    assert.equal((shifts[2]?.endMs ?? 0) - (shifts[2]?.startMs ?? 0), 47 * 3_600_000);
  });

  it("whole weekend Friday 18:00 to Monday 08:00", () => {
    const drafts = weekendLayer(
      wholeWeekend({ startWeekday: 5, startTime: "18:00", endWeekday: 1, endTime: "08:00", everyNthWeek: 3 }),
    ).layers;
    const shifts = finalShifts(scheduleOf(drafts), eightWeeks);
    assert.deepEqual(
      shifts.map((s) => [s.userId, s.startMs, s.endMs]),
      SATURDAYS.map((saturday, k) => [
        ["ann", "ben", "cat"][k % 3],
        at(`${nextDay(saturday, -1)}T18:00`),
        // The last weekend runs past the range and is clipped to it.
        Math.min(at(`${nextDay(saturday, 2)}T08:00`), eightWeeks.endMs),
      ]),
    );
  });

  it("day each: two people a weekend, each person every other week, never two weekends running", () => {
    const drafts = weekendLayer({
      style: "day-each",
      memberIds: ["a", "b", "c", "d"],
      firstWeekend: "2025-03-10",
      priority: 5,
    }).layers;
    const shifts = finalShifts(scheduleOf(drafts), eightWeeks);
    const expected = SATURDAYS.flatMap((saturday, k) => [
      [["a", "b", "c", "d"][k % 4], at(`${saturday}T00:00`), at(`${nextDay(saturday)}T00:00`)],
      [["c", "d", "a", "b"][k % 4], at(`${nextDay(saturday)}T00:00`), at(`${nextDay(saturday, 2)}T00:00`)],
    ]);
    assert.deepEqual(
      shifts.map((s) => [s.userId, s.startMs, s.endMs]),
      expected,
    );
    for (const shift of shifts) {
      const weekday = localDateTimeAt(shift.startMs, ZONE).weekday;
      assert.ok(weekday === 6 || weekday === 0, "only Saturdays and Sundays");
    }
    // Each person's turns are two weeks apart.
    for (const person of ["a", "b", "c", "d"]) {
      const starts = shifts.filter((s) => s.userId === person).map((s) => s.startMs);
      for (let i = 1; i < starts.length; i++) {
        const gapDays = Math.round(((starts[i] ?? 0) - (starts[i - 1] ?? 0)) / 86_400_000);
        assert.ok(gapDays >= 13, `${person}: ${gapDays} days between turns`);
      }
    }
  });
});
