import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import { checkFairnessInput, fairnessReport, type FairnessInput, type FairnessReport } from "./fairness.js";
import type { Layer, Override, Schedule, ShiftUnit } from "./schedule.js";
import { instantOfLocal } from "./zoned-time.js";

const ZONE = "Europe/Berlin";
const at = (local: string): number => instantOfLocal(local, ZONE);

const rotation = (memberIds: string[], shiftUnit: ShiftUnit, startLocal: string): Layer => ({
  id: "weekday",
  name: "Primary",
  priority: 1,
  source: "rotation",
  versions: [
    {
      effectiveFromMs: at("2024-12-01T00:00"),
      effectiveUntilMs: null,
      memberIds,
      shiftLength: 1,
      shiftUnit,
      startLocal,
      restrictions: [],
    },
  ],
});

const scheduleOf = (layer: Layer, overrides: Override[] = []): Schedule => ({
  id: "s1",
  name: "Primary",
  timeZone: ZONE,
  layers: [layer],
  overrides,
});

type Row = [
  userId: string,
  shiftCount: number,
  weekendShiftCount: number,
  hoursOnCall: number,
  nightHours: number,
  weekendHours: number,
  holidayHours: number,
];
const rowsOf = (report: FairnessReport): Row[] =>
  report.people.map((p) => [
    p.userId,
    p.shiftCount,
    p.weekendShiftCount,
    p.hoursOnCall,
    p.nightHours,
    p.weekendHours,
    p.holidayHours,
  ]);

/** A daily rotation of a (New York) and b (Berlin), handing off at 09:00 Berlin, one week of January. */
const januaryWeek: FairnessInput = {
  schedule: scheduleOf(rotation(["a", "b"], "days", "2025-01-06T09:00")),
  range: { startMs: at("2025-01-06T09:00"), endMs: at("2025-01-13T09:00") },
  people: [
    { userId: "a", timeZone: "America/New_York" },
    { userId: "b", timeZone: "Europe/Berlin" },
  ],
  holidays: [],
};

const oneMember = (startLocal: string, endLocal: string, timeZone: string): FairnessInput => ({
  schedule: scheduleOf(rotation(["a"], "days", startLocal)),
  range: { startMs: at(startLocal), endMs: at(endLocal) },
  people: [{ userId: "a", timeZone }],
  holidays: [],
});

const cases: Array<[name: string, input: FairnessInput, rows: Row[]]> = [
  [
    // a's shifts run 03:00–03:00 on a New York clock: Friday's reaches 3 h into Saturday, Sunday's 21 h.
    "daily rotation, night and weekend on each person's own clock",
    januaryWeek,
    [
      ["a", 4, 2, 96, 36, 24, 0],
      ["b", 3, 1, 72, 27, 24, 0],
    ],
  ],
  [
    "a listed person never on call gets a row of zeros",
    { ...januaryWeek, people: [...januaryWeek.people, { userId: "c", timeZone: "Asia/Singapore" }] },
    [
      ["a", 4, 2, 96, 36, 24, 0],
      ["b", 3, 1, 72, 27, 24, 0],
      ["c", 0, 0, 0, 0, 0, 0],
    ],
  ],
  [
    // Saturday 09:00 → Monday 09:00 with the clocks going forward on Sunday: 47 h, one night of 8 h.
    "Berlin spring forward (30 March 2025)",
    oneMember("2025-03-29T09:00", "2025-03-31T09:00", ZONE),
    [["a", 1, 1, 47, 8 + 9, 15 + 23, 0]],
  ],
  [
    "Berlin fall back (26 October 2025)",
    oneMember("2025-10-25T09:00", "2025-10-27T09:00", ZONE),
    [["a", 1, 1, 49, 10 + 9, 15 + 25, 0]],
  ],
  [
    // Berlin keeps its clock; New York springs forward on 9 March: Saturday 03:00 EST → Monday 04:00 EDT.
    "a New York person on a Berlin schedule across New York's spring forward",
    oneMember("2025-03-08T09:00", "2025-03-10T09:00", "America/New_York"),
    [["a", 1, 1, 48, 4 + 8 + 6, 21 + 23, 0]],
  ],
  [
    "Australia/Sydney person across Sydney's fall back (6 April 2025)",
    // Berlin Friday 4 April 17:00 = Sydney Saturday 02:00 (UTC+11); Sunday 03:00 becomes 02:00 again.
    oneMember("2025-04-04T17:00", "2025-04-06T17:00", "Australia/Sydney"),
    // Sydney: Saturday 02:00 → Monday 01:00 (UTC+10) = 48 h; nights 5 + (9 + 1) + 3; weekend all but Monday's hour.
    [["a", 1, 1, 48, 5 + 10 + 3, 47, 0]],
  ],
];

