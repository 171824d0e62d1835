import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { closeIncidentFollowUp, listFollowUps } from "../../src/app/response/fix-follow-ups.js";
import {
  deployIncidentFix,
  failIncidentFix,
  startIncidentFix,
  verifyIncidentFix,
} from "../../src/app/response/fix-log.js";
import { noteAlertFiredDuringResponse } from "../../src/app/response/note-alert-fired.js";
import { getWarRoom } from "../../src/app/response/read-war-room.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import type { ImpactLevel } from "../../src/core/response/triage.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { HOUR, MINUTE } from "../support/fake-clock.js";
import { updateService } from "../../src/app/services/manage-services.js";
import {
  alertmanagerBody,
  setupCaller,
  startResponseScenario,
  type ResponseScenario,
} from "../support/response-setup.js";

const DAY = 24 * HOUR;

describeEachDialect("incident response: fixes, follow-ups and the watch (fake clock)", (dialect) => {
  let s: ResponseScenario;
  let incident: Incident;

  const triage = (level: ImpactLevel, who = s.ada, ref = incident.id) =>
    triageIncident(s.fb.running.deps, who.caller, ref, { severity: "SEV2", level, onCallCanHandle: true });
  const room = (ref = incident.id) => getWarRoom(s.fb.running.deps, s.ada.caller, ref);
  const timeline = async (ref = incident.id) =>
    (await getIncident(s.fb.running.deps, s.ada.caller, ref)).timeline.map((e) => e.message);
  const kinds = async (ref = incident.id) =>
    (await getIncident(s.fb.running.deps, s.ada.caller, ref)).timeline.map((e) => e.kind);

  beforeEach(async () => {
    await s?.close();
    s = await startResponseScenario(dialect);
    incident = await s.openIncident("CheckoutDown");
  });
  after(() => s?.close());

  it("one fix at a time: a second is refused with the reason, and only the handler overrides, on the record", async () => {
    await triage("outage");
    const first = await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "rollback",
      description: "roll back release 42",
    });
    assert.equal(first.number, 1);

    await assert.rejects(
      startIncidentFix(s.fb.running.deps, s.bob.caller, incident.id, {
        kind: "hotfix",
        description: "bump pool",
      }),
      (err: Error & { code?: string }) =>
        err.code === "CONFLICT" &&
        /Fix #1 \(rollback: roll back release 42\) is still in flight/.test(err.message),
    );
    await assert.rejects(
      startIncidentFix(s.fb.running.deps, s.bob.caller, incident.id, {
        kind: "hotfix",
        description: "bump pool",
        override: { reason: "I am sure" },
      }),
      (err: Error & { code?: string }) =>
        err.code === "FORBIDDEN" && /only the Incident Handler/.test(err.message),
    );
    const second = await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "proper-fix",
      description: "fix the pool",
      override: { reason: "the rollback is slow; try both" },
    });
    assert.equal(second.number, 2);
    assert.equal(second.overriddenBy, s.ada.id);
    assert.equal(second.overrideReason, "the rollback is slow; try both");
    assert.ok(
      (await timeline()).some((m) =>
        /Ada overrode the one-fix rule to start fix #2.*Reason: the rollback is slow/.test(m),
      ),
    );
    assert.equal((await room()).oneFixBlock?.fixNumber, 1);

    // Once neither is in flight, anyone may start the next without an override.
    await failIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 1, "did not help");
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 2);
    await verifyIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 2);
    assert.equal((await room()).oneFixBlock, null);
    const third = await startIncidentFix(s.fb.running.deps, s.bob.caller, incident.id, {
      kind: "rollback",
      description: "belt and braces",
    });
    assert.equal(third.number, 3);
    assert.equal(third.overriddenBy, null);
  });

  it("a hotfix leaves a proper-fix follow-up due 24/48/72 h by level", async () => {
    const expected: Array<[ImpactLevel, number]> = [
      ["outage", 24],
      ["data-corruption", 48],
      ["degradation", 72],
    ];
    for (const [level, hours] of expected) {
      const opened = await s.openIncident(`Hotfix-${level}`);
      await triage(level, s.ada, opened.id);
      const started = await startIncidentFix(s.fb.running.deps, s.ada.caller, opened.id, {
        kind: "hotfix",
        description: `patch for ${level}`,
      });
      assert.ok(started.followUp, `${level}: a follow-up`);
      assert.equal(started.followUp.dueAt.getTime() - s.clock.now().getTime(), hours * HOUR, level);
      assert.ok((await timeline(opened.id)).some((m) => m.includes(`due within ${hours} h`)));
    }
    const rollback = await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "rollback",
      description: "not a hotfix",
    }).catch((err: Error) => err);
    assert.ok(rollback instanceof Error, "the incident is not triaged yet: no fixes");
  });

  it("reminds the follow-up's owner at half time, at 90%, at the deadline and daily after, until it is closed", async () => {
    await triage("data-corruption"); // 48 h
    const startMs = s.clock.now().getTime();
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "hotfix",
      description: "patch",
    });
    const reminders = () => s.sentTo("Ada", /proper fix for hotfix #1/);
    const at = async (offsetMs: number) => {
      s.clock.set(startMs + offsetMs);
      await s.run();
    };

    await at(24 * HOUR - 1);
    assert.equal(reminders().length, 0, "nothing before half time");
    await at(24 * HOUR);
    assert.equal(reminders().length, 1);
    assert.match(reminders()[0]!, /half the time allowed has passed/);
    await at(Math.round(48 * HOUR * 0.9) - 1);
    assert.equal(reminders().length, 1);
    await at(Math.round(48 * HOUR * 0.9));
    assert.match(reminders()[1]!, /nearly due/);
    await at(48 * HOUR);
    assert.match(reminders()[2]!, /due now/);
    await at(48 * HOUR + DAY);
    assert.match(reminders()[3]!, /overdue \(1 day late\)/);
    assert.deepEqual(
      (await listFollowUps(s.fb.running.deps, s.bob.caller, "overdue")).map((f) => [
        f.incidentNumber,
        f.fixNumber,
      ]),
      [[incident.number, 1]],
    );

    await closeIncidentFollowUp(s.fb.running.deps, s.ada.caller, incident.id, 1, {
      state: "done",
      note: "PR 7",
    });
    await at(48 * HOUR + 3 * DAY);
    assert.equal(reminders().length, 4, "closed: no more reminders");
    assert.deepEqual(await listFollowUps(s.fb.running.deps, s.bob.caller, "open"), []);
    assert.ok(
      (await timeline()).some((m) => /Proper fix for hotfix #1 done \(after its deadline\): PR 7/.test(m)),
    );
  });

  it("a regression inside the watch fails the fix, goes back to investigating and pages again", async () => {
    await triage("outage");
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "hotfix",
      description: "patch",
    });
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 1);
    let view = await room();
    assert.equal(view.response.phase, "monitoring");
    assert.equal(view.response.watch?.watchMinutes, 30);
    s.sender.clear();

    await s.advance(10 * MINUTE);
    // Where the ingest will call it when an alert of the incident fires again.
    const outcome = await s.fb.running.deps.uow.run((tx) =>
      noteAlertFiredDuringResponse(tx, incident.id, s.clock.now()),
    );
    assert.equal(outcome, "regression");
    await s.run();

    view = await room();
    assert.equal(view.response.phase, "investigating");
    assert.equal(view.response.watch, null);
    assert.equal(view.fixes[0]?.state, "failed");
    assert.equal(view.followUps[0]?.state, "cancelled", "the failed hotfix's follow-up goes with it");
    assert.equal(view.incident.state, "triggered", "paging again");
    assert.ok(
      (await timeline()).some((m) => m.startsWith("Regression after fix #1: an alert fired 10 min into")),
    );
    assert.ok((await timeline()).includes("Monitoring → Investigating after a regression of fix #1"));
    // Paged again from the policy's first step (Ada), as a reopened incident, and the timeline says why.
    assert.deepEqual(
      s.sender.sent.filter((m) => m.message.event === "reopened").map((m) => m.message.recipientName),
      ["Ada"],
    );
    assert.ok((await timeline()).includes("Paged again: regression after fix #1"));
    assert.equal(s.sentTo("Ada", /regression after fix #1/).length, 1);

    // The watch's own timer finds nothing to do any more.
    await s.advance(30 * MINUTE);
    assert.equal(s.sentTo("Ada", /resolve\?/).length, 0);
  });

  it("an alert that joins the incident during the watch is a regression at once, through the ingest", async () => {
    await triage("outage");
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "hotfix",
      description: "patch",
    });
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 1);
    s.sender.clear();
    await s.advance(3 * MINUTE);
    await s.fireAgain("CheckoutDown", "second-instance", s.clock.now());
    await s.run();
    const view = await room();
    assert.equal(view.response.phase, "investigating");
    assert.equal(view.fixes[0]?.state, "failed");
    assert.equal(view.incident.state, "triggered");
    assert.ok((await timeline()).includes("Paged again: regression after fix #1"));
    assert.equal(s.sentTo("Ada", /regression after fix #1/).length, 1);
  });

  it("the watch-end job catches an alert of the incident that fired inside the window", async () => {
    await triage("degradation");
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "rollback",
      description: "undo",
    });
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 1);
    await s.advance(5 * MINUTE);
    await s.fireAgain("CheckoutDown", "second-instance", s.clock.now());
    await s.advance(25 * MINUTE);
    const view = await room();
    assert.equal(view.response.phase, "investigating");
    assert.equal(view.fixes[0]?.state, "failed");
    assert.ok((await kinds()).includes("fix.regression"));
  });

  it("an alert after the window is no regression; a quiet window asks the handler to resolve", async () => {
    await triage("outage");
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, {
      kind: "rollback",
      description: "undo",
    });
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incident.id, 1);
    // Quiet needs the incident's alert cleared (the service keeps the incident open for the handler).
    await updateService(s.fb.running.deps, setupCaller, s.serviceId, { autoResolve: false });
    const body = alertmanagerBody("CheckoutDown", "fp-CheckoutDown", s.clock.now());
    const cleared = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      payload: {
        ...body,
        status: "resolved",
        alerts: body.alerts.map((a) => ({ ...a, status: "resolved", endsAt: s.clock.now().toISOString() })),
      },
    });
    assert.equal(cleared.statusCode, 200, cleared.body);
    await s.advance(30 * MINUTE - 1);
    assert.equal(s.sentTo("Ada", /resolve\?/).length, 0, "not before the window ends");
    await s.advance(1);
    assert.deepEqual(s.sentTo("Ada", /resolve\?/), [
      `INC-${incident.number}: no alerts for 30 min after fix #1: resolve?`,
    ]);
    assert.ok(
      (await timeline()).includes("No alert in the 30 min after fix #1: resolve the incident if it is over"),
    );
    const view = await room();
    assert.equal(view.response.phase, "monitoring", "resolving stays the handler's call");
    assert.equal(view.response.watch, null);

    const late = await s.fb.running.deps.uow.run((tx) =>
      noteAlertFiredDuringResponse(tx, incident.id, s.clock.now()),
    );
    assert.equal(late, "no-watch");
    await s.advance(HOUR);
    assert.equal(s.sentTo("Ada", /resolve\?/).length, 1, "asked once");
  });
});
