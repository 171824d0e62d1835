import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AppError } from "../errors.js";
import type { FixedShift } from "../schedules/schedule.js";
import { renderShiftCalendar } from "./ical-feed.js";
import type { CalendarEventCandidate, ParseShiftCalendarOptions } from "./ical-import.js";
import { parseShiftCalendar } from "./ical-import.js";

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

/** A calendar from its content lines, CRLF-terminated as RFC 5545 wants. */
const calendar = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Fixture//EN", ...lines, "END:VCALENDAR", ""].join(
    "\r\n",
  );

const USERS: Record<string, string> = {
  ana: "u-ana",
  "ana@example.com": "u-ana",
  bob: "u-bob",
  "bob@example.com": "u-bob",
};

/** Matches the title (Grafana OnCall's convention), then attendees, then the organizer. */
const matchUser = (candidate: CalendarEventCandidate): string | null =>
  USERS[candidate.summary.trim().toLowerCase()] ??
  candidate.attendeeEmails.map((email) => USERS[email]).find((id) => id !== undefined) ??
  (candidate.organizerEmail === null ? null : (USERS[candidate.organizerEmail] ?? null));

const YEAR_2025 = { startMs: at("2025-01-01T00:00:00Z"), endMs: at("2026-01-01T00:00:00Z") };

const parse = (ics: string, options: Partial<ParseShiftCalendarOptions> = {}) =>
  parseShiftCalendar(ics, { range: YEAR_2025, matchUser, ...options });

const readable = (shifts: FixedShift[]) =>
  shifts.map((s) => ({ userId: s.userId, start: iso(s.startMs), end: iso(s.endMs), sourceId: s.sourceId }));

const WEEKLY_WITH_EXDATE = calendar(
  "BEGIN:VEVENT",
  "UID:weekly@test",
  "DTSTAMP:20250101T000000Z",
  "DTSTART:20250303T090000Z",
  "DTEND:20250303T170000Z",
  "RRULE:FREQ=WEEKLY;COUNT=4",
  "EXDATE:20250317T090000Z",
  "SUMMARY:ana",
  "END:VEVENT",
);

// Weekly 09:00–17:00 in New York from 3 March 2025; clocks go forward on 9 March.
const NEW_YORK_ACROSS_DST = calendar(
  "BEGIN:VEVENT",
  "UID:ny@test",
  "DTSTAMP:20250101T000000Z",
  "DTSTART;TZID=America/New_York:20250303T090000",
  "DTEND;TZID=America/New_York:20250303T170000",
  "RRULE:FREQ=WEEKLY;COUNT=3",
  "SUMMARY:bob",
  "END:VEVENT",
);
const NEW_YORK_EXPECTED = [
  {
    userId: "u-bob",
    start: "2025-03-03T14:00:00.000Z",
    end: "2025-03-03T22:00:00.000Z",
    sourceId: "ny@test/20250303T140000Z",
  },
  {
    userId: "u-bob",
    start: "2025-03-10T13:00:00.000Z",
    end: "2025-03-10T21:00:00.000Z",
    sourceId: "ny@test/20250310T130000Z",
  },
  {
    userId: "u-bob",
    start: "2025-03-17T13:00:00.000Z",
    end: "2025-03-17T21:00:00.000Z",
    sourceId: "ny@test/20250317T130000Z",
  },
];

/** The VTIMEZONE Outlook writes, under a Windows zone name Intl does not know. */
const EASTERN_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Eastern Standard Time",
  "BEGIN:STANDARD",
  "DTSTART:16010101T020000",
  "TZOFFSETFROM:-0400",
  "TZOFFSETTO:-0500",
  "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
  "END:STANDARD",
  "BEGIN:DAYLIGHT",
  "DTSTART:16010101T020000",
  "TZOFFSETFROM:-0500",
  "TZOFFSETTO:-0400",
  "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
  "END:DAYLIGHT",
  "END:VTIMEZONE",
];

