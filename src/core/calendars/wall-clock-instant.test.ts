import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WallClock } from "./wall-clock-instant.js";
import { instantOfWallClock, isKnownTimeZone, wallClockAt } from "./wall-clock-instant.js";

/** "2025-03-09T02:30:00" as a WallClock. */
const wall = (text: string): WallClock => {
  const [year, month, day, hour, minute, second] = text.split(/[-T:]/).map(Number) as number[];
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
};

describe("instantOfWallClock", () => {
  const cases: Array<[what: string, local: string, timeZone: string, utc: string]> = [
    ["UTC", "2025-03-09T02:30:00", "UTC", "2025-03-09T02:30:00.000Z"],
    ["New York in winter", "2025-01-15T09:00:00", "America/New_York", "2025-01-15T14:00:00.000Z"],
    ["New York in summer", "2025-07-15T09:00:00", "America/New_York", "2025-07-15T13:00:00.000Z"],
    // RFC 5545 §3.3.5: a time in the spring-forward gap is read with the offset before the gap.
    ["New York, in the spring gap", "2025-03-09T02:30:00", "America/New_York", "2025-03-09T07:30:00.000Z"],
    ["New York, just after the gap", "2025-03-09T03:00:00", "America/New_York", "2025-03-09T07:00:00.000Z"],
    // …and a repeated time is its first occurrence (still daylight time).
    ["New York, the repeated hour", "2025-11-02T01:30:00", "America/New_York", "2025-11-02T05:30:00.000Z"],
    [
      "New York, after the repeated hour",
      "2025-11-02T02:00:00",
      "America/New_York",
      "2025-11-02T07:00:00.000Z",
    ],
    ["Berlin, in the spring gap", "2025-03-30T02:30:00", "Europe/Berlin", "2025-03-30T01:30:00.000Z"],
    ["Berlin, the repeated hour", "2025-10-26T02:30:00", "Europe/Berlin", "2025-10-26T00:30:00.000Z"],
    [
      "Sydney, in the spring gap (October)",
      "2025-10-05T02:30:00",
      "Australia/Sydney",
      "2025-10-04T16:30:00.000Z",
    ],
    [
      "Sydney, the repeated hour (April)",
      "2025-04-06T02:30:00",
      "Australia/Sydney",
      "2025-04-05T15:30:00.000Z",
    ],
    ["Kolkata, a half-hour offset", "2025-03-09T09:00:00", "Asia/Kolkata", "2025-03-09T03:30:00.000Z"],
    ["a year before 100", "0050-06-01T00:00:00", "UTC", "0050-06-01T00:00:00.000Z"],
  ];
  for (const [what, local, timeZone, utc] of cases) {
    it(`${what}: ${local} ${timeZone} → ${utc}`, () => {
      assert.equal(new Date(instantOfWallClock(wall(local), timeZone)).toISOString(), utc);
    });
  }
});

describe("wallClockAt", () => {
  const cases: Array<[utc: string, timeZone: string, local: string]> = [
    ["2025-03-09T06:59:59.000Z", "America/New_York", "2025-03-09T01:59:59"],
    ["2025-03-09T07:00:00.000Z", "America/New_York", "2025-03-09T03:00:00"],
    ["2025-10-26T00:30:00.000Z", "Europe/Berlin", "2025-10-26T02:30:00"],
    ["2025-10-26T01:30:00.000Z", "Europe/Berlin", "2025-10-26T02:30:00"],
    ["2024-12-31T23:00:00.000Z", "Europe/Berlin", "2025-01-01T00:00:00"],
  ];
  for (const [utc, timeZone, local] of cases) {
    it(`${utc} in ${timeZone} is ${local}`, () =>
      assert.deepEqual(wallClockAt(Date.parse(utc), timeZone), wall(local)));
  }
  it("refuses an unknown zone", () => assert.throws(() => wallClockAt(0, "Nowhere/Special"), RangeError));
});

describe("isKnownTimeZone", () => {
  const cases: Array<[name: string, known: boolean]> = [
    ["America/New_York", true],
    ["UTC", true],
    ["Eastern Standard Time", false],
    ["", false],
    ["Mars/Olympus_Mons", false],
  ];
  for (const [name, known] of cases)
    it(`${JSON.stringify(name)}: ${known}`, () => assert.equal(isKnownTimeZone(name), known));
});
