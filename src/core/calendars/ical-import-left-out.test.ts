import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CalendarEventCandidate } from "./ical-import.js";
import { invalidDateProblem, parseShiftCalendar } from "./ical-import.js";

/**
 * Every event an import leaves out is named in `skipped` with the reason: an impossible date, an
 * RRULE INTERVAL that is not positive, and events wholly outside the range (before, the past on a
 * real import, or after it). The range is fixed: the year 2025.
 */

const at = (text: string) => Date.parse(text);
const YEAR_2025 = { startMs: at("2025-01-01T00:00:00Z"), endMs: at("2026-01-01T00:00:00Z") };
const FROM = "2025-01-01T00:00:00.000Z";
const UNTIL = "2026-01-01T00:00:00.000Z";

const calendar = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Fixture//EN", ...lines, "END:VCALENDAR", ""].join(
    "\r\n",
  );
const event = (...lines: string[]) => [
  "BEGIN:VEVENT",
  "UID:a@test",
  "DTSTAMP:20250101T000000Z",
  "SUMMARY:ana",
  ...lines,
  "END:VEVENT",
];
const matchUser = (candidate: CalendarEventCandidate) => (candidate.summary === "ana" ? "u-ana" : null);
const parse = (ics: string) => parseShiftCalendar(ics, { range: YEAR_2025, matchUser });

describe("parseShiftCalendar: each event left out is in skipped, with the reason", () => {
  const cases: Array<[what: string, lines: string[], reason: string]> = [
    [
      "month 13",
      event("DTSTART:20251301T090000Z", "DURATION:PT1H"),
      "has an invalid date in DTSTART 2025-13-01T09:00:00Z: there is no month 13 (months are 01 to 12)",
    ],
    [
      "day 32",
      event("DTSTART:20250132T090000Z", "DURATION:PT1H"),
      "has an invalid date in DTSTART 2025-01-32T09:00:00Z: January 2025 has 31 days",
    ],
    [
      "30 February",
      event("DTSTART:20250227T090000Z", "DTEND:20250230T090000Z"),
      "has an invalid date in DTEND 2025-02-30T09:00:00Z: February 2025 has 28 days",
    ],
    [
      "29 February in a year that is not a leap year, all-day",
      event("DTSTART;VALUE=DATE:20250229"),
      "has an invalid date in DTSTART 2025-02-29: February 2025 has 28 days",
    ],
    [
      "hour 24",
      event("DTSTART:20250303T240000Z", "DURATION:PT1H"),
      "has an invalid date in DTSTART 2025-03-03T24:00:00Z: the hour must be 00 to 23 (the end of a day is 00:00 of the next)",
    ],
    [
      "an RRULE UNTIL in month 13",
      event("DTSTART:20250303T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;UNTIL=20251301T000000Z"),
      "has an invalid date in RRULE UNTIL 2025-13-01T00:00:00Z: there is no month 13 (months are 01 to 12)",
    ],
    [
      "an EXDATE on 31 April",
      event(
        "DTSTART:20250303T090000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=3",
        "EXDATE:20250431T090000Z",
      ),
      "has an invalid date in EXDATE 2025-04-31T09:00:00Z: April 2025 has 30 days",
    ],
    [
      "RRULE INTERVAL=0",
      event("DTSTART:20250303T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=0;COUNT=3"),
      "has RRULE INTERVAL=0: INTERVAL must be a whole number from 1 up",
    ],
    [
      "RRULE INTERVAL=-2",
      event("DTSTART:20250303T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3;INTERVAL=-2"),
      "has RRULE INTERVAL=-2: INTERVAL must be a whole number from 1 up",
    ],
    [
      "an event in the year 9999",
      event("DTSTART:99991231T090000Z", "DURATION:PT1H"),
      `starts at or after ${UNTIL}, past the imported range`,
    ],
    [
      "an event over before the range (the past)",
      event("DTSTART:20240303T090000Z", "DURATION:PT1H"),
      `is over: it ended before ${FROM}`,
    ],
    [
      "a series whose occurrences all ended before the range",
      event("DTSTART:20200303T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=3"),
      `is over: it ended before ${FROM}`,
    ],
    [
      "a yearly series with its one occurrence in the range excluded",
      event("DTSTART:20240601T090000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY", "EXDATE:20250601T090000Z"),
      `has no occurrence from ${FROM} to ${UNTIL}`,
    ],
    [
      "a series whose every occurrence is excluded",
      event(
        "DTSTART:20250601T090000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=1",
        "EXDATE:20250601T090000Z",
      ),
      "has no occurrences",
    ],
  ];
  for (const [what, lines, reason] of cases) {
    it(what, () => {
      const result = parse(calendar(...lines));
      assert.deepEqual(result.shifts, []);
      assert.deepEqual(result.skipped, [{ uid: "a@test", reason }]);
    });
  }

  it("still imports valid dates and positive intervals, with nothing skipped", () => {
    const cases: Array<[lines: string[], shifts: number]> = [
      [event("DTSTART:20250228T090000Z", "DURATION:PT1H"), 1],
      [event("DTSTART;VALUE=DATE:20251231"), 1],
      [event("DTSTART:20250303T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3"), 3],
      [
        event(
          "DTSTART:20250303T090000Z",
          "DURATION:PT1H",
          "RRULE:FREQ=DAILY;interval=1;UNTIL=20250305T090000Z",
        ),
        3,
      ],
      // A leap second is a time RFC 5545 allows.
      [event("DTSTART:20250630T235960Z", "DURATION:PT1H"), 1],
      // Begun before the range and still going in it: imported.
      [event("DTSTART:20241231T200000Z", "DURATION:PT12H"), 1],
    ];
    for (const [lines, shifts] of cases) {
      const result = parse(calendar(...lines));
      assert.equal(result.shifts.length, shifts, lines.join(" "));
      assert.deepEqual(result.skipped, [], lines.join(" "));
    }
  });

  it("names a series once, however many of its occurrences fall outside the range", () => {
    const result = parse(
      calendar(
        ...event("DTSTART:20241201T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=10"),
        ...event("DTSTART:20240101T090000Z", "DURATION:PT1H").map((line) => line.replace("a@test", "b@test")),
      ),
    );
    assert.equal(result.shifts.length, 5, "the 2025 occurrences of a@test");
    assert.deepEqual(result.skipped, [{ uid: "b@test", reason: `is over: it ended before ${FROM}` }]);
  });
});

describe("invalidDateProblem", () => {
  const cases: Array<[written: string, problem: string | null]> = [
    ["2025-01-31", null],
    ["2024-02-29", null],
    ["2000-02-29T00:00:00", null],
    ["2100-02-29", "February 2100 has 28 days"],
    ["2025-00-10", "there is no month 00 (months are 01 to 12)"],
    ["2025-01-00T09:00:00Z", "there is no day 00 (days start at 01)"],
    ["2025-06-31T09:00:00", "June 2025 has 30 days"],
    ["2025-06-30T23:61:00Z", "the minute must be 00 to 59"],
    ["2025-06-30T23:59:60Z", null],
    ["2025-06-30T23:59:61Z", "the second must be 00 to 60"],
    ["not a date", null],
  ];
  for (const [written, problem] of cases) {
    it(`${written}: ${problem ?? "fine"}`, () => assert.equal(invalidDateProblem(written), problem));
  }
});