describe("parseShiftCalendar: recurrence", () => {
  it("expands a weekly RRULE and leaves out its EXDATE", () => {
    const { shifts, skipped } = parse(WEEKLY_WITH_EXDATE);
    assert.deepEqual(readable(shifts), [
      {
        userId: "u-ana",
        start: "2025-03-03T09:00:00.000Z",
        end: "2025-03-03T17:00:00.000Z",
        sourceId: "weekly@test/20250303T090000Z",
      },
      {
        userId: "u-ana",
        start: "2025-03-10T09:00:00.000Z",
        end: "2025-03-10T17:00:00.000Z",
        sourceId: "weekly@test/20250310T090000Z",
      },
      {
        userId: "u-ana",
        start: "2025-03-24T09:00:00.000Z",
        end: "2025-03-24T17:00:00.000Z",
        sourceId: "weekly@test/20250324T090000Z",
      },
    ]);
    assert.deepEqual(skipped, []);
  });

  it("keeps a TZID=America/New_York event at 09:00 local across the change to daylight saving", () => {
    assert.deepEqual(readable(parse(NEW_YORK_ACROSS_DST).shifts), NEW_YORK_EXPECTED);
  });

  it("reads a zone from the file's VTIMEZONE when the TZID is not an IANA name (Outlook)", () => {
    const outlook = NEW_YORK_ACROSS_DST.replace(/America\/New_York/g, "Eastern Standard Time").replace(
      "BEGIN:VEVENT",
      [...EASTERN_VTIMEZONE, "BEGIN:VEVENT"].join("\r\n"),
    );
    assert.deepEqual(readable(parse(outlook).shifts), NEW_YORK_EXPECTED);
  });

  it("skips an event whose TZID is neither an IANA name nor defined in the file", () => {
    const unknown = NEW_YORK_ACROSS_DST.replace(/America\/New_York/g, "Mars/Olympus_Mons");
    const { shifts, skipped } = parse(unknown);
    assert.deepEqual(shifts, []);
    assert.deepEqual(skipped, [{ uid: "ny@test", reason: 'uses an unknown time zone "Mars/Olympus_Mons"' }]);
  });

  it("applies RECURRENCE-ID overrides: a moved occurrence with another person, and a cancelled one", () => {
    const ics = WEEKLY_WITH_EXDATE.replace(
      "END:VCALENDAR",
      [
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20250101T000000Z",
        "RECURRENCE-ID:20250310T090000Z",
        "DTSTART:20250311T120000Z",
        "DTEND:20250311T180000Z",
        "SUMMARY:bob",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20250101T000000Z",
        "RECURRENCE-ID:20250324T090000Z",
        "DTSTART:20250324T090000Z",
        "DTEND:20250324T170000Z",
        "STATUS:CANCELLED",
        "SUMMARY:ana",
        "END:VEVENT",
        "END:VCALENDAR",
      ].join("\r\n"),
    );
    const { shifts, skipped } = parse(ics);
    assert.deepEqual(readable(shifts), [
      {
        userId: "u-ana",
        start: "2025-03-03T09:00:00.000Z",
        end: "2025-03-03T17:00:00.000Z",
        sourceId: "weekly@test/20250303T090000Z",
      },
      {
        userId: "u-bob",
        start: "2025-03-11T12:00:00.000Z",
        end: "2025-03-11T18:00:00.000Z",
        sourceId: "weekly@test/20250310T090000Z",
      },
    ]);
    assert.deepEqual(skipped, [{ uid: "weekly@test", reason: "occurrence 20250324T090000Z is cancelled" }]);
  });

  it("returns the occurrences that overlap the range, whole, with the same sourceIds whatever the range", () => {
    const daily = calendar(
      "BEGIN:VEVENT",
      "UID:daily@test",
      "DTSTAMP:20250101T000000Z",
      "DTSTART:20200106T200000Z",
      "DURATION:PT12H",
      "RRULE:FREQ=DAILY",
      "SUMMARY:ana",
      "END:VEVENT",
    );
    const range = { startMs: at("2025-06-02T00:00:00Z"), endMs: at("2025-06-04T00:00:00Z") };
    const { shifts } = parse(daily, { range });
    assert.deepEqual(
      shifts.map((s) => [iso(s.startMs), iso(s.endMs)]),
      [
        ["2025-06-01T20:00:00.000Z", "2025-06-02T08:00:00.000Z"],
        ["2025-06-02T20:00:00.000Z", "2025-06-03T08:00:00.000Z"],
        ["2025-06-03T20:00:00.000Z", "2025-06-04T08:00:00.000Z"],
      ],
    );
    const wider = parse(daily, { range: { startMs: range.startMs - 86_400_000 * 3, endMs: range.endMs } });
    const sourceIds = new Set(wider.shifts.map((s) => s.sourceId));
    for (const s of shifts) assert.ok(sourceIds.has(s.sourceId), s.sourceId);
    assert.equal(shifts[0]?.sourceId, "daily@test/20250601T200000Z");
  });
});

