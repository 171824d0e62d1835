import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import { checkWatchMinutes, decideWatch, startWatch, type WatchInput } from "./post-fix-watch.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const MIN = 60_000;
const END = T0 + 30 * MIN;
const input = (over: Partial<WatchInput> = {}): WatchInput => ({
  watchStartedAtMs: T0,
  watchMinutes: 30,
  fixNumber: 3,
  alertFiredAtMs: null,
  nowMs: T0 + 10 * MIN,
  ...over,
});

describe("decideWatch", () => {
  // The window is [T0, T0 + 30 min).
  const cases: Array<[string, number | null, number, "regression" | "quiet" | "watching"]> = [
    ["no alert yet, inside the window", null, T0 + 10 * MIN, "watching"],
    ["no alert, the instant the watch starts", null, T0, "watching"],
    ["no alert, one ms before the end", null, END - 1, "watching"],
    ["no alert, exactly at the end", null, END, "quiet"],
    ["no alert, checked late", null, END + 5 * MIN, "quiet"],
    ["an alert the instant the watch starts", T0, T0, "regression"],
    ["an alert inside the window", T0 + 12 * MIN, T0 + 12 * MIN, "regression"],
    ["an alert one ms before the end", END - 1, END - 1, "regression"],
    ["an alert inside the window, checked late", T0 + 29 * MIN, END + 10 * MIN, "regression"],
    ["an alert exactly at the end is after the window", END, END, "quiet"],
    ["an alert after the window", END + MIN, END + MIN, "quiet"],
    ["an alert from before the fix was deployed", T0 - 1, T0 + 5 * MIN, "watching"],
    ["an alert from before the fix, window over", T0 - MIN, END, "quiet"],
  ];
  for (const [name, alertFiredAtMs, nowMs, outcome] of cases) {
    it(`${name}: ${outcome}`, () =>
      assert.equal(decideWatch(input({ alertFiredAtMs, nowMs })).outcome, outcome));
  }
  it("a regression names the fix, goes back to investigating and pages again", () => {
    const decision = decideWatch(input({ alertFiredAtMs: T0 + 12 * MIN, nowMs: T0 + 12 * MIN }));
    assert.deepEqual(decision, {
      outcome: "regression",
      fixNumber: 3,
      alertFiredAtMs: T0 + 12 * MIN,
      phase: "investigating",
      repage: true,
      timeline: [
        {
          kind: "fix.regression",
          message: "Regression after fix #3: an alert fired 12 min into the 30-min watch",
          data: { fixNumber: 3, alertFiredAtMs: T0 + 12 * MIN, watchMinutes: 30 },
        },
      ],
    });
  });
  it("a quiet window asks the handler to resolve", () => {
    const decision = decideWatch(input({ nowMs: END }));
    assert.equal(decision.outcome, "quiet");
    if (decision.outcome !== "quiet") return;
    assert.equal(decision.promptHandlerToResolve, true);
    assert.equal(
      decision.timeline[0]?.message,
      "No alert in the 30 min after fix #3: resolve the incident if it is over",
    );
  });
  it("still watching says until when", () =>
    assert.deepEqual(decideWatch(input()), { outcome: "watching", fixNumber: 3, untilMs: END }));
  it("a service's own watch length moves the boundary", () => {
    assert.equal(decideWatch(input({ watchMinutes: 60, nowMs: END })).outcome, "watching");
    assert.equal(
      decideWatch(input({ watchMinutes: 60, alertFiredAtMs: END + MIN, nowMs: END + MIN })).outcome,
      "regression",
    );
    assert.equal(decideWatch(input({ watchMinutes: 10, nowMs: T0 + 10 * MIN })).outcome, "quiet");
  });
  it("refuses bad input, naming the fields", () =>
    assert.throws(
      () => decideWatch(input({ watchMinutes: 0, nowMs: -1 })),
      (err: unknown) =>
        err instanceof AppError && err.code === "VALIDATION" && /watchMinutes/.test(err.message),
    ));
});

describe("startWatch and checkWatchMinutes", () => {
  it("ends watchMinutes after the deploy, 30 by default", () => {
    assert.deepEqual(startWatch(1, T0), { fixNumber: 1, startedAtMs: T0, watchMinutes: 30, endsAtMs: END });
    assert.equal(startWatch(1, T0, 90).endsAtMs, T0 + 90 * MIN);
  });
  const minutes: Array<[unknown, boolean]> = [
    [1, true],
    [30, true],
    [1440, true],
    [0, false],
    [1441, false],
    [2.5, false],
    ["30", false],
  ];
  for (const [value, ok] of minutes) {
    it(`${JSON.stringify(value)} minutes: ${ok ? "accepted" : "refused"}`, () =>
      assert.equal(checkWatchMinutes(value).length === 0, ok));
  }
});
