import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import type { CalendarShift, ShiftCalendarInput } from "./ical-feed.js";
import { escapeText, foldLine, formatUtcDateTime, renderShiftCalendar, shiftUid } from "./ical-feed.js";

const GENERATED_AT = Date.UTC(2025, 2, 2, 9, 30, 0);
const HOUR = 3_600_000;
const MONDAY = Date.UTC(2025, 2, 3, 8, 0, 0);

const shift = (overrides: Partial<CalendarShift> = {}): CalendarShift => ({
  userId: "u-ana",
  startMs: MONDAY,
  endMs: MONDAY + 7 * 24 * HOUR,
  layerId: "layer-1",
  overrideId: null,
  userName: "Ana Lima",
  scheduleName: "Payments primary",
  ...overrides,
});

const feed = (overrides: Partial<ShiftCalendarInput> = {}): ShiftCalendarInput => ({
  calendarName: "On-call: Payments primary",
  calendarId: "schedule:42",
  generatedAtMs: GENERATED_AT,
  shifts: [
    shift(),
    shift({
      userId: "u-zoe",
      userName: "Zoë 日本語 ✓",
      startMs: MONDAY + 7 * 24 * HOUR,
      endMs: MONDAY + 14 * 24 * HOUR,
    }),
    shift({
      userId: "u-bo",
      userName: 'Bo; "the" \\ backup, again',
      layerId: null,
      overrideId: "ovr-9",
      startMs: MONDAY + 2 * HOUR,
      endMs: MONDAY + 5 * HOUR,
      description: "Covering for Ana.\nHandoff notes: https://oncall.example.net/schedules/42",
    }),
  ],
  ...overrides,
});

/** The strict reading: ical.js's parser, then RFC 5545's required properties checked one by one. */
function parseStrictly(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  assert.equal(root.name, "vcalendar");
  assert.equal(root.getFirstPropertyValue("version"), "2.0");
  assert.ok(root.getFirstPropertyValue("prodid"));
  return root.getAllSubcomponents("vevent").map((vevent) => {
    for (const required of ["uid", "dtstamp", "dtstart", "dtend"]) {
      assert.equal(vevent.getAllProperties(required).length, 1, `exactly one ${required}`);
    }
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      startMs: event.startDate.toUnixTime() * 1000,
      endMs: event.endDate.toUnixTime() * 1000,
      startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
      summary: event.summary,
      description: event.description,
      dtstamp: vevent.getFirstPropertyValue("dtstamp") as InstanceType<typeof ICAL.Time>,
    };
  });
}

/** The physical lines (without their CRLF); the text must end with CRLF. */
function physicalLines(ics: string): string[] {
  assert.ok(ics.endsWith("\r\n"), "ends with CRLF");
  return ics.slice(0, -2).split("\r\n");
}