describe("parseShiftCalendar: all-day and floating times", () => {
  const weekend = calendar(
    "BEGIN:VEVENT",
    "UID:weekend@test",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;VALUE=DATE:20250308",
    "DTEND;VALUE=DATE:20250310",
    "SUMMARY:ana",
    "END:VEVENT",
  );
  const cases: Array<[timeZone: string | undefined, start: string, end: string]> = [
    [undefined, "2025-03-08T00:00:00.000Z", "2025-03-10T00:00:00.000Z"],
    ["Europe/Berlin", "2025-03-07T23:00:00.000Z", "2025-03-09T23:00:00.000Z"],
    // The weekend of the change to daylight saving in New York: 47 hours long.
    ["America/New_York", "2025-03-08T05:00:00.000Z", "2025-03-10T04:00:00.000Z"],
  ];
  for (const [timeZone, start, end] of cases) {
    it(`reads an all-day event from local midnight in ${timeZone ?? "UTC (the default)"}`, () => {
      const { shifts } = parse(weekend, timeZone === undefined ? {} : { defaultTimeZone: timeZone });
      assert.deepEqual(readable(shifts), [{ userId: "u-ana", start, end, sourceId: "weekend@test" }]);
    });
  }

  it("expands a weekly all-day event, each day from local midnight, keyed by its date", () => {
    const weekly = weekend.replace("SUMMARY:ana", "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:ana");
    const { shifts } = parse(weekly, { defaultTimeZone: "America/New_York" });
    assert.deepEqual(
      shifts.map((s) => [iso(s.startMs), iso(s.endMs), s.sourceId]),
      [
        ["2025-03-08T05:00:00.000Z", "2025-03-10T04:00:00.000Z", "weekend@test/20250308"],
        ["2025-03-15T04:00:00.000Z", "2025-03-17T04:00:00.000Z", "weekend@test/20250315"],
        ["2025-03-22T04:00:00.000Z", "2025-03-24T04:00:00.000Z", "weekend@test/20250322"],
      ],
    );
  });

  it("reads an all-day event with no DTEND as one day", () => {
    const oneDay = weekend.replace("DTEND;VALUE=DATE:20250310\r\n", "");
    const [only] = parse(oneDay, { defaultTimeZone: "Europe/Berlin" }).shifts;
    assert.deepEqual(
      [iso(only!.startMs), iso(only!.endMs)],
      ["2025-03-07T23:00:00.000Z", "2025-03-08T23:00:00.000Z"],
    );
  });

  it("reads a floating time (no TZID, no Z) in the default time zone", () => {
    const floating = calendar(
      "BEGIN:VEVENT",
      "UID:floating@test",
      "DTSTAMP:20250101T000000Z",
      "DTSTART:20250701T090000",
      "DTEND:20250701T170000",
      "SUMMARY:ana",
      "END:VEVENT",
    );
    const [only] = parse(floating, { defaultTimeZone: "Australia/Sydney" }).shifts;
    assert.deepEqual(
      [iso(only!.startMs), iso(only!.endMs)],
      ["2025-06-30T23:00:00.000Z", "2025-07-01T07:00:00.000Z"],
    );
  });
});

