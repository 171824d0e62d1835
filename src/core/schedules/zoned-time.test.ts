import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AppError } from "../errors.js";
import { formatLocalDateTime, parseLocalDateTime } from "./civil-time.js";
import { instantOfLocal, localDateTimeAt, skippedLocalTime, zoneRules } from "./zoned-time.js";

const utc = (iso: string) => Date.parse(iso);

describe("instantOfLocal", () => {
  const cases: Array<[why: string, local: string, zone: string, instant: string]> = [
    ["New York, winter", "2025-01-15T09:00", "America/New_York", "2025-01-15T14:00:00Z"],
    [
      "New York, the minute before spring forward",
      "2025-03-09T01:59",
      "America/New_York",
      "2025-03-09T06:59:00Z",
    ],
    ["New York, 02:30 is skipped: the jump", "2025-03-09T02:30", "America/New_York", "2025-03-09T07:00:00Z"],
    ["New York, 02:00 is skipped too", "2025-03-09T02:00", "America/New_York", "2025-03-09T07:00:00Z"],
    ["New York, 03:00 after the jump", "2025-03-09T03:00", "America/New_York", "2025-03-09T07:00:00Z"],
    [
      "New York, 01:30 twice: the first (EDT)",
      "2025-11-02T01:30",
      "America/New_York",
      "2025-11-02T05:30:00Z",
    ],
    [
      "New York, 02:00 after falling back (EST)",
      "2025-11-02T02:00",
      "America/New_York",
      "2025-11-02T07:00:00Z",
    ],
    ["Berlin, 02:30 skipped", "2025-03-30T02:30", "Europe/Berlin", "2025-03-30T01:00:00Z"],
    ["Berlin, 02:30 twice: the first (CEST)", "2025-10-26T02:30", "Europe/Berlin", "2025-10-26T00:30:00Z"],
    ["Berlin, 03:00 after falling back (CET)", "2025-10-26T03:00", "Europe/Berlin", "2025-10-26T02:00:00Z"],
    ["Sydney, 02:30 skipped in October", "2025-10-05T02:30", "Australia/Sydney", "2025-10-04T16:00:00Z"],
    [
      "Sydney, 02:30 twice in April: the first (AEDT)",
      "2025-04-06T02:30",
      "Australia/Sydney",
      "2025-04-05T15:30:00Z",
    ],
    [
      "Sydney, 03:00 after falling back (AEST)",
      "2025-04-06T03:00",
      "Australia/Sydney",
      "2025-04-05T17:00:00Z",
    ],
    [
      "Lord Howe falls back half an hour: first 01:45",
      "2025-04-06T01:45",
      "Australia/Lord_Howe",
      "2025-04-05T14:45:00Z",
    ],
    ["Kolkata, a half-hour offset", "2025-06-01T12:00", "Asia/Kolkata", "2025-06-01T06:30:00Z"],
    ["Samoa skipped 30 December 2011 whole", "2011-12-30T12:00", "Pacific/Apia", "2011-12-30T10:00:00Z"],
    ["a leap day", "2024-02-29T23:59", "UTC", "2024-02-29T23:59:00Z"],
  ];
  for (const [why, local, zone, instant] of cases) {
    it(why, () =>
      assert.equal(new Date(instantOfLocal(local, zone)).toISOString(), new Date(instant).toISOString()),
    );
  }

  for (const bad of [
    "2025-02-29T09:00",
    "2025-13-01T09:00",
    "2025-01-01T24:00",
    "2025-01-01 09:00",
    "2025-1-1T9:00",
    "",
  ]) {
    it(`refuses ${JSON.stringify(bad)} as a VALIDATION error`, () =>
      assert.throws(
        () => instantOfLocal(bad, "UTC"),
        (error: unknown) => error instanceof AppError && error.code === "VALIDATION",
      ));
  }

  it("refuses an unknown zone as a VALIDATION error naming /timeZone", () =>
    assert.throws(
      () => instantOfLocal("2025-01-01T00:00", "Mars/Olympus_Mons"),
      (error: unknown) =>
        error instanceof AppError && error.code === "VALIDATION" && error.fields[0]?.path === "/timeZone",
    ));
});

describe("skippedLocalTime", () => {
  const local = (text: string) => parseLocalDateTime(text) as number;
  it("names the jump around a time spring-forward skipped", () => {
    assert.deepEqual(skippedLocalTime(local("2027-03-28T02:30"), "Europe/Berlin"), {
      jumpFrom: "2027-03-28T02:00",
      jumpTo: "2027-03-28T03:00",
    });
    assert.deepEqual(skippedLocalTime(local("2027-03-14T02:00"), "America/New_York"), {
      jumpFrom: "2027-03-14T02:00",
      jumpTo: "2027-03-14T03:00",
    });
  });
  it("leaves times that exist alone: either side of the jump, and a repeated hour", () => {
    for (const [text, zone] of [
      ["2027-03-28T01:59", "Europe/Berlin"],
      ["2027-03-28T03:00", "Europe/Berlin"],
      ["2026-10-25T02:30", "Europe/Berlin"],
      ["2027-03-14T03:00", "America/New_York"],
      ["2027-03-28T02:30", "UTC"],
    ] as const)
      assert.equal(skippedLocalTime(local(text), zone), null, `${text} ${zone}`);
  });
});

