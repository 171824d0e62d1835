import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  heartbeatCheckAt,
  heartbeatCheckOutcome,
  heartbeatDeadline,
  type HeartbeatCheckOutcome,
  type HeartbeatFacts,
} from "./heartbeat-rule.js";

const REFERENCE_MS = Date.parse("2021-01-01T00:00:00Z");
const MINUTE = 60_000;
const at = (ms: number) => new Date(REFERENCE_MS + ms);

const heartbeat = (over: Partial<HeartbeatFacts> = {}): HeartbeatFacts => ({
  kind: "heartbeat",
  heartbeatIntervalSeconds: 300,
  heartbeatGraceSeconds: 60,
  lastCheckInAt: at(0),
  disabledAt: null,
  ...over,
});

describe("a heartbeat's deadline", () => {
  const cases: Array<[why: string, facts: HeartbeatFacts, fromMs: number, deadlineMs: number]> = [
    ["interval + grace after the check-in it follows", heartbeat(), 0, 6 * MINUTE],
    ["no grace: the interval alone", heartbeat({ heartbeatGraceSeconds: 0 }), 0, 5 * MINUTE],
    ["counted from `from`, such as an enable", heartbeat(), 10 * MINUTE, 16 * MINUTE],
  ];
  for (const [why, facts, fromMs, deadlineMs] of cases) {
    it(why, () => assert.deepEqual(heartbeatDeadline(facts, at(fromMs)), at(deadlineMs)));
  }
});

describe("when a heartbeat's check timer runs", () => {
  const cases: Array<[why: string, facts: HeartbeatFacts, fromMs: number, runAtMs: number | null]> = [
    [
      "just after the deadline of its last check-in: a check-in at the deadline is on time",
      heartbeat(),
      0,
      6 * MINUTE + 1,
    ],
    ["never checked in (just created): no timer, it is waiting", heartbeat({ lastCheckInAt: null }), 0, null],
    [
      "never checked in, enabled again: still no timer",
      heartbeat({ lastCheckInAt: null }),
      30 * MINUTE,
      null,
    ],
    [
      "checked in once, enabled again later: a whole interval + grace from then",
      heartbeat(),
      30 * MINUTE,
      36 * MINUTE + 1,
    ],
    ["not a heartbeat: no timer", heartbeat({ kind: "webhook" }), 0, null],
  ];
  for (const [why, facts, fromMs, runAtMs] of cases) {
    it(why, () =>
      assert.deepEqual(heartbeatCheckAt(facts, at(fromMs)), runAtMs === null ? null : at(runAtMs)),
    );
  }
});

describe("what a heartbeat's check timer does", () => {
  const cases: Array<
    [
      why: string,
      facts: HeartbeatFacts | undefined,
      armedAfterMs: number | null,
      outcome: HeartbeatCheckOutcome,
    ]
  > = [
    ["no check-in since the one it was armed after: alert", heartbeat(), 0, "alert"],
    [
      "a check-in since: that one re-armed the timer",
      heartbeat({ lastCheckInAt: at(4 * MINUTE) }),
      0,
      "checked-in-since",
    ],
    // Timers armed at creation before heartbeats waited for their first check-in carry no check-in.
    [
      "armed at creation, still never checked in: waiting, no alert",
      heartbeat({ lastCheckInAt: null }),
      null,
      "waiting-for-first-check-in",
    ],
    [
      "armed at creation, checked in since: that check-in armed its own timer",
      heartbeat(),
      null,
      "checked-in-since",
    ],
    ["disabled: nothing", heartbeat({ disabledAt: at(MINUTE) }), 0, "disabled"],
    [
      "disabled and never checked in: nothing",
      heartbeat({ lastCheckInAt: null, disabledAt: at(MINUTE) }),
      null,
      "disabled",
    ],
    ["deleted: nothing", undefined, 0, "gone"],
    ["no longer a heartbeat: nothing", heartbeat({ kind: "webhook" }), 0, "gone"],
  ];
  for (const [why, facts, armedAfterMs, outcome] of cases) {
    const armedAfter = armedAfterMs === null ? null : at(armedAfterMs).getTime();
    it(why, () => assert.equal(heartbeatCheckOutcome(facts, armedAfter), outcome));
  }
});
