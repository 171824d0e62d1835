import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { deployIncidentFix, startIncidentFix } from "../../src/app/response/fix-log.js";
import { getWarRoom } from "../../src/app/response/read-war-room.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { updateService } from "../../src/app/services/manage-services.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import {
  alertmanagerBody,
  setupCaller,
  startResponseScenario,
  type ResponseScenario,
} from "../support/response-setup.js";

/**
 * The end of the watch after a fix, with a fake clock: it is quiet only when none of the incident's
 * alerts still fires and no other incident of the service opened during it.
 */
describeEachDialect("incident response: the end of the watch after a fix (fake clock)", (dialect) => {
  let s: ResponseScenario;
  let incident: Incident;
  const deps = () => s.fb.running.deps;
  const timeline = async () =>
    (await getIncident(deps(), s.ada.caller, incident.id)).timeline.map((e) => e.message);
  const room = () => getWarRoom(deps(), s.ada.caller, incident.id);
  const invitesToResolve = () => s.sentTo("Ada", /resolve\?/);

  /** Triage, start a rollback and deploy it: the 30-minute watch starts now. */
  const deployRollback = async () => {
    await triageIncident(deps(), s.ada.caller, incident.id, {
      severity: "SEV2",
      level: "outage",
      onCallCanHandle: true,
    });
    await startIncidentFix(deps(), s.ada.caller, incident.id, {
      kind: "rollback",
      description: "roll back the 14:02 deploy",
    });
    await deployIncidentFix(deps(), s.ada.caller, incident.id, 1);
    s.sender.clear();
  };

  /** Alertmanager says the incident's alert is over (the service keeps the incident open). */
  const resolveTheAlert = async (alertname: string) => {
    await updateService(deps(), setupCaller, s.serviceId, { autoResolve: false });
    const body = alertmanagerBody(alertname, `fp-${alertname}`, s.clock.now());
    const res = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      payload: {
        ...body,
        status: "resolved",
        alerts: body.alerts.map((a) => ({ ...a, status: "resolved", endsAt: s.clock.now().toISOString() })),
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    await s.run();
  };

  beforeEach(async () => {
    await s?.close();
    s = await startResponseScenario(dialect);
    incident = await s.openIncident("CheckoutDown");
  });
  after(() => s?.close());

  it("the incident's alert still firing at the end: not over, the handler is told, no invitation to resolve", async () => {
    await deployRollback();
    await s.advance(30 * MINUTE);

    const stillFiring = `Alert "CheckoutDown on checkout" still firing 30 min after fix #1: the fix has not worked yet`;
    assert.ok((await timeline()).includes(stillFiring), "on the timeline");
    assert.ok(!(await timeline()).some((m) => m.startsWith("No alert in the")), "not reported quiet");
    assert.deepEqual(invitesToResolve(), []);
    assert.deepEqual(s.sentTo("Ada", /still firing/), [
      `INC-${incident.number}: alert "CheckoutDown on checkout" still firing 30 min after fix #1: the fix has not worked yet`,
    ]);
    const view = await room();
    assert.equal(view.response.watch, null, "the watch is over");
    assert.equal(view.response.phase, "monitoring", "failing the fix stays the handler's call");
    assert.equal(view.fixes[0]?.state, "deployed");

    await s.advance(60 * MINUTE);
    assert.equal(s.sentTo("Ada", /still firing/).length, 1, "told once");
  });

  it("another incident of the service opened during the watch is named as a possible regression", async () => {
    await deployRollback();
    await s.advance(5 * MINUTE);
    await resolveTheAlert("CheckoutDown");
    await s.advance(5 * MINUTE);
    const other = await s.openIncident("CheckoutSlow");
    await s.advance(20 * MINUTE);

    const seen = `INC-${other.number} opened on checkout-${dialect} during the watch after fix #1: possibly a regression`;
    assert.ok((await timeline()).includes(seen), "on the watched incident's timeline");
    assert.deepEqual(invitesToResolve(), []);
    assert.deepEqual(s.sentTo("Ada", /possibly a regression/), [`INC-${incident.number}: ${seen}`]);
    assert.equal((await room()).response.watch, null);
  });

  it("quiet only when the alert has cleared and nothing else opened: then it asks to resolve", async () => {
    // An incident of the service opened before the fix is no regression of it.
    await s.openIncident("DiskFull");
    await s.advance(MINUTE);
    await deployRollback();
    await s.advance(10 * MINUTE);
    await resolveTheAlert("CheckoutDown");
    await s.advance(20 * MINUTE);

    assert.deepEqual(invitesToResolve(), [
      `INC-${incident.number}: no alerts for 30 min after fix #1: resolve?`,
    ]);
    assert.ok(
      (await timeline()).includes("No alert in the 30 min after fix #1: resolve the incident if it is over"),
    );
    // An incident opened after the window ended changes nothing now.
    await s.advance(MINUTE);
    await s.openIncident("CheckoutSlow");
    await s.advance(30 * MINUTE);
    assert.equal(s.sentTo("Ada", /possibly a regression/).length, 0);
  });
});
