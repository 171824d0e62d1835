import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, client, errorPaths, pathOf, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface Incident {
  id: string;
  number: number;
  state: string;
  title: string;
  serviceId: string;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  openedAt: string;
  assigneeIds: string[];
  escalation: { policyName: string } | null;
}
interface Detail {
  incident: Incident;
  serviceName: string;
  alerts: Array<{ summary: string; status: string; labels: Record<string, string> }>;
  timeline: Array<{ kind: string; actor: { kind: string; id: string } | null; message: string }>;
  deliveries: Array<{ event: string; status: string; recipientId: string; idempotencyKey?: string }>;
  recentChanges: unknown[];
}

describeEachDialect("incidents over HTTP, end to end", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let admin: Client;
  let viewer: Client;
  let ada: Client;
  let adaId: string;
  let serviceId: string;
  let integrationUrl: string;
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });

  before(async () => {
    clock = new FakeClock();
    sender = new RecordingSender();
    fb = await startTestFirebreak({
      dialect,
      clock,
      sender,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
  });
  after(() => fb.close());

  it("set up over the API, an Alertmanager alert pages Ada, who acknowledges over the API", async () => {
    // Everything through HTTP: person, contact method, policy, service, integration.
    const created = await admin.post("/api/v1/users", {
      email: `ada-${dialect}@example.com`,
      name: "Ada",
      role: "responder",
      password: "a long enough password",
    });
    assert.equal(created.statusCode, 201, created.body);
    adaId = (created.json() as { id: string }).id;
    const method = await admin.post(`/api/v1/users/${adaId}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(method.statusCode, 201, method.body);
    const policy = await admin.post("/api/v1/escalation-policies", {
      name: "Storage primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const service = await admin.post("/api/v1/services", {
      name: "storage",
      escalationPolicyId: (policy.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    serviceId = (service.json() as { id: string }).id;
    const integration = await admin.post(`/api/v1/services/${serviceId}/integrations`, {
      kind: "alertmanager",
    });
    assert.equal(integration.statusCode, 201, integration.body);
    integrationUrl = (integration.json() as { url: string }).url;

    const posted = await fb.http.inject({
      method: "POST",
      url: pathOf(integrationUrl),
      payload: alertmanagerBody("firing"),
    });
    assert.equal(posted.statusCode, 200, posted.body);
    await run();
    assert.deepEqual(sender.summary(), ["Ada:triggered"]);

    const listed = (await viewer.get("/api/v1/incidents")).json() as Incident[];
    assert.equal(listed.length, 1);
    const incident = listed[0]!;
    assert.equal(incident.state, "triggered");
    assert.equal(incident.title, "DiskAlmostFull on db-7");
    assert.equal(incident.openedAt, clock.now().toISOString());
    assert.equal(incident.escalation?.policyName, "Storage primary");

    const adaUser = await fb.signIn(`ada-${dialect}@example.com`, "a long enough password");
    ada = client(fb, adaUser);
    clock.advance(MINUTE);
    const acked = await ada.post(`/api/v1/incidents/INC-${incident.number}/acknowledge`);
    assert.equal(acked.statusCode, 200, acked.body);
    assert.equal((acked.json() as Incident).state, "acknowledged");
    assert.equal((acked.json() as Incident).acknowledgedBy, adaId);

    const detail = (await viewer.get(`/api/v1/incidents/${incident.number}`)).json() as Detail;
    assert.equal(detail.serviceName, "storage");
    assert.deepEqual(
      detail.alerts.map((a) => [a.summary, a.status]),
      [["DiskAlmostFull on db-7", "firing"]],
    );
    assert.deepEqual(
      detail.timeline.map((e) => e.kind),
      ["incident.triggered", "escalation.started", "notification.sent", "incident.acknowledged"],
    );
    assert.deepEqual(detail.timeline.at(-1)?.actor, { kind: "user", id: adaId, label: "Ada" });
    assert.deepEqual(
      detail.deliveries.map((d) => [d.event, d.status, d.recipientId]),
      [["triggered", "sent", adaId]],
    );
    assert.equal(detail.deliveries[0]!.idempotencyKey, undefined);
    assert.deepEqual(detail.recentChanges, []);

    // Acknowledged: nobody else is paged when the step's time passes.
    clock.advance(10 * MINUTE);
    await run();
    assert.equal(sender.sent.length, 1);
  });

  it("filters and pages the list", async () => {
    assert.equal(((await viewer.get("/api/v1/incidents?state=triggered")).json() as Incident[]).length, 0);
    assert.equal(
      ((await viewer.get("/api/v1/incidents?state=triggered,acknowledged")).json() as Incident[]).length,
      1,
    );
    assert.equal(((await viewer.get("/api/v1/incidents?service=storage")).json() as Incident[]).length, 1);
    assert.equal(
      ((await viewer.get(`/api/v1/incidents?service=${serviceId}&state=resolved`)).json() as Incident[])
        .length,
      0,
    );
    // "open" is triggered and acknowledged, as the console's tab and the CLI say.
    const open = await viewer.get("/api/v1/incidents?state=open");
    assert.equal(open.statusCode, 200, open.body);
    assert.deepEqual(
      (open.json() as Incident[]).map((i) => i.state),
      ["acknowledged"],
    );
    assert.equal(
      ((await viewer.get("/api/v1/incidents?state=Open,resolved")).json() as Incident[]).length,
      1,
    );
    const closed = await viewer.get("/api/v1/incidents?state=closed");
    assert.deepEqual(errorPaths(closed), ["querystring /state"]);
    assert.match(closed.body, /triggered, acknowledged, resolved, open/);
    assert.deepEqual(errorPaths(await viewer.get("/api/v1/incidents?limit=0")), ["querystring /limit"]);
    assertProblem(await viewer.get("/api/v1/incidents?service=nope"), 404, "NOT_FOUND");

    await fb.http.inject({
      method: "POST",
      url: pathOf(integrationUrl),
      payload: alertmanagerBody("firing", "HighLatency"),
    });
    const firstPage = (await viewer.get("/api/v1/incidents?limit=1")).json() as Incident[];
    assert.equal(firstPage.length, 1);
    const nextPage = (
      await viewer.get(`/api/v1/incidents?limit=1&before=${firstPage[0]!.number}`)
    ).json() as Incident[];
    assert.equal(nextPage.length, 1);
    assert.ok(nextPage[0]!.number < firstPage[0]!.number);
  });

  it("resolves, escalates and reassigns; viewers may only look", async () => {
    const [latest] = (await viewer.get("/api/v1/incidents?state=triggered&limit=1")).json() as Incident[];
    assertProblem(await viewer.post(`/api/v1/incidents/${latest!.id}/acknowledge`), 403, "FORBIDDEN");
    assertProblem(await ada.post("/api/v1/incidents/INC-9999/acknowledge"), 404, "NOT_FOUND");
    assertProblem(await viewer.get("/api/v1/incidents/INC-9999"), 404, "NOT_FOUND");

    const escalated = await ada.post(`/api/v1/incidents/${latest!.id}/escalate`);
    assert.equal(escalated.statusCode, 200, escalated.body);
    assert.equal((escalated.json() as Incident).state, "triggered");

    const reassigned = await ada.post(`/api/v1/incidents/${latest!.id}/reassign`, { userIds: [adaId] });
    assert.equal(reassigned.statusCode, 200, reassigned.body);
    assert.deepEqual((reassigned.json() as Incident).assigneeIds, [adaId]);
    assert.deepEqual(
      errorPaths(await ada.post(`/api/v1/incidents/${latest!.id}/reassign`, { userIds: [] })),
      ["/userIds"],
    );
    assert.deepEqual(
      errorPaths(await ada.post(`/api/v1/incidents/${latest!.id}/reassign`, { userIds: ["nobody"] })),
      ["/userIds"],
    );

    const resolved = await ada.post(`/api/v1/incidents/${latest!.id}/resolve`);
    assert.equal((resolved.json() as Incident).state, "resolved");
    assert.equal((resolved.json() as Incident).resolvedBy, adaId);
    assertProblem(await ada.post(`/api/v1/incidents/${latest!.id}/acknowledge`), 412, "PRECONDITION_FAILED");

    const kinds = ((await viewer.get(`/api/v1/incidents/${latest!.id}`)).json() as Detail).timeline.map(
      (e) => e.kind,
    );
    for (const kind of ["incident.escalate_requested", "incident.reassigned", "incident.resolved"])
      assert.ok(kinds.includes(kind), `${kind} in ${kinds.join()}`);
  });

  it("pages a service by hand (responder)", async () => {
    const paged = await ada.post("/api/v1/incidents", {
      service: "storage",
      summary: "Database is on fire",
      details: "Smoke from rack 4",
    });
    assert.equal(paged.statusCode, 201, paged.body);
    const incident = paged.json() as Incident;
    assert.equal(incident.title, "Database is on fire");
    assert.equal(incident.state, "triggered");
    const detail = (await viewer.get(`/api/v1/incidents/${incident.id}`)).json() as Detail;
    assert.equal(detail.alerts[0]?.labels.paged_by, `ada-${dialect}@example.com`);

    assertProblem(
      await viewer.post("/api/v1/incidents", { service: "storage", summary: "x" }),
      403,
      "FORBIDDEN",
    );
    assertProblem(await ada.post("/api/v1/incidents", { service: "nope", summary: "x" }), 404, "NOT_FOUND");
    assert.deepEqual(errorPaths(await ada.post("/api/v1/incidents", { service: "storage", summary: "  " })), [
      "/summary",
    ]);
    assert.deepEqual(errorPaths(await ada.post("/api/v1/incidents", { service: "storage" })), ["/summary"]);
  });
});