describe("parseShiftCalendar: matching people", () => {
  const withPeople = (...people: string[]) =>
    calendar(
      "BEGIN:VEVENT",
      "UID:people@test",
      "DTSTAMP:20250101T000000Z",
      "DTSTART:20250303T090000Z",
      "DTEND:20250303T170000Z",
      ...people,
      "END:VEVENT",
    );

  it("offers the matcher the title, attendees (not declined, lower-cased, without mailto:) and organizer", () => {
    const seen: CalendarEventCandidate[] = [];
    parseShiftCalendar(
      withPeople(
        "SUMMARY:Primary\\, week 10",
        "ORGANIZER;CN=Boss:mailto:Boss@Example.com",
        "ATTENDEE;CN=Ana;PARTSTAT=ACCEPTED:mailto:Ana@Example.COM",
        "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com",
        "ATTENDEE:MAILTO:carol@example.com",
      ),
      {
        range: YEAR_2025,
        matchUser: (candidate) => {
          seen.push(candidate);
          return "u-ana";
        },
      },
    );
    assert.deepEqual(seen, [
      {
        summary: "Primary, week 10",
        attendeeEmails: ["ana@example.com", "carol@example.com"],
        organizerEmail: "boss@example.com",
      },
    ]);
  });

  it("lets an error thrown by matchUser through, rather than calling it a bad event", () => {
    const failing = () => {
      throw new TypeError("users not loaded");
    };
    assert.throws(() => parse(WEEKLY_WITH_EXDATE, { matchUser: failing }), /users not loaded/);
  });

  it("matches by attendee when the title names nobody", () => {
    const { shifts } = parse(withPeople("SUMMARY:On call", "ATTENDEE:mailto:bob@example.com"));
    assert.deepEqual(
      shifts.map((s) => s.userId),
      ["u-bob"],
    );
  });

  it("skips an event whose attendee matches nobody, with the reason", () => {
    const { shifts, skipped } = parse(withPeople("SUMMARY:On call", "ATTENDEE:mailto:stranger@example.com"));
    assert.deepEqual(shifts, []);
    assert.deepEqual(skipped, [{ uid: "people@test", reason: 'no user matches "On call"' }]);
  });

  it("reports an unmatched recurring event once, not once per occurrence", () => {
    const { skipped } = parse(WEEKLY_WITH_EXDATE.replace("SUMMARY:ana", "SUMMARY:nobody"));
    assert.deepEqual(skipped, [{ uid: "weekly@test", reason: 'no user matches "nobody"' }]);
  });

  it("unfolds folded lines before matching (CRLF + space inside the title)", () => {
    const folded = withPeople(
      "SUMMARY:an\r\n a",
      "ATTENDEE;CN=Someone With A Long Name;PARTSTAT=ACCEPTED:mailto:bob@ex\r\n\tample.com",
    );
    const seen: CalendarEventCandidate[] = [];
    const { shifts } = parseShiftCalendar(folded, {
      range: YEAR_2025,
      matchUser: (candidate) => (seen.push(candidate), matchUser(candidate)),
    });
    assert.deepEqual(seen[0], { summary: "ana", attendeeEmails: ["bob@example.com"], organizerEmail: null });
    assert.deepEqual(
      shifts.map((s) => s.userId),
      ["u-ana"],
    );
  });
});

