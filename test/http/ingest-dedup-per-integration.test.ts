// A firing alert belongs to the integration that opened it: the same dedup key from another
// integration of the service is another alert, and that integration can neither acknowledge, resolve
// nor refresh (move the end time of) the first. Both repros from a user walkthrough, through HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { integrationEndpoint } from "../../src/app/integrations/integration-snippets.js";
import { createService } from "../../src/app/services/manage-services.js";
import type { Alert, IntegrationKind } from "../../src/core/alerts/records.js";
import { setupCaller } from "../support/alerting-setup.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

/** The JSON body of an integration's "Send a test alert with curl" snippet, as a user would paste it. */
function curlSnippetBody(kind: IntegrationKind, key: string): unknown {
  const snippet = integrationEndpoint("https://firebreak.example.net", kind, key).snippets.find(
    (s) => s.id === "curl",
  );
  const data = /--data '([^']*)'/.exec(snippet?.text ?? "")?.[1];
  assert.ok(data, `a curl snippet with a body for ${kind}`);
  return JSON.parse(data);
}

describe("dedup keys are each integration's own", () => {
  let fb: TestFirebreak;
  const clock = new FakeClock();

  before(async () => {
    fb = await startTestFirebreak({ clock, startEngine: false });
  });
  after(() => fb.close());

  const deps = () => fb.running.deps;
  const givenService = async (name: string, kinds: readonly IntegrationKind[]) => {
    const service = await createService(deps(), setupCaller, { name });
    const integrations: Partial<Record<IntegrationKind, { id: string; key: string }>> = {};
    for (const kind of kinds)
      integrations[kind] = await createIntegration(deps(), setupCaller, { serviceId: service.id, kind });
    return { service, integrations };
  };
  const post = async (url: string, payload: unknown, status: number) => {
    const res = await fb.http.inject({ method: "POST", url, payload: payload as object });
    assert.equal(res.statusCode, status, res.body);
    return res;
  };
  const alertsOf = (serviceId: string): Promise<Alert[]> =>
    deps().uow.read((tx) => tx.alerts.list({ serviceId, limit: 50 }));
  const incidentOf = async (alert: Alert | undefined) => {
    assert.ok(alert?.incidentId, "the alert is on an incident");
    return deps().uow.read((tx) => tx.incidents.findById(alert.incidentId!));
  };

  it("a PagerDuty acknowledge or resolve of a key the webhook integration fires changes nothing", async () => {
    const { service, integrations } = await givenService("db", ["webhook", "pagerduty"]);
    const webhook = integrations.webhook!;
    const pagerduty = integrations.pagerduty!;
    await post(
      `/integrations/webhook/${webhook.key}`,
      { summary: "Disk full on db-1", dedup_key: "db-1-disk", status: "firing" },
      200,
    );
    const [opened] = await alertsOf(service.id);
    assert.equal(opened?.integrationId, webhook.id);
    assert.equal((await incidentOf(opened))?.state, "triggered");

    for (const event_action of ["acknowledge", "resolve"]) {
      const res = await post(
        "/v2/enqueue",
        { routing_key: pagerduty.key, event_action, dedup_key: "db-1-disk" },
        202,
      );
      // As PagerDuty answers for a key this routing key never triggered.
      assert.deepEqual(res.json(), { status: "success", message: "Event processed", dedup_key: "db-1-disk" });
    }
    const [still] = await alertsOf(service.id);
    assert.equal(still?.status, "firing");
    assert.equal((await incidentOf(still))?.state, "triggered", "still paging");

    // The integration that opened it still ends it.
    await post(
      `/integrations/webhook/${webhook.key}`,
      { summary: "Disk full on db-1", dedup_key: "db-1-disk", status: "resolved" },
      200,
    );
    const [ended] = await alertsOf(service.id);
    assert.equal(ended?.status, "resolved");
    assert.equal((await incidentOf(ended))?.state, "resolved");
  });

  it("the Alertmanager and Prometheus curl snippets with the same labels are two alerts", async () => {
    const { service, integrations } = await givenService("test-alerts", ["alertmanager", "prometheus"]);
    const alertmanager = integrations.alertmanager!;
    const prometheus = integrations.prometheus!;
    await post(
      `/integrations/alertmanager/${alertmanager.key}`,
      curlSnippetBody("alertmanager", alertmanager.key),
      200,
    );
    await post(`/int/${prometheus.key}/api/v2/alerts`, curlSnippetBody("prometheus", prometheus.key), 200);

    const alerts = await alertsOf(service.id);
    assert.equal(alerts.length, 2, "one alert per integration");
    const fromAlertmanager = alerts.find((a) => a.integrationId === alertmanager.id);
    const fromPrometheus = alerts.find((a) => a.integrationId === prometheus.id);
    assert.ok(fromAlertmanager && fromPrometheus);
    assert.equal(fromAlertmanager.dedupKey, fromPrometheus.dedupKey, "same labels, same fingerprint");
    assert.equal(fromAlertmanager.expiresAt, null, "the webhook alert has no end time");
    assert.equal(fromAlertmanager.eventCount, 1, "Prometheus did not refresh it");
    assert.ok(fromPrometheus.expiresAt, "the API v2 alert ends unless refreshed");

    // Past Prometheus's end time only its own alert expires; the Alertmanager one keeps paging.
    clock.advance(fromPrometheus.expiresAt.getTime() - clock.now().getTime() + 1_000);
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const after = await alertsOf(service.id);
    assert.equal(after.find((a) => a.id === fromPrometheus.id)?.status, "resolved");
    const stillFiring = after.find((a) => a.id === fromAlertmanager.id);
    assert.equal(stillFiring?.status, "firing");
    assert.notEqual((await incidentOf(stillFiring))?.state, "resolved");
  });
});
