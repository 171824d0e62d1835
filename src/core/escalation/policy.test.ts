import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkEscalationPolicy, policyTargetsSchedule, targetId, type EscalationTarget } from "./policy.js";

describe("escalation targets", () => {
  const cases: Array<[EscalationTarget, string]> = [
    [{ kind: "user", userId: "ada" }, "ada"],
    [{ kind: "team", teamId: "db" }, "db"],
    [{ kind: "schedule", scheduleId: "primary" }, "primary"],
  ];
  for (const [target, id] of cases)
    it(`${target.kind} names ${id}`, () => assert.equal(targetId(target), id));

  it("a policy targets a schedule when any step names it", () => {
    const policy = {
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: "primary" } as const] },
        { delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: "primary" } as const] },
      ],
    };
    assert.equal(policyTargetsSchedule(policy, "primary"), true);
    assert.equal(policyTargetsSchedule(policy, "secondary"), false);
    assert.equal(
      policyTargetsSchedule({ steps: [policy.steps[0]!] }, "primary"),
      false,
      "a user id is not a schedule",
    );
  });

  it("names a target with an unknown kind or an empty id", () => {
    const errors = checkEscalationPolicy({
      name: "Primary",
      repeatCount: 0,
      steps: [
        {
          delayMinutes: 5,
          targets: [
            { kind: "schedule", scheduleId: "  " },
            { kind: "pager" } as unknown as EscalationTarget,
            { kind: "schedule", scheduleId: "primary" },
          ],
        },
      ],
    });
    assert.deepEqual(
      errors.map((e) => e.path),
      ["/steps/0/targets/0", "/steps/0/targets/1/kind"],
    );
  });
});
