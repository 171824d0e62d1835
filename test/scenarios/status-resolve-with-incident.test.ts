// Resolving an incident resolves the status-page incident its public updates opened, by every path
// (its alerts resolving, a person), with the level's resolved text; a person's own resolved update is
// not repeated; a reopen before the job runs stops it; an update published late (posted before the
// resolution) neither reopens the page nor leaves it open.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { resolve } from "../../src/app/incidents/incident-actions.js";
import { moveResponsePhase } from "../../src/app/response/move-response-phase.js";
import { postIncidentPublicUpdate } from "../../src/app/response/public-updates.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { resolveStatusIncidentsWith } from "../../src/app/status/resolve-with-incident.js";
import type { StatusDeps } from "../../src/app/status/status-deps.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import type { ImpactLevel } from "../../src/core/response/triage.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { startRecordingReceiver, type RecordingReceiver } from "../support/recording-receiver.js";
import { alertmanagerBody, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

type Json = Record<string, unknown>;
interface StatusIncidentView {
  id: string;
  status: string;
  sourceIncidentId: string | null;
  updates: Array<{ status: string; body: string }>;
}

describeEachDialect("status page: resolved with the incident (fake clock)", (dialect) => {
  let s: ResponseScenario;
  let admin: StatusAdmin;
  let page: Awaited<ReturnType<typeof makePage>>;
  let receiver: RecordingReceiver;

  const summary = async () =>
    (await s.fb.http.inject({ method: "GET", url: "/status/acme/api/v2/summary.json" })).json() as Json;
  /** The page's incident of this Firebreak incident from the database (the admin API), updates newest first. */
  const shown = async (incident: Incident) => {
    const found = (
      await admin.call<StatusIncidentView[]>("GET", `/api/v1/status-pages/${page.pageId}/incidents`)
    ).find((i) => i.sourceIncidentId === incident.id);
    return found && { ...found, updates: [...found.updates].reverse() };
  };
  const timelineKinds = async (incident: Incident) =>
    (await s.fb.running.deps.uow.run((tx) => tx.timeline.listForIncident(incident.id))).map((e) => e.kind);
  const triaged = async (alertname: string, level: ImpactLevel) => {
    const incident = await s.openIncident(alertname);
    await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
      severity: "SEV2",
      level,
      onCallCanHandle: true,
    });
    return incident;
  };
  const post = (incident: Incident, status: "investigating" | "monitoring" | "resolved", message: string) =>
    postIncidentPublicUpdate(s.fb.running.deps, s.ada.caller, incident.id, { status, message });
  const resolvedAtOf = async (incident: Incident) =>
    (await s.fb.running.deps.uow.run((tx) => tx.incidents.findById(incident.id)))!.resolvedAt!.getTime();
  // The job's use case run by hand, ahead of the publish job: the order a retried publish produces.
  const statusDeps = (): StatusDeps => ({
    ...s.fb.running.deps,
    statusChannels: undefined as never,
    statusChanged: () => undefined,
  });

  before(async () => {
    s = await startResponseScenario(dialect);
    admin = statusAdmin(s.fb.http, await s.fb.apiKey("admin"));
    page = await makePage(admin, { slug: "acme", serviceIds: [s.serviceId] });
    receiver = await startRecordingReceiver();
    const nowMs = s.clock.now().getTime();
    await s.fb.running.deps.uow.run((tx) =>
      tx.statusSubscribers.insert({
        id: `hook-${dialect}`,
        pageId: page.pageId,
        kind: "webhook",
        email: "ops@example.com",
        webhookUrl: `${receiver.url}/status-hook`,
        confirmTokenHash: "c".repeat(64),
        unsubscribeTokenHash: "u".repeat(64),
        confirmedAtMs: nowMs,
        createdAtMs: nowMs,
      }),
    );
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it("its alerts resolving resolve it on the page too: resolved text, components operational, subscribers told", async () => {
    const incident = await triaged("SlowCheckout", "degradation");
    await post(incident, "monitoring", "A fix is out; we are watching.");
    await s.run();
    assert.equal((await shown(incident))?.status, "monitoring");
    assert.notDeepEqual((await summary()).status, {
      indicator: "none",
      description: "All Systems Operational",
    });

    await s.advance(10 * MINUTE);
    const firing = alertmanagerBody("SlowCheckout", "fp-SlowCheckout", s.clock.now());
    const res = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      payload: {
        ...firing,
        status: "resolved",
        alerts: firing.alerts.map((a) => ({ ...a, status: "resolved", endsAt: s.clock.now().toISOString() })),
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    await s.run();
    const after = await s.fb.running.deps.uow.run((tx) => tx.incidents.findById(incident.id));
    assert.equal(after?.state, "resolved", "auto-resolved: its only alert resolved");

    const onPage = await shown(incident);
    assert.equal(onPage?.status, "resolved");
    assert.deepEqual(
      onPage?.updates.map((u) => [u.status, u.body]),
      [
        [
          "resolved",
          "The slowdown affecting API is resolved and everything is working normally. Thank you for your patience.",
        ],
        ["monitoring", "A fix is out; we are watching."],
      ],
    );
    const doc = await summary();
    assert.deepEqual(doc.status, { indicator: "none", description: "All Systems Operational" });
    assert.equal((doc.components as Json[]).find((c) => c.name === "API")?.status, "operational");
    assert.deepEqual(doc.incidents, [], "nothing unresolved on the page");
    const entries = await s.fb.running.deps.uow.run((tx) => tx.timeline.listForIncident(incident.id));
    const entry = entries.find((e) => e.kind === "status-page.resolved");
    assert.match(entry?.message ?? "", /^Status page Acme updated: “API: Degradation” is marked resolved$/);
    const told = receiver.received
      .filter((r) => r.path === "/status-hook")
      .map((r) => JSON.parse(r.body) as { incident: { id: string; status: string } })
      .filter((b) => b.incident.id === onPage?.id);
    assert.deepEqual(
      told.map((b) => b.incident.status),
      ["monitoring", "resolved"],
    );
  });

  it("resolving by hand does it too, with the outage's resolved text", async () => {
    const incident = await triaged("CheckoutDown", "outage");
    await post(incident, "investigating", "Checkout is down. We are on it.");
    await s.run();
    await s.advance(5 * MINUTE);
    await resolve(s.fb.running.deps, s.ada.caller, `INC-${incident.number}`);
    await s.run();
    const onPage = await shown(incident);
    assert.equal(onPage?.status, "resolved");
    assert.equal(
      onPage?.updates[0]?.body,
      "The outage affecting API is resolved and everything is working normally. We are sorry for the disruption.",
    );
    assert.ok((await timelineKinds(incident)).includes("status-page.resolved"));
  });

  it("a person's own resolved update is not followed by another", async () => {
    const incident = await triaged("RefundsDown", "outage");
    await post(incident, "investigating", "Refunds are failing.");
    await s.run();
    await s.advance(5 * MINUTE);
    await post(incident, "resolved", "Refunds work again; sorry about that.");
    await resolve(s.fb.running.deps, s.ada.caller, incident.id);
    await s.run();
    const onPage = await shown(incident);
    assert.deepEqual(
      onPage?.updates.map((u) => [u.status, u.body]),
      [
        ["resolved", "Refunds work again; sorry about that."],
        ["investigating", "Refunds are failing."],
      ],
    );
    assert.ok(!(await timelineKinds(incident)).includes("status-page.resolved"));
  });

  it("an incident reopened before the job ran stays open on the page", async () => {
    const incident = await triaged("CartErrors", "degradation");
    await post(incident, "investigating", "Some carts fail to load.");
    await s.run();
    await s.advance(MINUTE);
    await resolve(s.fb.running.deps, s.ada.caller, incident.id);
    await moveResponsePhase(s.fb.running.deps, s.ada.caller, incident.id, "investigating");
    await s.run();
    const onPage = await shown(incident);
    assert.equal(onPage?.status, "investigating");
    assert.equal(onPage?.updates.length, 1);
    assert.ok(!(await timelineKinds(incident)).includes("status-page.resolved"));
    await resolve(s.fb.running.deps, s.ada.caller, incident.id);
    await s.run();
    assert.equal((await shown(incident))?.status, "resolved", "the second resolution does it");
  });

  it("an update posted before the resolution and published after it does not reopen the page", async () => {
    const incident = await triaged("SearchSlow", "degradation");
    await post(incident, "investigating", "Search is slow.");
    await s.run();
    await s.advance(5 * MINUTE);
    await post(incident, "monitoring", "A fix is out.");
    s.clock.advance(MINUTE); // no jobs run: the monitoring update waits to be published
    await resolve(s.fb.running.deps, s.ada.caller, incident.id);
    const resolvedAtMs = await resolvedAtOf(incident);
    assert.equal(
      await resolveStatusIncidentsWith(
        statusDeps(),
        { incidentId: incident.id, resolvedAtMs },
        s.clock.now(),
      ),
      "resolved",
    );
    await s.run();
    const onPage = await shown(incident);
    assert.equal(onPage?.status, "resolved");
    assert.deepEqual(
      onPage?.updates.map((u) => u.status),
      ["resolved", "monitoring", "investigating"],
      "kept in the history at the time it was posted",
    );
  });

  it("a first update still unpublished at the resolution ends up resolved on the page", async () => {
    const incident = await triaged("LoginErrors", "outage");
    await post(incident, "investigating", "Some logins fail.");
    await resolve(s.fb.running.deps, s.ada.caller, incident.id);
    const resolvedAtMs = await resolvedAtOf(incident);
    assert.equal(
      await resolveStatusIncidentsWith(
        statusDeps(),
        { incidentId: incident.id, resolvedAtMs },
        s.clock.now(),
      ),
      "nothing-open",
    );
    await s.run();
    const onPage = await shown(incident);
    assert.equal(onPage?.status, "resolved");
    assert.deepEqual(
      onPage?.updates.map((u) => u.status),
      ["resolved", "investigating"],
    );
  });
});
