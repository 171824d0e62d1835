import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abandoned,
  admit,
  CLOSED,
  reachable,
  unreachable,
  type BreakerPolicy,
  type BreakerState,
} from "./receiver-breaker.js";

const POLICY: BreakerPolicy = {
  failuresToOpen: 3,
  firstOpenMs: 10_000,
  maxOpenMs: 40_000,
  trialTimeoutMs: 60_000,
};
const T0 = Date.parse("2026-12-05T03:00:00Z");

type Step =
  | { at: number; admit: true }
  | { at: number; admit: false; retryAt: number }
  | { at: number; report: "reachable" | "unreachable" | "abandoned" };

/** Runs the steps from CLOSED; each admission is checked against what the step expects. */
function play(steps: readonly Step[]): BreakerState {
  let state = CLOSED;
  for (const [i, step] of steps.entries()) {
    const now = T0 + step.at;
    if ("report" in step) {
      state =
        step.report === "reachable"
          ? reachable()
          : step.report === "unreachable"
            ? unreachable(state, now, POLICY)
            : abandoned(state, now);
      continue;
    }
    const admission = admit(state, now, POLICY);
    state = admission.state;
    assert.equal(admission.send, step.admit, `step ${i} at +${step.at} ms`);
    if (!step.admit && !admission.send)
      assert.equal(admission.retryAtMs, T0 + step.retryAt, `step ${i} retry time`);
  }
  return state;
}

const fail = (at: number): Step[] => [
  { at, admit: true },
  { at, report: "unreachable" },
];

describe("receiver breaker", () => {
  const cases: Array<[name: string, steps: Step[], mode: BreakerState["mode"]]> = [
    [
      "sends while failures stay below the threshold",
      [...fail(0), ...fail(1), { at: 2, admit: true }],
      "closed",
    ],
    [
      "an answer in between resets the count",
      [
        ...fail(0),
        ...fail(1),
        { at: 2, report: "reachable" },
        ...fail(3),
        ...fail(4),
        { at: 5, admit: true },
      ],
      "closed",
    ],
    [
      "opens after failuresToOpen in a row, and refuses until the open period ends",
      [
        ...fail(0),
        ...fail(1),
        ...fail(2),
        { at: 3, admit: false, retryAt: 10_002 },
        { at: 10_001, admit: false, retryAt: 10_002 },
      ],
      "open",
    ],
    [
      "lets one trial go once the period ends, and refuses the others meanwhile",
      [
        ...fail(0),
        ...fail(1),
        ...fail(2),
        { at: 10_002, admit: true },
        { at: 10_003, admit: false, retryAt: 20_003 },
      ],
      "trial",
    ],
    [
      "a trial that gets an answer closes it",
      [
        ...fail(0),
        ...fail(1),
        ...fail(2),
        { at: 10_002, admit: true },
        { at: 10_500, report: "reachable" },
        { at: 10_501, admit: true },
      ],
      "closed",
    ],
    [
      "a failed trial opens it for twice as long",
      [
        ...fail(0),
        ...fail(1),
        ...fail(2),
        { at: 10_002, admit: true },
        { at: 11_000, report: "unreachable" },
        { at: 30_999, admit: false, retryAt: 31_000 },
        { at: 31_000, admit: true },
      ],
      "trial",
    ],
    [
      "the open period stops doubling at maxOpenMs",
      [
        ...fail(0),
        ...fail(0),
        ...fail(0),
        { at: 10_000, admit: true },
        { at: 10_000, report: "unreachable" }, // 20 s
        { at: 30_000, admit: true },
        { at: 30_000, report: "unreachable" }, // 40 s
        { at: 70_000, admit: true },
        { at: 70_000, report: "unreachable" }, // 40 s, not 80
        { at: 109_999, admit: false, retryAt: 110_000 },
      ],
      "open",
    ],
    [
      "a send that went before it opened and then fails does not extend the period",
      [
        ...fail(0),
        ...fail(0),
        { at: 0, admit: true },
        ...fail(0),
        { at: 5_000, report: "unreachable" },
        { at: 9_999, admit: false, retryAt: 10_000 },
      ],
      "open",
    ],
    [
      "a straggler's answer while open closes it: the receiver is back",
      [
        ...fail(0),
        ...fail(0),
        { at: 0, admit: true },
        ...fail(0),
        { at: 2_000, report: "reachable" },
        { at: 2_001, admit: true },
      ],
      "closed",
    ],
    [
      "a trial whose caller gave up lets the next send try",
      [
        ...fail(0),
        ...fail(0),
        ...fail(0),
        { at: 10_000, admit: true },
        { at: 10_100, report: "abandoned" },
        { at: 10_101, admit: true },
      ],
      "trial",
    ],
    [
      "a trial that never reports is taken as lost after trialTimeoutMs",
      [
        ...fail(0),
        ...fail(0),
        ...fail(0),
        { at: 10_000, admit: true },
        { at: 69_999, admit: false, retryAt: 79_999 },
        { at: 70_000, admit: true },
      ],
      "trial",
    ],
  ];
  for (const [name, steps, mode] of cases) {
    it(name, () => assert.equal(play(steps).mode, mode));
  }
});
