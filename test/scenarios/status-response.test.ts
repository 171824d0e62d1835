import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import {
  draftIncidentPublicUpdate,
  postIncidentPublicUpdate,
} from "../../src/app/response/public-updates.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

type Json = Record<string, unknown>;

describeEachDialect("status page: public updates from the response workflow (fake clock)", (dialect) => {
  let s: ResponseScenario;
  let admin: StatusAdmin;
  let page: Awaited<ReturnType<typeof makePage>>;
  let other: Awaited<ReturnType<typeof makePage>>;
  let incident: Incident;
  const summary = async (slug: string) =>
    (await s.fb.http.inject({ method: "GET", url: `/status/${slug}/api/v2/summary.json` })).json() as Json;

  before(async () => {
    s = await startResponseScenario(dialect);
    admin = statusAdmin(s.fb.http, await s.fb.apiKey("admin"));
    page = await makePage(admin, { slug: "acme", serviceIds: [s.serviceId] });
    // A page none of whose components is linked to the service: it hears nothing.
    other = await makePage(admin, { slug: "unrelated" });
    incident = await s.openIncident("CheckoutDown");
    await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
      severity: "SEV1",
      level: "outage",
      onCallCanHandle: true,
    });
  });
  after(() => s.close());

  it("drafts name the linked components' public names, never the internal service name", async () => {
    const draft = await draftIncidentPublicUpdate(s.fb.running.deps, s.ada.caller, incident.id);
    assert.match(draft.message, /\bAPI\b/);
    assert.doesNotMatch(draft.message, new RegExp(`checkout-${dialect}`));
  });

  it("a posted public update appears on the page whose components are linked to the service", async () => {
    assert.deepEqual((await summary("acme")).incidents, []);
    await s.advance(2 * MINUTE);
    await postIncidentPublicUpdate(s.fb.running.deps, s.ada.caller, incident.id, {
      status: "investigating",
      message: "Checkout is down for everyone. We are on it.",
    });
    await s.run();
    const doc = await summary("acme");
    const [published] = doc.incidents as Json[];
    assert.ok(published, "the page shows the incident");
    assert.equal(published.name, "API: Outage", "titled by the page's component, not the internal service");
    assert.equal(published.status, "investigating");
    assert.equal(published.impact, "critical");
    assert.deepEqual(
      (published.incident_updates as Json[]).map((u) => u.body),
      ["Checkout is down for everyone. We are on it."],
    );
    assert.deepEqual(
      (published.components as Json[]).map((c) => [c.name, c.status]),
      [["API", "major_outage"]],
    );
    assert.deepEqual(doc.status, { indicator: "critical", description: "Major Service Outage" });
    assert.deepEqual((await summary("unrelated")).incidents, []);
    // The admin API names where it came from.
    const [listed] = await admin.call<Array<{ sourceIncidentId: string | null }>>(
      "GET",
      `/api/v1/status-pages/${page.pageId}/incidents`,
    );
    assert.equal(listed?.sourceIncidentId, incident.id);
    void other;
  });

  it("later updates move the same status incident; resolved clears the component", async () => {
    await s.advance(20 * MINUTE);
    await postIncidentPublicUpdate(s.fb.running.deps, s.ada.caller, incident.id, {
      status: "monitoring",
      message: "A fix is out; we are watching.",
    });
    await s.run();
    await s.advance(20 * MINUTE);
    await postIncidentPublicUpdate(s.fb.running.deps, s.ada.caller, incident.id, {
      status: "resolved",
      message: "Checkout works again.",
    });
    await s.run();
    const all = (
      (await s.fb.http.inject({ method: "GET", url: "/status/acme/api/v2/incidents.json" })).json() as {
        incidents: Json[];
      }
    ).incidents;
    assert.equal(all.length, 1, "one status incident per Firebreak incident");
    const [only] = all;
    assert.equal(only?.status, "resolved");
    assert.deepEqual(
      (only?.incident_updates as Json[]).map((u) => u.status),
      ["resolved", "monitoring", "investigating"],
    );
    assert.notEqual(only?.monitoring_at, null);
    assert.notEqual(only?.resolved_at, null);
    const doc = await summary("acme");
    assert.deepEqual(doc.status, { indicator: "none", description: "All Systems Operational" });
    const html = await s.fb.http.inject({ method: "GET", url: "/status/acme" });
    assert.match(html.body, /Past incidents/);
    assert.match(html.body, /Checkout works again\./);
  });
});
