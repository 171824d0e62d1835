import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import {
  checkWatchMinutes,
  decideWatch,
  startWatch,
  type WatchEndFacts,
  type WatchInput,
} from "./post-fix-watch.js";

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

describe("decideWatch at the window's end: is it really quiet?", () => {
  const facts = (over: Partial<WatchEndFacts> = {}): WatchEndFacts => ({
    stillFiring: { count: 0, firstSummary: null },
    serviceName: "checkout",
    otherIncidents: [],
    ...over,
  });
  const firing = (count: number, firstSummary: string | null = "CheckoutDown on checkout") => ({
    stillFiring: { count, firstSummary },
  });
  const opened = (...incidents: Array<[number, number]>) => ({
    otherIncidents: incidents.map(([number, openedAtMs]) => ({ number, openedAtMs })),
  });
  // [name, facts, now, outcome, the timeline's messages]
  const cases: Array<[string, Partial<WatchEndFacts>, number, string, string[]]> = [
    [
      "nothing firing, no other incident",
      {},
      END,
      "quiet",
      ["No alert in the 30 min after fix #3: resolve the incident if it is over"],
    ],
    [
      "the incident's alert still firing",
      firing(1),
      END,
      "not-over",
      ['Alert "CheckoutDown on checkout" still firing 30 min after fix #3: the fix has not worked yet'],
    ],
    [
      "three alerts still firing",
      firing(3),
      END + 5 * MIN,
      "not-over",
      [
        '3 alerts ("CheckoutDown on checkout" and 2 more) still firing 30 min after fix #3: the fix has not worked yet',
      ],
    ],
    [
      "an alert firing but none could be named",
      firing(2, null),
      END,
      "not-over",
      ["2 alerts still firing 30 min after fix #3: the fix has not worked yet"],
    ],
    ["still firing, but the window is not over", firing(1), END - 1, "watching", []],
    [
      "another incident of the service opened during the watch",
      opened([4, T0 + 10 * MIN]),
      END,
      "not-over",
      ["INC-4 opened on checkout during the watch after fix #3: possibly a regression"],
    ],
    [
      "one opened the instant the watch started counts; one at the end does not",
      opened([4, T0], [5, END]),
      END,
      "not-over",
      ["INC-4 opened on checkout during the watch after fix #3: possibly a regression"],
    ],
    [
      "incidents opened before the fix or after the window",
      opened([2, T0 - 1], [6, END + MIN]),
      END + 2 * MIN,
      "quiet",
      ["No alert in the 30 min after fix #3: resolve the incident if it is over"],
    ],
    [
      "two incidents, named in order",
      opened([7, T0 + 20 * MIN], [5, T0 + MIN]),
      END,
      "not-over",
      ["INC-5 and INC-7 opened on checkout during the watch after fix #3: possibly a regression"],
    ],
    [
      "a storm of incidents: the first three named, the rest counted",
      opened([5, T0 + MIN], [6, T0 + MIN], [7, T0 + MIN], [8, T0 + MIN], [9, T0 + MIN]),
      END,
      "not-over",
      [
        "INC-5, INC-6, INC-7 and 2 more opened on checkout during the watch after fix #3: possibly a regression",
      ],
    ],
    [
      "both: still firing and another incident",
      { ...firing(1), ...opened([4, T0 + MIN]) },
      END,
      "not-over",
      [
        'Alert "CheckoutDown on checkout" still firing 30 min after fix #3: the fix has not worked yet',
        "INC-4 opened on checkout during the watch after fix #3: possibly a regression",
      ],
    ],
  ];
  for (const [name, over, nowMs, outcome, messages] of cases) {
    it(`${name}: ${outcome}`, () => {
      const decision = decideWatch(input({ nowMs, atEnd: facts(over) }));
      assert.equal(decision.outcome, outcome);
      assert.deepEqual("timeline" in decision ? decision.timeline.map((e) => e.message) : [], messages);
    });
  }
  it("an alert of the incident inside the window is still a regression, whatever else is seen", () =>
    assert.equal(
      decideWatch(
        input({
          alertFiredAtMs: T0 + 5 * MIN,
          nowMs: END,
          atEnd: facts({ ...firing(1), ...opened([4, T0 + MIN]) }),
        }),
      ).outcome,
      "regression",
    ));
  it("not over: the headline for the handler, the counts, and no invitation to resolve", () => {
    const decision = decideWatch(input({ nowMs: END, atEnd: facts({ ...firing(1), ...opened([4, T0]) }) }));
    assert.deepEqual(decision, {
      outcome: "not-over",
      fixNumber: 3,
      headline:
        'alert "CheckoutDown on checkout" still firing 30 min after fix #3: the fix has not worked yet',
      stillFiringCount: 1,
      openedDuringWatch: [4],
      timeline: [
        {
          kind: "watch.still-firing",
          message:
            'Alert "CheckoutDown on checkout" still firing 30 min after fix #3: the fix has not worked yet',
          data: { fixNumber: 3, watchMinutes: 30, firingAlerts: 1 },
        },
        {
          kind: "watch.possible-regression",
          message: "INC-4 opened on checkout during the watch after fix #3: possibly a regression",
          data: { fixNumber: 3, incidentNumbers: [4] },
        },
      ],
    });
    assert.ok(!("promptHandlerToResolve" in decision));
  });
  it("only another incident: the headline names it", () => {
    const decision = decideWatch(input({ nowMs: END, atEnd: facts(opened([4, T0])) }));
    assert.equal(
      decision.outcome === "not-over" && decision.headline,
      "INC-4 opened on checkout during the watch after fix #3: possibly a regression",
    );
  });
  it("a long alert summary is cut short", () => {
    const decision = decideWatch(input({ nowMs: END, atEnd: facts(firing(1, "x".repeat(200))) }));
    assert.match(decision.outcome === "not-over" ? decision.headline : "", /^alert "x{79}…" still firing/);
  });
  it("refuses bad facts, naming the fields", () =>
    assert.throws(
      () =>
        decideWatch(
          input({
            nowMs: END,
            atEnd: facts({ stillFiring: { count: -1, firstSummary: null }, ...opened([4, -5]) }),
          }),
        ),
      (err: unknown) =>
        err instanceof AppError &&
        /stillFiring\.count/.test(err.message) &&
        /otherIncidents\[0\]\.openedAtMs/.test(err.message),
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