describe("parseShiftCalendar: events it skips", () => {
  const event = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20250101T000000Z", ...lines, "END:VEVENT"];
  const cases: Array<[what: string, lines: string[], skipped: Array<{ uid: string; reason: string }>]> = [
    [
      "no UID",
      event("DTSTART:20250303T090000Z", "DTEND:20250303T170000Z", "SUMMARY:ana"),
      [{ uid: "", reason: "has no UID" }],
    ],
    ["no DTSTART", event("UID:a@test", "SUMMARY:ana"), [{ uid: "a@test", reason: "has no DTSTART" }]],
    [
      "a cancelled event",
      event(
        "UID:a@test",
        "DTSTART:20250303T090000Z",
        "DTEND:20250303T170000Z",
        "STATUS:CANCELLED",
        "SUMMARY:ana",
      ),
      [{ uid: "a@test", reason: "is cancelled" }],
    ],
    [
      "an end before the start",
      event("UID:a@test", "DTSTART:20250303T090000Z", "DTEND:20250303T080000Z", "SUMMARY:ana"),
      [{ uid: "a@test", reason: "ends at or before its start" }],
    ],
    [
      "an unreadable date",
      event("UID:a@test", "DTSTART:2025-3-3", "DTEND:20250303T080000Z", "SUMMARY:ana"),
      [{ uid: "a@test", reason: 'cannot be read: invalid date-time value: "2025--3--3T::"' }],
    ],
    [
      "an RRULE that breaks RFC 5545's rules",
      event(
        "UID:a@test",
        "DTSTART:20250303T090000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=MONTHLY;BYYEARDAY=3",
        "SUMMARY:ana",
      ),
      [
        {
          uid: "a@test",
          reason: "cannot be read: For MONTHLY recurrences neither BYYEARDAY nor BYWEEKNO may appear",
        },
      ],
    ],
  ];
  for (const [what, lines, skipped] of cases) {
    it(what, () => {
      const result = parse(calendar(...lines));
      assert.deepEqual(result.shifts, []);
      assert.deepEqual(result.skipped, skipped);
    });
  }

  it("imports the good events of a file that also has bad ones", () => {
    const mixed = WEEKLY_WITH_EXDATE.replace(
      "END:VCALENDAR",
      [...event("SUMMARY:ana"), "END:VCALENDAR"].join("\r\n"),
    );
    const { shifts, skipped } = parse(mixed);
    assert.equal(shifts.length, 3);
    assert.deepEqual(skipped, [{ uid: "", reason: "has no UID" }]);
  });
});

describe("parseShiftCalendar: bad input is a VALIDATION error on /ics", () => {
  const cases: Array<[what: string, input: string, message: string]> = [
    ["empty text", "", "is empty"],
    ["garbage", "hello, this is not a calendar", "is not an iCalendar file"],
    ["JSON", '{"events": []}', "is not an iCalendar file"],
    ["HTML", "<!doctype html>\n<html><body>Sign in</body></html>", "is not an iCalendar file"],
    [
      "a vCard",
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nEND:VCARD\r\n",
      "does not begin with BEGIN:VCALENDAR",
    ],
    [
      "a file cut short",
      WEEKLY_WITH_EXDATE.slice(0, WEEKLY_WITH_EXDATE.indexOf("END:VEVENT")),
      "is truncated: a BEGIN has no matching END",
    ],
    [
      "an RRULE with an unknown frequency",
      WEEKLY_WITH_EXDATE.replace("FREQ=WEEKLY", "FREQ=FORTNIGHTLY"),
      'has a value that cannot be read: invalid frequency "FORTNIGHTLY" expected: "SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"',
    ],
    [
      "a file cut mid-line",
      WEEKLY_WITH_EXDATE.slice(0, WEEKLY_WITH_EXDATE.indexOf("RRULE") + 3),
      "is not an iCalendar file",
    ],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      assert.throws(
        () => parse(input),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === "VALIDATION" &&
          error.fields.length === 1 &&
          error.fields[0]?.path === "/ics" &&
          error.fields[0]?.message === message,
      );
    });
  }

  it("rejects an unknown default time zone on /defaultTimeZone", () => {
    assert.throws(
      () => parse(WEEKLY_WITH_EXDATE, { defaultTimeZone: "Europe/Atlantis" }),
      (error: unknown) => error instanceof AppError && error.fields[0]?.path === "/defaultTimeZone",
    );
  });
});