describe("renderShiftCalendar", () => {
  const ics = renderShiftCalendar(feed());

  it("is a VCALENDAR with the properties clients need", () => {
    const lines = physicalLines(ics);
    assert.equal(lines[0], "BEGIN:VCALENDAR");
    assert.equal(lines.at(-1), "END:VCALENDAR");
    for (const line of [
      "VERSION:2.0",
      "PRODID:-//Firebreak//On-call calendar//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:On-call: Payments primary",
    ]) {
      assert.ok(lines.includes(line), line);
    }
    assert.ok(
      renderShiftCalendar(feed({ productId: "-//Acme//Pager//EN" })).includes(
        "\r\nPRODID:-//Acme//Pager//EN\r\n",
      ),
    );
  });

  it("parses strictly with ical.js, every event's start, end, uid and summary round-tripping", () => {
    const events = parseStrictly(ics);
    const input = [...feed().shifts].sort((a, b) => a.startMs - b.startMs);
    assert.equal(events.length, input.length);
    events.forEach((event, i) => {
      const expected = input[i]!;
      assert.equal(event.uid, shiftUid("schedule:42", expected));
      assert.equal(event.startMs, expected.startMs);
      assert.equal(event.endMs, expected.endMs);
      assert.equal(event.startIsUtc, true);
      assert.equal(event.summary, `On call: Payments primary — ${expected.userName}`);
    });
  });

  it("escapes TEXT so non-ASCII, commas, semicolons, quotes, backslashes and newlines round-trip", () => {
    const summaries = parseStrictly(ics).map((event) => event.summary);
    assert.ok(summaries.includes("On call: Payments primary — Zoë 日本語 ✓"));
    assert.ok(summaries.includes('On call: Payments primary — Bo; "the" \\ backup, again'));
    const described = parseStrictly(ics).find((event) => event.description);
    assert.equal(
      described?.description,
      "Covering for Ana.\nHandoff notes: https://oncall.example.net/schedules/42",
    );
    assert.ok(ics.includes('Bo\\; "the" \\\\ backup\\, again'));
  });

  it("folds every physical line to at most 75 octets, CRLF only, never splitting a UTF-8 sequence", () => {
    const long = renderShiftCalendar(
      feed({
        calendarName: "Ünïcödé ".repeat(30),
        shifts: [shift({ userName: "日本語✓é😀".repeat(20), scheduleName: "a,b;c\\d".repeat(15) })],
      }),
    );
    assert.equal(/(^|[^\r])\n/.test(long), false, "no bare LF");
    assert.equal(/\r(?!\n)/.test(long), false, "no bare CR");
    let folded = 0;
    for (const line of physicalLines(long)) {
      const lineBytes = Buffer.from(line, "utf8");
      assert.ok(lineBytes.length <= 75, `${lineBytes.length} octets: ${line}`);
      // A fatal decoder throws on a sequence cut in two by a fold.
      assert.doesNotThrow(() => new TextDecoder("utf-8", { fatal: true }).decode(lineBytes));
      if (line.startsWith(" ")) folded += 1;
    }
    assert.ok(folded > 10, "the long lines were folded");
    const [event] = parseStrictly(long);
    assert.equal(event?.summary, `On call: ${"a,b;c\\d".repeat(15)} — ${"日本語✓é😀".repeat(20)}`);
  });

  it("keeps UIDs stable across two renders at different times; only DTSTAMP changes", () => {
    const later = renderShiftCalendar(feed({ generatedAtMs: GENERATED_AT + 3 * HOUR + 17 }));
    const uids = (text: string) => parseStrictly(text).map((event) => event.uid);
    assert.deepEqual(uids(later), uids(ics));
    assert.equal(new Set(uids(ics)).size, 3);
    assert.equal(later.replaceAll("DTSTAMP:20250302T123000Z", "DTSTAMP:20250302T093000Z"), ics);
  });

  it("writes DTSTAMP in UTC form from generatedAtMs", () => {
    const stamps = ics.match(/^DTSTAMP:[^\r]*/gm) ?? [];
    assert.equal(stamps.length, 3);
    for (const stamp of stamps) assert.equal(stamp, "DTSTAMP:20250302T093000Z");
    for (const event of parseStrictly(ics)) {
      assert.equal(event.dtstamp.zone, ICAL.Timezone.utcTimezone);
      assert.equal(event.dtstamp.toUnixTime() * 1000, GENERATED_AT);
    }
  });

  it("leaves out shifts with no length, and renders an empty calendar when there are none", () => {
    const empty = renderShiftCalendar(
      feed({ shifts: [shift({ endMs: MONDAY }), shift({ endMs: MONDAY - 1 })] }),
    );
    assert.deepEqual(parseStrictly(empty), []);
    assert.equal(empty.includes("BEGIN:VEVENT"), false);
  });

  it("writes SEQUENCE only when the caller gives one", () => {
    assert.equal(ics.includes("SEQUENCE"), false);
    const bumped = renderShiftCalendar(feed({ shifts: [shift({ sequence: 3 })] }));
    assert.ok(bumped.includes("\r\nSEQUENCE:3\r\n"));
  });
});

