import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY_MS, HOUR_MS, parseLocalDateTime } from "./civil-time.js";
import { layerShifts, onCallAt } from "./final-schedule.js";
import { compileRestrictions, placeInPattern } from "./restrictions.js";
import type { Layer, RotationVersion, Shift, TimeWindow } from "./schedule.js";
import { formatLocalAt, instantOfLocal } from "./zoned-time.js";

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

const rotation = (id: string, priority: number, over: Partial<RotationVersion>): Layer => ({
  id,
  name: id,
  priority,
  source: "rotation",
  versions: [
    {
      effectiveFromMs: Date.UTC(2024, 11, 1),
      effectiveUntilMs: null,
      memberIds: ["ann", "bob", "cat"],
      shiftLength: 1,
      shiftUnit: "days",
      startLocal: "2025-01-06T09:00",
      restrictions: [],
      ...over,
    },
  ],
});
const local = (shifts: readonly Shift[], zone: string) =>
  shifts.map((s) => [s.userId, formatLocalAt(s.startMs, zone), formatLocalAt(s.endMs, zone)]);
const weekdays = (startTime: string, endTime: string, days = [1, 2, 3, 4, 5]): TimeWindow[] =>
  days.map((weekday) => ({ weekday, startTime, endTime }));
const at = (wall: string) => parseLocalDateTime(wall) ?? NaN;

describe("the weekly pattern of restriction windows", () => {
  it("joins a window that runs past the end of the week with the one that opens it", () => {
    const pattern = compileRestrictions([
      { weekday: 6, startTime: "22:00", endTime: "06:00" },
      { weekday: 0, startTime: "06:00", endTime: "08:00" },
    ]);
    assert.ok(pattern !== null);
    // Sunday 2025-01-12 07:00 sits in one stretch from Saturday 22:00 to Sunday 08:00.
    assert.deepEqual(placeInPattern(pattern, at("2025-01-12T07:00")), {
      inside: true,
      startLocalMs: at("2025-01-11T22:00"),
      endLocalMs: at("2025-01-12T08:00"),
    });
    assert.deepEqual(placeInPattern(pattern, at("2025-01-15T12:00")), {
      inside: false,
      startLocalMs: at("2025-01-12T08:00"),
      endLocalMs: at("2025-01-18T22:00"),
    });
  });

  it("windows covering the whole week are no restriction; no windows are none either", () => {
    const allWeek = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      weekday,
      startTime: "00:00",
      endTime: "24:00",
    }));
    assert.equal(compileRestrictions(allWeek), null);
    assert.equal(compileRestrictions([]), null);
  });

  it("leaves out windows that are not well formed, so bad data covers less, never more", () => {
    const pattern = compileRestrictions([
      { weekday: 9, startTime: "09:00", endTime: "17:00" },
      { weekday: 1, startTime: "25:00", endTime: "17:00" },
      { weekday: 1.5, startTime: "09:00", endTime: "17:00" },
    ]);
    assert.deepEqual(pattern, { stretches: [] });
    const layer = rotation("bad", 1, {
      restrictions: [{ weekday: 9, startTime: "09:00", endTime: "17:00" }],
    });
    const schedule = { id: "s", name: "s", timeZone: "UTC", layers: [layer], overrides: [] };
    assert.equal(onCallAt(schedule, utc("2025-01-13T12:00:00Z")), null);
  });

  it("stretches are measured in wall-clock time", () => {
    const pattern = compileRestrictions(weekdays("09:00", "17:00"));
    assert.deepEqual(pattern?.stretches[0], { startMs: DAY_MS + 9 * HOUR_MS, endMs: DAY_MS + 17 * HOUR_MS });
  });
});

describe("restrictions", () => {
  const zone = "Europe/Berlin";
  const businessHours = rotation("business", 2, {
    shiftUnit: "weeks",
    restrictions: weekdays("09:00", "17:00"),
  });

  it("weekday business hours cut a weekly shift into one piece a day", () => {
    const shifts = layerShifts(businessHours, zone, {
      startMs: instantOfLocal("2025-01-10T00:00", zone),
      endMs: instantOfLocal("2025-01-15T00:00", zone),
    });
    assert.deepEqual(local(shifts, zone), [
      ["ann", "2025-01-10T09:00", "2025-01-10T17:00"],
      ["bob", "2025-01-13T09:00", "2025-01-13T17:00"],
      ["bob", "2025-01-14T09:00", "2025-01-14T17:00"],
    ]);
  });

  const around: Array<[string, string | null]> = [
    ["2025-01-10T16:59", "ann"],
    ["2025-01-10T17:00", null],
    ["2025-01-11T12:00", null],
    ["2025-01-13T08:59", null],
    ["2025-01-13T09:00", "bob"],
  ];
  for (const [wallClock, who] of around)
    it(`on call at ${wallClock} Berlin: ${who ?? "nobody"}`, () =>
      assert.equal(
        onCallAt(
          { id: "s", name: "s", timeZone: zone, layers: [businessHours], overrides: [] },
          instantOfLocal(wallClock, zone),
        )?.userId ?? null,
        who,
      ));

  // [why, the window's start and end (UTC), its length in hours]
  const overnight: Array<[string, string, string, number]> = [
    ["an ordinary Saturday night", "2025-10-18T20:00Z", "2025-10-19T04:00Z", 8],
    ["the fall-back night is an hour longer", "2025-10-25T20:00Z", "2025-10-26T05:00Z", 9],
    ["the spring-forward night is an hour shorter", "2025-03-29T21:00Z", "2025-03-30T04:00Z", 7],
  ];
  for (const [why, start, end, hours] of overnight) {
    it(`an overnight window (Saturday 22:00 to 06:00): ${why}`, () => {
      const nights = rotation("nights", 1, {
        restrictions: [{ weekday: 6, startTime: "22:00", endTime: "06:00" }],
      });
      const shifts = layerShifts(nights, zone, {
        startMs: utc(start) - 12 * HOUR,
        endMs: utc(end) + 12 * HOUR,
      });
      assert.equal(shifts.length, 1, "the 09:00 handoff does not fall inside the night");
      assert.deepEqual([shifts[0]!.startMs, shifts[shifts.length - 1]!.endMs], [utc(start), utc(end)]);
      assert.equal((utc(end) - utc(start)) / HOUR, hours);
      assert.equal(formatLocalAt(utc(end), zone).slice(11), "06:00");
    });
  }

  it("windows that touch across midnight make one piece, and 24:00 is the end of the day", () => {
    const evenings = rotation("evenings", 1, {
      restrictions: [
        { weekday: 1, startTime: "18:00", endTime: "24:00" },
        { weekday: 2, startTime: "00:00", endTime: "06:00" },
      ],
    });
    const shifts = layerShifts(evenings, zone, {
      startMs: instantOfLocal("2025-01-13T00:00", zone),
      endMs: instantOfLocal("2025-01-15T00:00", zone),
    });
    assert.deepEqual(local(shifts, zone), [["bob", "2025-01-13T18:00", "2025-01-14T06:00"]]);
  });
});
