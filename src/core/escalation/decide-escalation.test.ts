import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  advanceEscalation,
  nextEscalation,
  startEscalation,
  type EscalationPosition,
} from "./decide-escalation.js";
import type { EscalationSnapshot } from "./policy.js";
import { checkEscalationPolicy } from "./policy.js";

const NOW = new Date("2021-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const snapshot = (repeatCount: number): EscalationSnapshot => ({
  policyId: "p1",
  policyName: "Primary",
  policyUpdatedAt: NOW.toISOString(),
  repeatCount,
  steps: [
    { delayMinutes: 5, targets: [{ kind: "user", userId: "ada" }] },
    {
      delayMinutes: 10,
      targets: [
        { kind: "user", userId: "bob" },
        { kind: "team", teamId: "db" },
      ],
    },
  ],
});

describe("escalation decisions", () => {
  it("starts at the first step and waits its delay", () => {
    assert.deepEqual(startEscalation(snapshot(0), NOW), {
      kind: "notify",
      position: { stepIndex: 0, loop: 0 },
      targets: [{ kind: "user", userId: "ada" }],
      nextAt: at(5),
    });
  });

  const table: Array<
    [
      name: string,
      repeat: number,
      from: EscalationPosition,
      expected: EscalationPosition | "exhausted",
      nextInMinutes?: number,
    ]
  > = [
    ["step 1 → step 2", 0, { stepIndex: 0, loop: 0 }, { stepIndex: 1, loop: 0 }, 10],
    ["last step, no repeats → done", 0, { stepIndex: 1, loop: 0 }, "exhausted"],
    ["last step, one repeat → round again", 1, { stepIndex: 1, loop: 0 }, { stepIndex: 0, loop: 1 }, 5],
    ["last step of the last round → done", 1, { stepIndex: 1, loop: 1 }, "exhausted"],
    ["second round, step 1 → step 2", 2, { stepIndex: 0, loop: 1 }, { stepIndex: 1, loop: 1 }, 10],
  ];
  for (const [name, repeat, from, expected, nextInMinutes] of table) {
    it(name, () => {
      const decision = advanceEscalation(snapshot(repeat), from, NOW);
      if (expected === "exhausted") assert.deepEqual(decision, { kind: "exhausted" });
      else {
        assert.equal(decision.kind, "notify");
        if (decision.kind === "notify") {
          assert.deepEqual(decision.position, expected);
          assert.deepEqual(decision.nextAt, at(nextInMinutes ?? 0));
        }
      }
    });
  }

  it("goes on from where the policy stands, or to step 1 when no step of it has run", () => {
    assert.deepEqual(nextEscalation(snapshot(0), { stepIndex: 0, loop: 0 }, NOW), {
      kind: "notify",
      position: { stepIndex: 1, loop: 0 },
      targets: snapshot(0).steps[1]!.targets,
      nextAt: at(10),
    });
    assert.deepEqual(nextEscalation(snapshot(0), null, NOW), startEscalation(snapshot(0), NOW));
  });

  it("a policy with no steps pages nobody", () => {
    assert.deepEqual(startEscalation({ ...snapshot(0), steps: [] }, NOW), { kind: "exhausted" });
  });

  it("names every problem of a policy", () => {
    const errors = checkEscalationPolicy({
      name: "",
      repeatCount: 12,
      steps: [{ delayMinutes: 0, targets: [] }],
    });
    assert.deepEqual(
      errors.map((e) => e.path),
      ["/name", "/repeatCount", "/steps/0/delayMinutes", "/steps/0/targets"],
    );
  });
});
