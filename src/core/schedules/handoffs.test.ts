import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseClockTime } from "./civil-time.js";
import { handoffAt, handoffsBetween, nextHandoff, nextWeeklyInstant } from "./handoffs.js";
import type { Layer, Override, Schedule, TimeWindow } from "./schedule.js";
import { formatLocalAt } from "./zoned-time.js";

/** The fixed reference time: the rotation is in force from here. */
const REFERENCE_MS = Date.UTC(2025, 0, 1);
const utc = (iso: string) => Date.parse(iso);
const BERLIN = "Europe/Berlin";

/** Ann and Bob take turns daily at 09:00 Berlin from Monday 6 January 2025 (08:00Z in winter). */
const daily = (restrictions: TimeWindow[] = []): Layer => ({
  id: "daily",
  name: "Daily",
  priority: 1,
  source: "rotation",
  versions: [
    {
      effectiveFromMs: REFERENCE_MS,
      effectiveUntilMs: null,
      memberIds: ["ann", "bob"],
      shiftLength: 1,
      shiftUnit: "days",
      startLocal: "2025-01-06T09:00",
      restrictions,
    },
  ],
});

const override = (id: string, userId: string, from: string, to: string): Override => ({
  id,
  userId,
  startMs: utc(from),
  endMs: utc(to),
  replacesUserId: null,
  createdAtMs: REFERENCE_MS,
});

const schedule = (overrides: Override[] = [], restrictions: TimeWindow[] = []): Schedule => ({
  id: "s",
  name: "Primary",
  timeZone: BERLIN,
  layers: [daily(restrictions)],
  overrides,
});

/** Handoffs as "local time: from → to" in Berlin, for readable expectations. */
const readable = (handoffs: ReturnType<typeof handoffsBetween>) =>
  handoffs.map((h) => `${formatLocalAt(h.atMs, BERLIN)}: ${h.fromUserId ?? "-"} → ${h.toUserId ?? "-"}`);

describe("handoffsBetween: where the person on call changes", () => {
  const cases: Array<[string, Schedule, string, string, string[]]> = [
    [
      "a daily rotation hands off at 09:00 each day",
      schedule(),
      "2025-01-06T09:00Z",
      "2025-01-09T08:00Z",
      ["2025-01-07T09:00: ann → bob", "2025-01-08T09:00: bob → ann", "2025-01-09T09:00: ann → bob"],
    ],
    [
      "the window is (after, until]: a handoff at `after` is not in it, one at `until` is",
      schedule(),
      "2025-01-07T08:00Z",
      "2025-01-08T08:00Z",
      ["2025-01-08T09:00: bob → ann"],
    ],
    [
      "an override moves the handoff and adds two where it sits inside a shift",
      schedule([
        override("o1", "bob", "2025-01-06T20:00Z", "2025-01-07T08:00Z"),
        override("o2", "cat", "2025-01-07T12:00Z", "2025-01-07T13:00Z"),
      ]),
      "2025-01-06T09:00Z",
      "2025-01-07T23:00Z",
      ["2025-01-06T21:00: ann → bob", "2025-01-07T13:00: bob → cat", "2025-01-07T14:00: cat → bob"],
    ],
    [
      "an override of the person already on is no handoff",
      schedule([override("o1", "ann", "2025-01-06T10:00Z", "2025-01-07T10:00Z")]),
      "2025-01-06T09:00Z",
      "2025-01-07T23:00Z",
      ["2025-01-07T11:00: ann → bob"],
    ],
    [
      "gaps: the outgoing hands off to nobody and the next comes on from nobody",
      schedule(
        [],
        [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: "09:00", endTime: "17:00" })),
      ),
      "2025-01-06T09:00Z",
      "2025-01-07T17:00Z",
      ["2025-01-06T17:00: ann → -", "2025-01-07T09:00: - → bob", "2025-01-07T17:00: bob → -"],
    ],
    ["an empty window has none", schedule(), "2025-01-07T08:00Z", "2025-01-07T08:00Z", []],
  ];
  for (const [title, s, after, until, expected] of cases) {
    it(title, () => assert.deepEqual(readable(handoffsBetween(s, utc(after), utc(until))), expected));
  }

  it("nextHandoff is the first of them, or null", () => {
    assert.equal(
      nextHandoff(schedule(), utc("2025-01-06T09:00Z"), utc("2025-01-09T00:00Z"))?.atMs,
      utc("2025-01-07T08:00Z"),
    );
    assert.equal(nextHandoff(schedule(), utc("2025-01-07T08:00Z"), utc("2025-01-08T07:59Z")), null);
  });
});