describe("localDateTimeAt", () => {
  const cases: Array<[why: string, instant: string, zone: string, local: string, weekday: number]> = [
    [
      "New York, first 01:30 of the fall-back night",
      "2025-11-02T05:30:00Z",
      "America/New_York",
      "2025-11-02T01:30",
      0,
    ],
    ["New York, second 01:30", "2025-11-02T06:30:00Z", "America/New_York", "2025-11-02T01:30", 0],
    ["New York, the jump lands on 03:00", "2025-03-09T07:00:00Z", "America/New_York", "2025-03-09T03:00", 0],
    ["Berlin, the jump lands on 03:00", "2025-03-30T01:00:00Z", "Europe/Berlin", "2025-03-30T03:00", 0],
    ["Berlin, second 02:30", "2025-10-26T01:30:00Z", "Europe/Berlin", "2025-10-26T02:30", 0],
    ["Sydney, second 02:30", "2025-04-05T16:30:00Z", "Australia/Sydney", "2025-04-06T02:30", 0],
    ["Sydney, the day before in UTC", "2025-10-04T16:00:00Z", "Australia/Sydney", "2025-10-05T03:00", 0],
    ["Kolkata on New Year", "2025-01-01T00:00:00Z", "Asia/Kolkata", "2025-01-01T05:30", 3],
    ["Chatham, +13:45", "2025-01-01T00:00:00Z", "Pacific/Chatham", "2025-01-01T13:45", 3],
    ["a Saturday in UTC", "2025-03-01T23:59:59Z", "UTC", "2025-03-01T23:59", 6],
  ];
  for (const [why, instant, zone, local, weekday] of cases) {
    it(why, () => {
      const wall = localDateTimeAt(utc(instant), zone);
      const text = `${wall.year}-${String(wall.month).padStart(2, "0")}-${String(wall.day).padStart(2, "0")}T${String(wall.hour).padStart(2, "0")}:${String(wall.minute).padStart(2, "0")}`;
      assert.equal(text, local);
      assert.equal(wall.weekday, weekday);
    });
  }
});

const ZONES = [
  "America/New_York",
  "Europe/Berlin",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "America/Sao_Paulo",
  "Pacific/Apia",
];
const instants = fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2040-01-01T00:00:00Z") });

describe("zone conversions (properties)", () => {
  it("the wall clock agrees with a fresh Intl formatter at any instant", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instants, (zone, atMs) => {
        const intl = new Intl.DateTimeFormat("en-CA", {
          timeZone: zone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
          weekday: "short",
          hourCycle: "h23",
        });
        const parts = Object.fromEntries(intl.formatToParts(atMs).map((p) => [p.type, p.value]));
        const wall = localDateTimeAt(atMs, zone);
        assert.deepEqual(
          [wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.weekday],
          [
            Number(parts.year),
            Number(parts.month),
            Number(parts.day),
            Number(parts.hour),
            Number(parts.minute),
            ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? ""),
          ],
        );
      }),
      { numRuns: 500 },
    );
  });

  it("a local time maps to its first occurrence, or to the jump when it is skipped", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instants, (zone, atMs) => {
        const local = formatLocalDateTime(parseLocalDateTime(formatLocal(atMs, zone)) ?? NaN);
        const instant = instantOfLocal(local, zone);
        const rules = zoneRules(zone);
        if (formatLocal(instant, zone) === local) {
          // It occurs: no earlier instant (within the largest change, a day) shows the same wall clock.
          for (let earlier = instant - 60_000; earlier > instant - 86_400_000; earlier -= 15 * 60_000)
            assert.notEqual(formatLocal(earlier, zone), local);
        } else {
          // Skipped: the offset changes at exactly that instant and the wall clock jumps over it.
          assert.notEqual(rules.offsetAt(instant - 1), rules.offsetAt(instant));
          assert.ok(formatLocal(instant - 1, zone) < local && local < formatLocal(instant, zone));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("positionAt orders instants exactly as instantOf orders local times, around every change", () => {
    // a <= positionAt(t) < b  ⇔  instantOf(a) <= t < instantOf(b): what the rotation maths relies on.
    const changes = ZONES.flatMap((zone) => {
      const rules = zoneRules(zone);
      const found: Array<[string, number]> = [];
      for (let day = utc("2010-01-01T00:00:00Z"); day < utc("2026-01-01T00:00:00Z"); day += 86_400_000)
        if (rules.offsetAt(day) !== rules.offsetAt(day + 86_400_000)) found.push([zone, day]);
      return found;
    });
    assert.ok(changes.length >= 100, `found ${changes.length} days with a change`);
    const minute = 60_000;
    fc.assert(
      fc.property(
        fc.constantFrom(...changes),
        // Local times from 15 h before the UTC day to 16 h after it: every zone's change falls inside.
        fc.integer({ min: -15 * 60, max: 40 * 60 }),
        fc.integer({ min: -15 * 60, max: 40 * 60 }),
        fc.integer({ min: -60, max: 25 * 60 }),
        ([zone, dayMs], a, b, t) => {
          const rules = zoneRules(zone);
          const atMs = dayMs + t * minute;
          const localA = dayMs + a * minute;
          const localB = dayMs + b * minute;
          const inLocal = localA <= rules.positionAt(atMs) && rules.positionAt(atMs) < localB;
          const inInstants = rules.instantOf(localA) <= atMs && atMs < rules.instantOf(localB);
          assert.equal(inLocal, inInstants);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

function formatLocal(atMs: number, zone: string): string {
  return formatLocalDateTime(zoneRules(zone).localMsAt(atMs));
}