describe("fairness report", () => {
  for (const [name, input, rows] of cases) {
    it(name, () => {
      assert.deepEqual(rowsOf(fairnessReport(input)), rows);
    });
  }

  it("totals and spread: 96 h against 72 h is fair, an idle member is not", () => {
    const two = fairnessReport(januaryWeek);
    assert.deepEqual(two.totals, {
      shiftCount: 7,
      weekendShiftCount: 3,
      hoursOnCall: 168,
      nightHours: 63,
      weekendHours: 48,
      holidayHours: 0,
    });
    assert.equal(two.spread.hoursOnCall.range, 24);
    assert.equal(two.spread.hoursOnCall.min, 72);
    assert.ok(Math.abs(two.spread.hoursOnCall.coefficientOfVariation - 1 / 7) < 1e-12);
    assert.equal(two.spread.weekendHours.coefficientOfVariation, 0);
    assert.equal(two.fair, true);

    const three = fairnessReport({
      ...januaryWeek,
      people: [...januaryWeek.people, { userId: "c", timeZone: "Europe/Berlin" }],
    });
    assert.equal(three.spread.hoursOnCall.range, 96);
    assert.ok(three.spread.hoursOnCall.coefficientOfVariation > 0.7);
    assert.equal(three.fair, false);
  });

  it("holiday hours: each local holiday day once, even where holidays in two zones overlap", () => {
    const report = fairnessReport({
      schedule: scheduleOf(rotation(["a", "b"], "days", "2025-12-22T00:00")),
      range: { startMs: at("2025-12-22T00:00"), endMs: at("2025-12-29T00:00") },
      people: [
        { userId: "a", timeZone: ZONE },
        { userId: "b", timeZone: ZONE },
      ],
      holidays: [
        { date: "2025-12-25", name: "Christmas Day" },
        { date: "2025-12-26", name: "St Stephen's Day" },
        // Berlin 25 December 06:00 → 26 December 06:00: inside the two Berlin holidays.
        { date: "2025-12-25", timeZone: "America/New_York", name: "Christmas Day (US)" },
        { date: "2025-12-31", name: "New Year's Eve" },
      ],
    });
    assert.deepEqual(rowsOf(report), [
      ["a", 4, 1, 96, 36, 24, 24],
      ["b", 3, 1, 72, 27, 24, 24],
    ]);
    assert.deepEqual(
      report.people.map((p) => p.holidayNames),
      [
        ["Christmas Day (US)", "St Stephen's Day"],
        ["Christmas Day", "Christmas Day (US)"],
      ],
    );
    assert.equal(report.totals.holidayHours, 48);
  });

  it("overrides count for whoever covers; someone not in `people` is counted on the schedule's clock", () => {
    const override: Override = {
      id: "o1",
      userId: "x",
      startMs: at("2025-01-08T12:00"),
      endMs: at("2025-01-08T18:00"),
      replacesUserId: "a",
      createdAtMs: at("2025-01-01T00:00"),
    };
    const report = fairnessReport({
      schedule: scheduleOf(rotation(["a"], "weeks", "2025-01-06T00:00"), [override]),
      range: { startMs: at("2025-01-06T00:00"), endMs: at("2025-01-13T00:00") },
      people: [{ userId: "a", timeZone: ZONE }],
      holidays: [],
    });
    assert.deepEqual(rowsOf(report), [
      ["a", 2, 1, 162, 63, 48, 0],
      ["x", 1, 0, 6, 0, 0, 0],
    ]);
    assert.deepEqual(
      report.people.map((p) => [p.timeZone, p.timeZoneAssumed]),
      [
        [ZONE, false],
        [ZONE, true],
      ],
    );
  });

  it("names each bad field, before any schedule maths", () => {
    const bad: FairnessInput = {
      ...januaryWeek,
      range: { startMs: at("2025-01-06T00:00"), endMs: at("2025-01-06T00:00") },
      people: [
        { userId: "a", timeZone: "Mars/Olympus" },
        { userId: "a", timeZone: ZONE },
      ],
      holidays: [{ date: "2025-02-29", timeZone: "Nowhere", name: "" }],
    };
    assert.deepEqual(
      checkFairnessInput(bad).map((e) => e.path),
      [
        "/range/endMs",
        "/people/0/timeZone",
        "/people/1/userId",
        "/holidays/0/date",
        "/holidays/0/timeZone",
        "/holidays/0/name",
      ],
    );
    assert.throws(
      () => fairnessReport(bad),
      (err: unknown) => err instanceof AppError && err.code === "VALIDATION" && err.fields.length === 6,
    );
    assert.deepEqual(
      checkFairnessInput({ ...januaryWeek, range: { startMs: 0, endMs: 401 * 86_400_000 } }).map(
        (e) => e.path,
      ),
      ["/range/endMs"],
    );
  });
});