describe("handoffAt: the handoff at one instant, with what its notices say", () => {
  it("names both people and when the incoming one's unbroken time on call ends", () => {
    // Bob's own override runs on into his shift: his time on call is one stretch until Thursday 09:00.
    const s = schedule([override("o1", "bob", "2025-01-06T20:00Z", "2025-01-07T10:00Z")]);
    assert.deepEqual(handoffAt(s, utc("2025-01-06T20:00Z")), {
      atMs: utc("2025-01-06T20:00Z"),
      fromUserId: "ann",
      toUserId: "bob",
      toUntilMs: utc("2025-01-08T08:00Z"),
      toUntilIsHorizon: false,
      nextOnCallMs: null,
    });
  });

  it("is null where nobody changes (an edit moved the handoff away)", () => {
    const s = schedule([override("o1", "ann", "2025-01-07T07:00Z", "2025-01-07T09:00Z")]);
    assert.equal(handoffAt(s, utc("2025-01-07T08:00Z")), null);
    assert.equal(handoffAt(schedule(), utc("2025-01-07T07:00Z")), null);
  });

  it("into a gap: nobody comes on, and says when someone next does", () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: "09:00", endTime: "17:00" }));
    const detail = handoffAt(schedule([], weekdays), utc("2025-01-10T16:00Z"));
    assert.equal(detail?.toUserId, null);
    assert.equal(detail?.toUntilMs, null);
    assert.equal(detail?.nextOnCallMs, utc("2025-01-13T08:00Z"), "Monday 09:00 after the weekend");
  });

  it("cuts the incoming person's time at the horizon and says so", () => {
    const detail = handoffAt(schedule(), utc("2025-01-07T08:00Z"), 3_600_000);
    assert.equal(detail?.toUntilMs, utc("2025-01-07T09:00Z"));
    assert.equal(detail?.toUntilIsHorizon, true);
  });
});

describe("nextWeeklyInstant: Monday 09:00 on the schedule's wall clock", () => {
  const MONDAY = 1;
  const NINE = parseClockTime("09:00", false) as number;
  const cases: Array<[string, string, string, string]> = [
    ["Berlin, a Wednesday in winter", BERLIN, "2025-01-08T12:00Z", "2025-01-13T08:00Z"],
    ["Berlin, Monday before 09:00 is that day", BERLIN, "2025-01-13T07:59Z", "2025-01-13T08:00Z"],
    ["Berlin, Monday at 09:00 sharp is the next week", BERLIN, "2025-01-13T08:00Z", "2025-01-20T08:00Z"],
    ["Berlin, the week of the spring change (UTC+2 after)", BERLIN, "2025-03-27T12:00Z", "2025-03-31T07:00Z"],
    ["Berlin, the week of the autumn change (UTC+1 after)", BERLIN, "2025-10-23T12:00Z", "2025-10-27T08:00Z"],
    ["New York, across the spring change", "America/New_York", "2025-03-05T12:00Z", "2025-03-10T13:00Z"],
    [
      "Sydney, across the autumn change (AEST after)",
      "Australia/Sydney",
      "2025-04-02T00:00Z",
      "2025-04-06T23:00Z",
    ],
    ["UTC", "UTC", "2025-01-05T23:59Z", "2025-01-06T09:00Z"],
  ];
  for (const [title, zone, after, expected] of cases) {
    it(title, () =>
      assert.equal(
        new Date(nextWeeklyInstant(utc(after), zone, MONDAY, NINE)).toISOString(),
        new Date(utc(expected)).toISOString(),
      ),
    );
  }
});
