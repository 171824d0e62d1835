import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Incident } from "../alerting-api";
import { nextPageText, whenText } from "./escalation-when";

const nowMs = Date.parse("2026-03-02T03:10:00.000Z");
const clockOf = (iso: string) => iso.slice(11, 16);

describe("when the escalation moves on, counted from now", () => {
  const cases: Array<[string, string]> = [
    ["2026-03-02T03:14:00.000Z", "03:14 (in 4 min)"],
    ["2026-03-02T03:13:30.000Z", "03:13 (in 4 min)"],
    ["2026-03-02T03:10:30.000Z", "03:10 (in under a minute)"],
    ["2026-03-02T03:10:00.000Z", "03:10 (overdue)"],
    ["2026-03-02T03:09:00.000Z", "03:09 (overdue)"],
  ];
  for (const [iso, expected] of cases)
    it(`${iso} → ${expected}`, () => assert.equal(whenText(iso, nowMs, clockOf), expected));
});

describe("the incident list's Next page cell", () => {
  const policy = {
    policyName: "Primary on-call",
    steps: [
      { delayMinutes: 5, targets: [] },
      { delayMinutes: 10, targets: [] },
    ],
    repeatCount: 1,
  } as unknown as NonNullable<Incident["escalation"]>;
  type Shown = Parameters<typeof nextPageText>[0]["incident"];
  const triggered: Shown = {
    state: "triggered",
    level: "page",
    escalation: policy,
    escalationStep: 0,
    escalationLoop: 0,
    assigneeIds: [],
  };
  const text = (over: Partial<Shown>, next: string | null | undefined = "2026-03-02T03:14:00.000Z") =>
    nextPageText({ incident: { ...triggered, ...over }, nextEscalationAt: next, nowMs, clockOf });

  it("names the step the timer pages and when", () => assert.equal(text({}), "step 2 at 03:14 (in 4 min)"));
  it("after a round's last step, step 1 of the next round", () =>
    assert.equal(text({ escalationStep: 1 }), "step 1 (round 2) at 03:14 (in 4 min)"));
  it("within a later round, says the round", () =>
    assert.equal(text({ escalationLoop: 1 }), "step 2 (round 2) at 03:14 (in 4 min)"));
  it("at the very last step, says it runs out instead of promising a page", () =>
    assert.equal(text({ escalationStep: 1, escalationLoop: 1 }), "runs out at 03:14 (in 4 min)"));
  it("after a reassignment, when the policy resumes", () =>
    assert.equal(text({ assigneeIds: ["u1"] }), "Primary on-call resumes at 03:14 (in 4 min)"));
  it("a late timer is overdue", () =>
    assert.equal(text({}, "2026-03-02T03:09:00.000Z"), "step 2 at 03:09 (overdue)"));
  it("nothing when acknowledged, resolved, without a policy, with nothing pending or from an older server", () => {
    assert.equal(text({ state: "acknowledged" }), null);
    assert.equal(text({ state: "resolved" }), null);
    assert.equal(text({ escalation: null }), null);
    assert.equal(text({}, null), null);
    assert.equal(nextPageText({ incident: triggered, nextEscalationAt: undefined, nowMs, clockOf }), null);
  });
  it("once every step was tried with nobody acknowledging, says nobody is paged any more", () => {
    const ranOut = { escalationStep: 1, escalationLoop: 1 };
    assert.equal(text(ranOut, null), "nobody is paged: every step was tried");
    assert.equal(text({ ...ranOut, level: "notify" }, null), null, "notify level never pages");
    assert.equal(text({ ...ranOut, assigneeIds: ["u1"] }, null), null);
    assert.equal(
      nextPageText({ incident: { ...triggered, ...ranOut }, nextEscalationAt: undefined, nowMs, clockOf }),
      null,
    );
  });
});