describe("shiftUid", () => {
  const base = shift();
  const uid = shiftUid("schedule:42", base);
  const differing: Array<[what: string, calendarId: string, changed: CalendarShift]> = [
    ["another feed", "user:u-ana", base],
    ["another person", "schedule:42", shift({ userId: "u-bo" })],
    ["another start", "schedule:42", shift({ startMs: MONDAY + 1000 })],
    ["another layer", "schedule:42", shift({ layerId: "layer-2" })],
    ["an override", "schedule:42", shift({ layerId: null, overrideId: "layer-1" })],
  ];
  for (const [what, calendarId, changed] of differing) {
    it(`differs for ${what}`, () => assert.notEqual(shiftUid(calendarId, changed), uid));
  }
  it("does not depend on the end, the names or the description", () => {
    assert.equal(
      shiftUid("schedule:42", shift({ endMs: MONDAY + HOUR, userName: "x", description: "y" })),
      uid,
    );
  });
  it("is globally unique in form: hash, start and a domain", () => {
    assert.match(uid, /^[0-9a-f]{16}-1740988800000@firebreak$/);
  });
});

describe("formatUtcDateTime", () => {
  const cases: Array<[ms: number, text: string]> = [
    [Date.UTC(1997, 6, 14, 17, 30, 0), "19970714T173000Z"],
    [Date.UTC(2025, 0, 1, 0, 0, 0), "20250101T000000Z"],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 999), "20240229T235959Z"],
  ];
  for (const [ms, text] of cases) it(`${ms} → ${text}`, () => assert.equal(formatUtcDateTime(ms), text));
});

describe("escapeText", () => {
  const cases: Array<[input: string, escaped: string]> = [
    ["plain", "plain"],
    ["a,b", "a\\,b"],
    ["a;b", "a\\;b"],
    ["a\\b", "a\\\\b"],
    ["line1\nline2", "line1\\nline2"],
    ["line1\r\nline2\rline3", "line1\\nline2\\nline3"],
    ['colon: and "quotes"', 'colon: and "quotes"'],
    ["tab\tkept, bell\u0007 dropped", "tab\tkept\\, bell dropped"],
    ["Zoë 日本語 ✓", "Zoë 日本語 ✓"],
  ];
  for (const [input, escaped] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(escaped)}`, () =>
      assert.equal(escapeText(input), escaped));
  }
});

describe("foldLine", () => {
  const cases: Array<[what: string, line: string, physical: string[]]> = [
    ["a short line", "SUMMARY:x", ["SUMMARY:x"]],
    ["exactly 75 octets", "X".repeat(75), ["X".repeat(75)]],
    ["76 octets", "X".repeat(76), ["X".repeat(75), " X"]],
    [
      "a long line, continuations 1 + 74 octets",
      "Y".repeat(75 + 74 + 3),
      ["Y".repeat(75), ` ${"Y".repeat(74)}`, " YYY"],
    ],
    // 73 ASCII + "é" (2 octets) = 75 fits; 74 ASCII + "é" would be 76, so "é" moves whole.
    ["a 2-octet character ending at 75", `${"a".repeat(73)}é`, [`${"a".repeat(73)}é`]],
    ["a 2-octet character across 75", `${"a".repeat(74)}é`, ["a".repeat(74), " é"]],
    ["a 3-octet character across 75", `${"a".repeat(73)}日`, ["a".repeat(73), " 日"]],
    ["a 4-octet character across 75", `${"a".repeat(72)}😀`, ["a".repeat(72), " 😀"]],
  ];
  for (const [what, line, physical] of cases) {
    it(what, () => assert.equal(foldLine(line), `${physical.join("\r\n")}\r\n`));
  }
});
