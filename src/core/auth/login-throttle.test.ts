import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkThrottle, recordFailure, type ThrottleEntry } from "./login-throttle.js";

const POLICY = { maxFailures: 3, windowMs: 60_000 };
const T0 = Date.parse("2021-01-01T00:00:00Z");

describe("login throttle", () => {
  const cases: Array<{
    name: string;
    entry: ThrottleEntry | undefined;
    nowMs: number;
    allowed: boolean;
    retryAfterSeconds?: number;
  }> = [
    { name: "no failures yet", entry: undefined, nowMs: T0, allowed: true },
    { name: "below the limit", entry: { windowStartMs: T0, failures: 2 }, nowMs: T0 + 1_000, allowed: true },
    {
      name: "at the limit, inside the window",
      entry: { windowStartMs: T0, failures: 3 },
      nowMs: T0 + 1_000,
      allowed: false,
      retryAfterSeconds: 59,
    },
    {
      name: "at the limit, a moment before the window ends",
      entry: { windowStartMs: T0, failures: 3 },
      nowMs: T0 + 59_999,
      allowed: false,
      retryAfterSeconds: 1,
    },
    {
      name: "at the limit, the window has passed",
      entry: { windowStartMs: T0, failures: 3 },
      nowMs: T0 + 60_000,
      allowed: true,
    },
  ];
  for (const c of cases) {
    it(`decides: ${c.name}`, () => {
      const decision = checkThrottle(c.entry, POLICY, c.nowMs);
      assert.equal(decision.allowed, c.allowed);
      if (!decision.allowed) assert.equal(decision.retryAfterSeconds, c.retryAfterSeconds);
    });
  }

  it("counts failures within a window and starts a new window after it", () => {
    let entry = recordFailure(undefined, POLICY, T0);
    entry = recordFailure(entry, POLICY, T0 + 10_000);
    assert.deepEqual(entry, { windowStartMs: T0, failures: 2 });
    entry = recordFailure(entry, POLICY, T0 + 60_000);
    assert.deepEqual(entry, { windowStartMs: T0 + 60_000, failures: 1 });
  });
});