describe("parseShiftCalendar: caps", () => {
  const hourly = (dtstart: string) =>
    calendar(
      "BEGIN:VEVENT",
      "UID:hourly@test",
      "DTSTAMP:20250101T000000Z",
      `DTSTART:${dtstart}`,
      "DURATION:PT1H",
      "RRULE:FREQ=HOURLY",
      "SUMMARY:ana",
      "END:VEVENT",
    );
  const day = { startMs: at("2025-03-03T00:00:00Z"), endMs: at("2025-03-04T00:00:00Z") };

  it("allows maxEvents shifts in the range", () => {
    assert.equal(parse(hourly("20250303T000000Z"), { range: day, maxEvents: 24 }).shifts.length, 24);
  });

  it("refuses more than maxEvents shifts in the range with a clear VALIDATION error", () => {
    assert.throws(
      () => parse(hourly("20250303T000000Z"), { range: day, maxEvents: 23 }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "VALIDATION" &&
        error.fields[0]?.message === "has more than 23 events in the range; import a shorter range",
    );
  });

  it("refuses a series it would have to step through too far to reach the range", () => {
    // Hourly since 2015: about 88,000 occurrences before March 2025.
    assert.throws(
      () => parse(hourly("20150101T000000Z"), { range: day }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "VALIDATION" &&
        /too frequent to expand \(more than 50000 occurrences, event hourly@test\)/.test(error.message),
    );
  });
});

describe("parseShiftCalendar reads back renderShiftCalendar", () => {
  it("gives the same shifts, with the feed's UIDs as sourceIds", () => {
    const monday = at("2025-03-03T08:00:00Z");
    const week = 7 * 86_400_000;
    const published = [
      {
        userId: "u-ana",
        userName: "ana",
        startMs: monday,
        endMs: monday + week,
        layerId: "l1",
        overrideId: null,
      },
      {
        userId: "u-bob",
        userName: "bob",
        startMs: monday + week,
        endMs: monday + 2 * week,
        layerId: "l1",
        overrideId: null,
      },
    ].map((s) => ({ ...s, scheduleName: "Payments" }));
    const ics = renderShiftCalendar({
      calendarName: "Payments",
      calendarId: "schedule:7",
      shifts: published,
      generatedAtMs: at("2025-03-01T00:00:00Z"),
    });
    const { shifts, skipped } = parseShiftCalendar(ics, {
      range: YEAR_2025,
      matchUser: (c) => matchUser({ ...c, summary: c.summary.replace("On call: Payments — ", "") }),
    });
    assert.deepEqual(skipped, []);
    assert.deepEqual(
      shifts.map((s) => [s.userId, s.startMs, s.endMs]),
      published.map((s) => [s.userId, s.startMs, s.endMs]),
    );
    assert.equal(new Set(shifts.map((s) => s.sourceId)).size, 2);
    for (const s of shifts) assert.match(s.sourceId, /^[0-9a-f]{16}-\d+@firebreak$/);
  });
});

describe("parseShiftCalendar never crashes", () => {
  const RICH =
    NEW_YORK_ACROSS_DST.replace(
      "BEGIN:VEVENT",
      [
        ...EASTERN_VTIMEZONE,
        "BEGIN:VEVENT",
        "UID:x@test",
        "DTSTAMP:20250101T000000Z",
        "DTSTART;VALUE=DATE:20250308",
        "SUMMARY:an\r\n a",
        "END:VEVENT",
        "BEGIN:VEVENT",
      ].join("\r\n"),
    ) + WEEKLY_WITH_EXDATE;
  /** Returns normally with well-formed shifts, or throws a VALIDATION AppError on /ics. */
  const assertHandled = (input: string) => {
    try {
      const { shifts, skipped } = parse(input);
      for (const s of shifts) {
        assert.ok(Number.isFinite(s.startMs) && Number.isFinite(s.endMs) && s.endMs > s.startMs);
        assert.ok(s.userId === "u-ana" || s.userId === "u-bob");
      }
      for (const entry of skipped) assert.equal(typeof entry.reason, "string");
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, "VALIDATION");
      assert.equal(error.fields[0]?.path, "/ics");
    }
  };

  it("on any cut of a valid file", () => {
    fc.assert(
      fc.property(fc.nat(RICH.length), (cut) => assertHandled(RICH.slice(0, cut))),
      { numRuns: 300 },
    );
  });

  it("on a valid file with a span of characters replaced", () => {
    fc.assert(
      fc.property(fc.nat(RICH.length), fc.nat(40), fc.string({ maxLength: 12 }), (from, length, text) =>
        assertHandled(RICH.slice(0, from) + text + RICH.slice(from + length)),
      ),
      { numRuns: 300 },
    );
  });

  it("on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), assertHandled), { numRuns: 300 });
  });
});
