import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calendarFieldsProblem, daysInMonth } from "./calendar-fields.js";

const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe("calendar fields", () => {
  const days: Array<[year: number, month: number, expected: number]> = [
    [2025, 1, 31],
    [2025, 2, 28],
    [2024, 2, 29],
    [2000, 2, 29],
    [2100, 2, 28],
    [2025, 4, 30],
    [2025, 12, 31],
  ];
  for (const [year, month, expected] of days)
    it(`${year}-${month} has ${expected} days`, () => assert.equal(daysInMonth(year, month), expected));

  const cases: Array<[what: string, fields: ReturnType<typeof at>, problem: string | undefined]> = [
    ["a real date", at(2025, 1, 31, 23, 59, 59), undefined],
    ["29 February of a leap year", at(2024, 2, 29), undefined],
    ["29 February of 2100", at(2100, 2, 29), "February 2100 has 28 days"],
    ["month 0", at(2025, 0, 10), "there is no month 00 (months are 01 to 12)"],
    ["month 13", at(2025, 13, 1), "there is no month 13 (months are 01 to 12)"],
    ["day 0", at(2025, 1, 0), "there is no day 00 (days start at 01)"],
    ["30 February", at(2027, 2, 30), "February 2027 has 28 days"],
    ["31 June", at(2025, 6, 31), "June 2025 has 30 days"],
    ["24:00", at(2025, 3, 3, 24), "the hour must be 00 to 23 (the end of a day is 00:00 of the next)"],
    ["minute 61", at(2025, 6, 30, 23, 61), "the minute must be 00 to 59"],
    ["second 60 without leap seconds", at(2025, 6, 30, 23, 59, 60), "the second must be 00 to 59"],
  ];
  for (const [what, fields, problem] of cases)
    it(`${what}: ${problem ?? "fine"}`, () => assert.equal(calendarFieldsProblem(fields), problem));

  it("takes second 60 where leap seconds are allowed, and not 61", () => {
    assert.equal(calendarFieldsProblem(at(2016, 12, 31, 23, 59, 60), { leapSecond: true }), undefined);
    assert.equal(
      calendarFieldsProblem(at(2016, 12, 31, 23, 59, 61), { leapSecond: true }),
      "the second must be 00 to 60",
    );
  });
});
