import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Incident, TimelineEntry } from "../alerting-api";
import { resolveConfirmText, statusPageNote } from "./incident-actions";
import { reopenedText, reopenNote } from "./incident-resolved";
import { escalationRanOut, escalationText } from "./incident-parts";

describe("what a resolved incident says a new alert does", () => {
  const resolvedAt = "2026-03-02T10:00:00.000Z";
  const at = (iso: string) => Date.parse(iso);

  it("with no reopen window: a new incident", () => {
    assert.equal(
      reopenNote({ reopenWindowMinutes: 0 }, resolvedAt, at("2026-03-02T10:01:00.000Z")),
      "This incident is resolved. A new alert for it opens a new incident: its service does not reopen resolved incidents.",
    );
  });

  it("within the window: reopens it until the window ends", () => {
    const note = reopenNote({ reopenWindowMinutes: 30 }, resolvedAt, at("2026-03-02T10:10:00.000Z"));
    assert.match(note, /^This incident is resolved\. A new alert for it until .+ reopens it/);
    assert.match(note, /\(the service's reopen window is 30 min\); after that, one opens a new incident\.$/);
  });

  it("after the window: a new incident, and why", () => {
    assert.equal(
      reopenNote({ reopenWindowMinutes: 30 }, resolvedAt, at("2026-03-02T10:30:00.000Z")),
      "This incident is resolved. A new alert for it opens a new incident: the service's 30-minute reopen window has passed.",
    );
  });

  it("without the service (not readable): no guess", () => {
    assert.equal(reopenNote(null, resolvedAt, at(resolvedAt)), "This incident is resolved.");
  });
});

describe("what resolving says about the status pages", () => {
  it("nothing when no status-page incident is open", () => assert.equal(statusPageNote([]), undefined));
  it("names the page, or the pages", () => {
    assert.equal(statusPageNote(["Acme"]), "The status page's incident is marked resolved too (Acme).");
    assert.equal(
      statusPageNote(["Acme", "Partners"]),
      "The status pages' incidents are marked resolved too (Acme, Partners).",
    );
  });
});

describe("what the Resolve confirmation says", () => {
  const base = { state: "acknowledged" as const, firingAlerts: 0, totalAlerts: 0, pagedByHand: false };

  it("a page by hand: no sender to fall silent, reopen it if it comes back", () => {
    const text = resolveConfirmText({
      ...base,
      state: "triggered",
      firingAlerts: 1,
      totalAlerts: 1,
      pagedByHand: true,
    });
    assert.equal(
      text,
      "Paging stops and the incident closes. It was opened by hand (Page someone): if the problem comes back, reopen it.",
    );
    assert.doesNotMatch(text, /sender/);
  });

  it("firing monitoring alerts: they are closed, and the sender may stay quiet", () => {
    assert.equal(
      resolveConfirmText({ ...base, firingAlerts: 2, totalAlerts: 3 }),
      "The incident closes. Its 2 firing alerts are marked resolved too; if the problem is still there, the sender may not alert again for hours.",
    );
  });

  it("alerts already resolved: says so, and promises no paging to stop once acknowledged", () => {
    assert.equal(
      resolveConfirmText({ ...base, totalAlerts: 3 }),
      "The incident closes. Its alerts have all resolved already.",
    );
    assert.equal(
      resolveConfirmText({ ...base, state: "triggered", totalAlerts: 1 }),
      "Paging stops and the incident closes. Its alert has resolved already.",
    );
  });
});

describe("what the Escalation field says", () => {
  const nowMs = Date.parse("2026-03-02T03:10:00.000Z");
  const policy = {
    policyId: "p",
    policyName: "Primary on-call",
    policyUpdatedAt: "2026-03-01T00:00:00.000Z",
    steps: [
      { delayMinutes: 5, targets: [] },
      { delayMinutes: 10, targets: [] },
    ],
    repeatCount: 0,
  } as unknown as NonNullable<Incident["escalation"]>;
  type Shown = Parameters<typeof escalationText>[0]["incident"];
  const incident: Shown = {
    state: "triggered",
    level: "page",
    escalation: policy,
    escalationStep: 0,
    escalationLoop: 0,
    assigneeIds: [],
  };
  const text = (over: Partial<Shown>, next: string | null, ranOut = false) =>
    escalationText({
      incident: { ...incident, ...over },
      nextEscalationAt: next,
      ranOut,
      nowMs,
      nameOf: (id) => ({ u1: "Alice", u2: "Bob" })[id] ?? "someone",
      clockOf: (iso) => iso.slice(11, 16),
    });

  it("says when the next step is paged", () => {
    assert.equal(
      text({}, "2026-03-02T03:14:00.000Z"),
      "Primary on-call, step 1 of 2 · next step at 03:14 (in 4 min)",
    );
  });

  it("at the last step, says when it runs out instead", () => {
    assert.equal(
      text({ escalationStep: 1 }, "2026-03-02T03:20:00.000Z"),
      "Primary on-call, step 2 of 2 · the last step: it runs out at 03:20 (in 10 min)",
    );
  });

  it("a late timer is overdue", () => {
    assert.match(text({}, "2026-03-02T03:09:00.000Z"), /next step at 03:09 \(overdue\)$/);
  });

  it("after Reassign: who is paged, and when the policy resumes, not a stale step", () => {
    assert.equal(
      text({ assigneeIds: ["u1", "u2"], escalationStep: 1 }, "2026-03-02T03:15:00.000Z"),
      "Reassigned to Alice, Bob · Primary on-call resumes at 03:15 (in 5 min)",
    );
  });

  it("run out, at notify level, acknowledged, resolved: no misleading 'ended'", () => {
    assert.equal(
      text({ escalationStep: 1 }, null, true),
      "Primary on-call: every step was tried and nobody acknowledged (see the timeline for whom each reached)",
    );
    assert.equal(
      text({ level: "notify" }, null),
      "Primary on-call: nobody is paged at notify level · Escalate pages step 1",
    );
    assert.equal(
      text({ state: "acknowledged" }, null),
      "Primary on-call, step 1 of 2 · stopped: acknowledged",
    );
    assert.equal(text({ state: "resolved" }, null), "Primary on-call · stopped: resolved");
    assert.equal(
      text({ escalation: null }, null),
      "None: nobody is paged (the service had no escalation policy when this opened)",
    );
    // Resolved, it says what happened: the service may have a policy by now.
    assert.equal(
      text({ escalation: null, state: "resolved" }, null),
      "None: nobody was paged (the service had no escalation policy when this opened)",
    );
  });
});

describe("whether the escalation ran out", () => {
  const entry = (kind: string, at: string) =>
    ({ id: `${kind}${at}`, kind, at, actor: null, message: "", data: {} }) as unknown as TimelineEntry;
  it("the last turn decides: run out, then reassigned is not run out", () => {
    const ranOut = [
      entry("escalation.started", "2026-03-02T03:00:00.000Z"),
      entry("incident.escalated", "2026-03-02T03:05:00.000Z"),
      entry("escalation.exhausted", "2026-03-02T03:05:00.000Z"),
    ];
    assert.equal(escalationRanOut(ranOut), true);
    assert.equal(
      escalationRanOut([...ranOut, entry("incident.reassigned", "2026-03-02T03:06:00.000Z")]),
      false,
    );
    assert.equal(escalationRanOut([]), false);
  });
});

describe("what the page says after Reopen", () => {
  const escalation = { policyName: "Primary on-call" } as Incident["escalation"];
  const page = { number: 4, level: "page" as const };
  it("names the policy paging again", () =>
    assert.equal(
      reopenedText({ ...page, escalation }, true),
      "Reopened: step 1 of Primary on-call is being paged.",
    ));
  it("says nobody is paged without a policy", () =>
    assert.match(reopenedText({ ...page, escalation: null }, true), /nobody is paged/));
  it("says nobody is paged at notify level, though a policy is there", () =>
    assert.equal(
      reopenedText({ number: 4, level: "notify", escalation }, true),
      "Reopened at notify level: the shared channel hears it, nobody is paged.",
    ));
  it("says nothing changed when it was open already", () =>
    assert.equal(reopenedText({ ...page, escalation }, false), "INC-4 was open already: nothing changed."));
});
