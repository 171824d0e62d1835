import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Integration } from "../../core/alerts/records.js";
import { missedHeartbeatSummary } from "./heartbeats.js";

const REFERENCE_MS = Date.parse("2021-01-01T00:00:00Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const heartbeat = (over: Partial<Integration> = {}): Integration => ({
  id: "hb-1",
  serviceId: "svc-1",
  kind: "heartbeat",
  name: "nightly backup",
  key: "k",
  defaultLevel: "page",
  rateLimitPerMinute: 60,
  heartbeatIntervalSeconds: 300,
  heartbeatGraceSeconds: 60,
  lastCheckInAt: new Date(REFERENCE_MS),
  disabledAt: null,
  createdAt: new Date(REFERENCE_MS - 24 * HOUR),
  rotatedAt: null,
  ...over,
});

describe("a missed heartbeat's summary", () => {
  const cases: Array<[why: string, integration: Integration, afterMs: number, summary: string]> = [
    [
      "checked just after the deadline",
      heartbeat(),
      6 * MINUTE + 1,
      'Heartbeat "nightly backup" missed: no check-in for 6 minutes, expected every 5 minutes (1 minute overdue)',
    ],
    [
      "the engine came back an hour late: the real silence",
      heartbeat(),
      HOUR,
      'Heartbeat "nightly backup" missed: no check-in for 1 hour, expected every 5 minutes (55 minutes overdue)',
    ],
    [
      "a short interval and no grace, in seconds",
      heartbeat({ heartbeatIntervalSeconds: 30, heartbeatGraceSeconds: 0 }),
      30 * SECOND + 1,
      'Heartbeat "nightly backup" missed: no check-in for 30 seconds, expected every 30 seconds (due just now)',
    ],
    [
      "a daily job two days silent",
      heartbeat({ heartbeatIntervalSeconds: 86_400, heartbeatGraceSeconds: 3600 }),
      49 * HOUR,
      'Heartbeat "nightly backup" missed: no check-in for 2 days 1 hour, expected every 1 day (1 day 1 hour overdue)',
    ],
  ];
  for (const [why, integration, afterMs, summary] of cases) {
    it(why, () => {
      assert.equal(missedHeartbeatSummary(integration, new Date(REFERENCE_MS + afterMs)), summary);
    });
  }
});

describe("a missed heartbeat's summary after it was disabled and enabled again", () => {
  // Last check-in at REFERENCE; [clock started after it, checked after it, summary].
  const cases: Array<[why: string, clockFromMs: number, afterMs: number, summary: string]> = [
    [
      "disabled for half an hour: the time it was disabled is not overdue",
      34 * MINUTE,
      40 * MINUTE + 1,
      'Heartbeat "nightly backup" missed: no check-in for 40 minutes, expected every 5 minutes (enabled again 6 minutes ago; 1 minute overdue)',
    ],
    [
      "the clock ran from the last check-in itself",
      0,
      6 * MINUTE + 1,
      'Heartbeat "nightly backup" missed: no check-in for 6 minutes, expected every 5 minutes (1 minute overdue)',
    ],
    [
      "a timer kept from before a short disable ran first: the enable did not start its clock",
      2 * MINUTE,
      6 * MINUTE + 1,
      'Heartbeat "nightly backup" missed: no check-in for 6 minutes, expected every 5 minutes (1 minute overdue)',
    ],
  ];
  for (const [why, clockFromMs, afterMs, summary] of cases) {
    it(why, () => {
      const clockFrom = new Date(REFERENCE_MS + clockFromMs);
      assert.equal(missedHeartbeatSummary(heartbeat(), new Date(REFERENCE_MS + afterMs), clockFrom), summary);
    });
  }
});
