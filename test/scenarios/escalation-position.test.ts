import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { deployIncidentFix, startIncidentFix } from "../../src/app/response/fix-log.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { alertmanagerBody, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";

/** An alert of the CheckoutSlow group at this severity: warning makes a notify-level incident. */
const checkoutSlow = (severity: "warning" | "critical", instance: string, startsAt: Date) => {
  const body = alertmanagerBody("CheckoutSlow", instance, startsAt);
  const [alert] = body.alerts;
  return {
    ...body,
    commonLabels: { ...body.commonLabels, severity },
    alerts: [{ ...alert!, labels: { ...alert!.labels, instance, severity } }],
  };
};

describeEachDialect("the incident's escalation position in the API (fake clock)", (dialect) => {
  let s: ResponseScenario;
  let responderKey: string;

  beforeEach(async () => {
    await s?.close();
    s = await startResponseScenario(dialect);
    responderKey = await s.fb.apiKey("responder");
  });
  after(() => s?.close());

  const api = async (method: "GET" | "POST", url: string) => {
    const res = await s.fb.http.inject({ method, url, headers: { authorization: `Bearer ${responderKey}` } });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { incident?: Incident } & Incident;
  };
  /** The incident as GET /api/v1/incidents/{ref} shows it. */
  const shown = async (ref: string) => (await api("GET", `/api/v1/incidents/${ref}`)).incident!;
  const fire = async (severity: "warning" | "critical", instance: string) => {
    const res = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      payload: checkoutSlow(severity, instance, s.clock.now()),
    });
    assert.equal(res.statusCode, 200, res.body);
    await s.run();
  };
  const pages = () =>
    s.sender.sent
      .filter((m) => ["triggered", "escalated"].includes(m.message.event))
      .map((m) => `${m.message.recipientName}:${m.message.event}`);

  it("a notify-level incident re-triggered by a regression shows step 1 of its new escalation, not the old step 2", async () => {
    await fire("warning", "checkout-1");
    const [opened] = (await api("GET", "/api/v1/incidents?limit=1")) as unknown as Incident[];
    assert.equal(opened?.level, "notify");
    const incidentRef = `INC-${opened!.number}`;

    // Escalated by hand twice: step 1 (Ada), then step 2 (Bob).
    await api("POST", `/api/v1/incidents/${incidentRef}/escalate`);
    await api("POST", `/api/v1/incidents/${incidentRef}/escalate`);
    await s.run();
    assert.deepEqual(pages(), ["Ada:escalated", "Bob:escalated"]);
    const before = await shown(incidentRef);
    assert.deepEqual(
      [before.escalationStep, before.escalationLoop],
      [1, 0],
      "before: step 2 of this escalation",
    );

    // A fix, then the alert fires again during the watch: a regression re-triggers the incident.
    await triageIncident(s.fb.running.deps, s.ada.caller, incidentRef, {
      severity: "SEV3",
      level: "degradation",
      onCallCanHandle: true,
    });
    await startIncidentFix(s.fb.running.deps, s.ada.caller, incidentRef, {
      kind: "rollback",
      description: "undo the slow release",
    });
    await deployIncidentFix(s.fb.running.deps, s.ada.caller, incidentRef, 1);
    await s.advance(3 * MINUTE);
    await fire("warning", "checkout-2");

    const after = await shown(incidentRef);
    assert.equal(after.state, "triggered", "re-triggered by the regression");
    assert.equal(after.level, "notify");
    assert.deepEqual(
      [after.escalationStep, after.escalationLoop],
      [0, 0],
      "after: the new escalation's place, not the old step 2",
    );
    assert.deepEqual(pages(), ["Ada:escalated", "Bob:escalated"], "at notify level it pages nobody");

    // Which step pages is unchanged: raised to page, the new escalation starts at step 1 (Ada).
    await fire("critical", "checkout-3");
    assert.deepEqual(pages(), ["Ada:escalated", "Bob:escalated", "Ada:triggered"]);
    const raised = await shown(incidentRef);
    assert.deepEqual([raised.escalationStep, raised.escalationLoop], [0, 0]);
    await s.advance(5 * MINUTE);
    assert.deepEqual(pages(), ["Ada:escalated", "Bob:escalated", "Ada:triggered", "Bob:escalated"]);
    assert.equal((await shown(incidentRef)).escalationStep, 1);
  });
});
