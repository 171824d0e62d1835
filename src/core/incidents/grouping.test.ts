import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupingKeyFor, incidentToJoin, reopenableSince, type GroupingRule } from "./grouping.js";
import { acknowledge, escalationUnderway, reopen, resolve, type Incident } from "./incident.js";

const NOW = new Date("2021-01-01T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe("grouping alerts into incidents", () => {
  const event = {
    groupKey: '{}:{alertname="DiskFull"}',
    dedupKey: "5d4b1f0c2a9e7c31",
    labels: { alertname: "DiskFull", cluster: "eu-1", instance: "db-7" },
  };
  const keys: Array<[GroupingRule, string]> = [
    [{ mode: "group-key", labels: [], windowMinutes: null }, 'group:{}:{alertname="DiskFull"}'],
    [{ mode: "labels", labels: ["alertname", "cluster"], windowMinutes: null }, 'labels:["DiskFull","eu-1"]'],
    [{ mode: "labels", labels: ["missing"], windowMinutes: null }, 'labels:[""]'],
    [{ mode: "none", labels: [], windowMinutes: null }, "alert:5d4b1f0c2a9e7c31"],
  ];
  for (const [rule, key] of keys) {
    it(`mode ${rule.mode} ${rule.labels.join(",")} → ${key}`, () =>
      assert.equal(groupingKeyFor(rule, event), key));
  }
  it("falls back to the alert's own key when a source has no group", () => {
    assert.equal(
      groupingKeyFor({ mode: "group-key", labels: [], windowMinutes: null }, { ...event, groupKey: null }),
      "alert:5d4b1f0c2a9e7c31",
    );
  });

  it("joins the newest open incident inside the window", () => {
    const rule: GroupingRule = { mode: "group-key", labels: [], windowMinutes: 30 };
    const open = [
      { id: "old", openedAt: minutesAgo(45) },
      { id: "recent", openedAt: minutesAgo(10) },
      { id: "older", openedAt: minutesAgo(20) },
    ];
    assert.equal(incidentToJoin(rule, open, NOW)?.id, "recent");
    assert.equal(incidentToJoin(rule, [{ id: "old", openedAt: minutesAgo(45) }], NOW), undefined);
    assert.equal(
      incidentToJoin({ ...rule, windowMinutes: null }, [{ id: "old", openedAt: minutesAgo(45) }], NOW)?.id,
      "old",
    );
  });

  it("the window is 'less than N minutes ago': exactly N minutes ago is out", () => {
    const rule: GroupingRule = { mode: "labels", labels: ["alertname"], windowMinutes: 30 };
    const justInside = new Date(minutesAgo(30).getTime() + 1);
    assert.equal(incidentToJoin(rule, [{ id: "in", openedAt: justInside }], NOW)?.id, "in");
    assert.equal(incidentToJoin(rule, [{ id: "edge", openedAt: minutesAgo(30) }], NOW), undefined);
  });

  it("a reopened incident's window starts again at its reopening", () => {
    const rule: GroupingRule = { mode: "labels", labels: ["alertname"], windowMinutes: 30 };
    const reopened = { id: "reopened", openedAt: minutesAgo(120), reopenedAt: minutesAgo(5) };
    assert.equal(incidentToJoin(rule, [reopened], NOW)?.id, "reopened");
    assert.equal(incidentToJoin(rule, [{ ...reopened, reopenedAt: minutesAgo(31) }], NOW), undefined);
  });

  it("reopens what was resolved less than N minutes ago; 0 never reopens", () => {
    assert.equal(reopenableSince(10, NOW)?.getTime(), minutesAgo(10).getTime() + 1);
    assert.equal(reopenableSince(0, NOW), null);
  });
});

describe("incident transitions", () => {
  const incident: Incident = {
    id: "i1",
    number: 7,
    serviceId: "s",
    title: "t",
    state: "triggered",
    level: "page",
    groupingKey: "k",
    openedAt: NOW,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    escalation: null,
    escalationStep: 1,
    escalationLoop: 0,
    escalationVersion: 3,
    assigneeIds: [],
    updatedAt: NOW,
  };
  it("acknowledging bumps the escalation fence; twice changes nothing", () => {
    const first = acknowledge(incident, "ada", NOW);
    assert.deepEqual(first, {
      ok: true,
      changes: {
        state: "acknowledged",
        acknowledgedAt: NOW,
        acknowledgedBy: "ada",
        escalationVersion: 4,
        updatedAt: NOW,
      },
    });
    assert.deepEqual(acknowledge({ ...incident, state: "acknowledged" }, "bob", NOW), {
      ok: true,
      changes: {},
    });
    assert.equal(acknowledge({ ...incident, state: "resolved" }, "bob", NOW).ok, false);
  });
  it("resolving stops escalation; reopening starts it from the first step", () => {
    const resolved = resolve(incident, "ada", NOW);
    assert.ok(
      resolved.ok && resolved.changes.escalationVersion === 4 && resolved.changes.state === "resolved",
    );
    const reopened = reopen({ ...incident, state: "resolved", escalationVersion: 4 }, NOW);
    assert.ok(reopened.ok);
    if (reopened.ok)
      assert.deepEqual(
        [reopened.changes.state, reopened.changes.escalationStep, reopened.changes.escalationVersion],
        ["triggered", 0, 5],
      );
    assert.equal(reopen(incident, NOW).ok, false);
  });
});

describe("whether an escalation is underway", () => {
  it("has started once something paged, unless the incident reopened or re-triggered since", () => {
    assert.equal(escalationUnderway(null, null), false, "a notify-level incident nobody escalated");
    assert.equal(escalationUnderway(null, minutesAgo(5)), false);
    assert.equal(escalationUnderway(minutesAgo(10), null), true);
    assert.equal(
      escalationUnderway(minutesAgo(10), minutesAgo(5)),
      false,
      "reopened since: a new escalation",
    );
    assert.equal(escalationUnderway(minutesAgo(5), minutesAgo(10)), true, "paged after the reopen");
    assert.equal(escalationUnderway(NOW, NOW), true, "the reopen's own first page");
  });
});
