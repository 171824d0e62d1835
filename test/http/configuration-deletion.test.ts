import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { alertmanagerBody, client, pathOf, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem, assertRacingCreates } from "./problem-assertions.js";

interface Named {
  id: string;
  name: string;
}
interface Integration extends Named {
  key: string;
  url: string;
  kind: string;
}
interface Incident {
  id: string;
  number: number;
  state: string;
}
interface AuditEntry {
  action: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: unknown;
}

describeEachDialect("deleting services, integrations, policies and teams over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let admin: Client;
  let responder: Client;
  let viewer: Client;
  let adaId: string;
  let bobId: string;
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
    responder = client(fb, { key: await fb.apiKey("responder") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    adaId = await pageablePerson("Ada");
    bobId = await pageablePerson("Bob");
  });
  after(() => fb.close());

  async function pageablePerson(name: string): Promise<string> {
    const res = await admin.post("/api/v1/users", {
      email: `${name.toLowerCase()}-${dialect}@example.com`,
      name,
      role: "responder",
      password: "a long enough password",
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = (res.json() as Named).id;
    const method = await admin.post(`/api/v1/users/${id}/contact-methods`, {
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    assert.equal(method.statusCode, 201, method.body);
    return id;
  }

  const created = async <T = Named>(url: string, body: object): Promise<T> => {
    const res = await admin.post(url, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as T;
  };
  const newIntegration = (serviceId: string) =>
    created<Integration>(`/api/v1/services/${serviceId}/integrations`, { kind: "alertmanager" });
  const sendAlert = (integration: Integration, alertname = "DiskAlmostFull") =>
    fb.http.inject({
      method: "POST",
      url: pathOf(integration.url),
      payload: alertmanagerBody("firing", alertname),
    });
  const auditOf = async (entityId: string): Promise<AuditEntry[]> =>
    (await admin.get(`/api/v1/audit-log?entityId=${encodeURIComponent(entityId)}`)).json() as AuditEntry[];
  const openIncidentsOf = async (serviceId: string): Promise<Incident[]> =>
    (await viewer.get(`/api/v1/incidents?service=${serviceId}`)).json() as Incident[];

  it("a deleted integration's key is unknown at once; what it raised stays readable", async () => {
    const service = await created("/api/v1/services", { name: "ledger" });
    const integration = await newIntegration(service.id);
    assert.equal((await sendAlert(integration)).statusCode, 200);
    const [incident] = await openIncidentsOf(service.id);
    assert.ok(incident);

    assertProblem(await responder.delete(`/api/v1/integrations/${integration.id}`), 403, "FORBIDDEN");
    const deleted = await admin.delete(`/api/v1/integrations/${integration.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);

    const refused = assertProblem(await sendAlert(integration, "Another"), 404, "NOT_FOUND");
    assert.match(refused.detail, /no alertmanager integration has this key/);
    const listed = (await admin.get(`/api/v1/services/${service.id}/integrations`)).json() as Named[];
    assert.deepEqual(listed, []);
    assertProblem(await admin.delete(`/api/v1/integrations/${integration.id}`), 404, "NOT_FOUND");
    assertProblem(await admin.post(`/api/v1/integrations/${integration.id}/enable`), 404, "NOT_FOUND");

    const detail = await viewer.get(`/api/v1/incidents/${incident.number}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.equal((detail.json() as { alerts: unknown[] }).alerts.length, 1);
    const [entry] = await auditOf(integration.id);
    assert.equal(entry?.action, "integration.delete");
    assert.equal(entry?.after, null);
    assert.equal(entry?.before?.name, integration.name);
    assert.equal(entry?.before?.key, undefined, "the audit log never holds a key");
  });

  it("a service with unresolved incidents is kept; once resolved it is archived and its name is free", async () => {
    const service = await created("/api/v1/services", { name: "payments" });
    const integration = await newIntegration(service.id);
    assert.equal((await sendAlert(integration)).statusCode, 200);
    const [incident] = await openIncidentsOf(service.id);
    assert.ok(incident);

    const refused = assertProblem(await admin.delete("/api/v1/services/payments"), 409, "CONFLICT");
    assert.match(
      refused.detail,
      new RegExp(`payments has unresolved incidents \\(INC-${incident.number}\\)`),
    );
    assertProblem(await responder.delete(`/api/v1/services/${service.id}`), 403, "FORBIDDEN");

    const resolved = await admin.post(`/api/v1/incidents/${incident.id}/resolve`);
    assert.equal(resolved.statusCode, 200, resolved.body);
    const deleted = await admin.delete("/api/v1/services/payments");
    assert.equal(deleted.statusCode, 204, deleted.body);

    assert.ok(!((await viewer.get("/api/v1/services")).json() as Named[]).some((s) => s.id === service.id));
    assertProblem(await viewer.get(`/api/v1/services/${service.id}`), 404, "NOT_FOUND");
    assertProblem(
      await admin.patch(`/api/v1/services/${service.id}`, { description: "x" }),
      404,
      "NOT_FOUND",
    );
    assertProblem(await admin.get(`/api/v1/services/${service.id}/integrations`), 404, "NOT_FOUND");
    assertProblem(await admin.delete(`/api/v1/services/${service.id}`), 404, "NOT_FOUND");
    assertProblem(await sendAlert(integration, "AfterDelete"), 404, "NOT_FOUND");
    assertProblem(
      await responder.post("/api/v1/incidents", { service: service.id, summary: "x" }),
      404,
      "NOT_FOUND",
    );

    const detail = (await viewer.get(`/api/v1/incidents/${incident.number}`)).json() as {
      serviceName: string;
      timeline: unknown[];
    };
    assert.equal(detail.serviceName, "payments", "its incidents still show its name");
    assert.ok(detail.timeline.length > 0);
    // Its incidents stay listable by its id; its name now means nothing (until a new service takes it).
    assert.deepEqual(
      ((await viewer.get(`/api/v1/incidents?service=${service.id}`)).json() as Incident[]).map((i) => i.id),
      [incident.id],
    );
    assertProblem(await viewer.get("/api/v1/incidents?service=payments"), 404, "NOT_FOUND");

    const again = await created("/api/v1/services", { name: "payments" });
    assert.notEqual(again.id, service.id);
    assert.equal(((await viewer.get("/api/v1/services/payments")).json() as Named).id, again.id);
    const entry = (await auditOf(service.id)).find((e) => e.action === "service.delete");
    assert.equal(entry?.before?.name, "payments");
    assert.deepEqual(entry?.before?.integrationIds, [integration.id]);
  });

  it("a service shown on status-page components is kept, naming them and their pages; unlinked, it is deleted", async () => {
    const service = await created("/api/v1/services", { name: "storefront" });
    const acme = await created<{ id: string }>("/api/v1/status-pages", {
      slug: "acme",
      title: "Acme Status",
    });
    const component = (name: string, pageId = acme.id) =>
      created(`/api/v1/status-pages/${pageId}/components`, { name, serviceIds: [service.id] });
    const api = await component("API");
    const checkout = await component("Checkout");

    const refused = assertProblem(await admin.delete("/api/v1/services/storefront"), 409, "CONFLICT");
    assert.equal(
      refused.detail,
      "service storefront is shown on status page components API (page Acme Status), " +
        "Checkout (page Acme Status): remove it from them before deleting it",
    );
    assert.ok(((await viewer.get("/api/v1/services")).json() as Named[]).some((s) => s.id === service.id));

    // Past five, the refusal stops naming them.
    const beta = await created<{ id: string }>("/api/v1/status-pages", { slug: "beta", title: "Beta" });
    const more = [];
    for (const name of ["B1", "B2", "B3", "B4"]) more.push(await component(name, beta.id));
    const capped = assertProblem(await admin.delete(`/api/v1/services/${service.id}`), 409, "CONFLICT");
    assert.match(
      capped.detail,
      /^service storefront is shown on status page components (.+\(page .+\), ){4}.+\(page .+\) and more: /,
    );
    for (const c of more) {
      const res = await admin.delete(`/api/v1/status-pages/${beta.id}/components/${c.id}`);
      assert.equal(res.statusCode, 204, res.body);
    }

    const unlinked = await admin.patch(`/api/v1/status-pages/${acme.id}/components/${api.id}`, {
      serviceIds: [],
    });
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    const one = assertProblem(await admin.delete(`/api/v1/services/${service.id}`), 409, "CONFLICT");
    assert.equal(
      one.detail,
      "service storefront is shown on status page component Checkout (page Acme Status): " +
        "remove it from that component before deleting it",
    );
    const dropped = await admin.delete(`/api/v1/status-pages/${acme.id}/components/${checkout.id}`);
    assert.equal(dropped.statusCode, 204, dropped.body);

    const deleted = await admin.delete("/api/v1/services/storefront");
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.ok(!((await viewer.get("/api/v1/services")).json() as Named[]).some((s) => s.id === service.id));

    // Deleted, it cannot be linked again by its id.
    const relinked = assertProblem(
      await admin.patch(`/api/v1/status-pages/${acme.id}/components/${api.id}`, { serviceIds: [service.id] }),
      400,
      "VALIDATION",
    );
    assert.deepEqual(
      relinked.errors?.map((e) => e.path),
      ["/serviceIds/0"],
    );
  });

  it("a policy in use is kept, naming its services; deleted, its incidents under way go on escalating", async () => {
    const policy = await created("/api/v1/escalation-policies", {
      name: "Checkout primary",
      steps: [
        { delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] },
        { delayMinutes: 5, targets: [{ kind: "user", userId: bobId }] },
      ],
      repeatCount: 0,
    });
    const checkout = await created("/api/v1/services", { name: "checkout", escalationPolicyId: policy.id });
    await created("/api/v1/services", { name: "carts", escalationPolicyId: policy.id });
    const integration = await newIntegration(checkout.id);
    sender.clear();
    assert.equal((await sendAlert(integration)).statusCode, 200);
    await run();
    assert.deepEqual(sender.summary(), ["Ada:triggered"]);

    const refused = assertProblem(
      await admin.delete(`/api/v1/escalation-policies/${policy.id}`),
      409,
      "CONFLICT",
    );
    assert.match(refused.detail, /Checkout primary pages for services carts and checkout/);
    for (const name of ["checkout", "carts"]) {
      const res = await admin.patch(`/api/v1/services/${name}`, { escalationPolicyId: null });
      assert.equal(res.statusCode, 200, res.body);
    }
    assertProblem(await responder.delete(`/api/v1/escalation-policies/${policy.id}`), 403, "FORBIDDEN");
    const deleted = await admin.delete(`/api/v1/escalation-policies/${policy.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    const policies = (await viewer.get("/api/v1/escalation-policies")).json() as Named[];
    assert.ok(!policies.some((p) => p.id === policy.id));
    assertProblem(await admin.delete(`/api/v1/escalation-policies/${policy.id}`), 404, "NOT_FOUND");

    clock.advance(5 * MINUTE + 1000);
    await run();
    assert.deepEqual(sender.summary(), ["Ada:triggered", "Bob:escalated"], "step 2 still pages Bob");
    const entry = (await auditOf(policy.id)).find((e) => e.action === "escalation_policy.delete");
    assert.equal(entry?.before?.name, "Checkout primary");
  });

  it("a team that owns services or is paged is kept, naming them; deleted, its memberships go too", async () => {
    const team = await created("/api/v1/teams", { name: "Search" });
    const member = await admin.put(`/api/v1/teams/${team.id}/members/${adaId}`, { role: "member" });
    assert.equal(member.statusCode, 200, member.body);
    await created("/api/v1/services", { name: "search-api", teamId: team.id });
    const policy = await created("/api/v1/escalation-policies", {
      name: "Search team",
      steps: [{ delayMinutes: 5, targets: [{ kind: "team", teamId: team.id }] }],
      repeatCount: 0,
    });

    const refused = assertProblem(await admin.delete(`/api/v1/teams/${team.id}`), 409, "CONFLICT");
    assert.match(refused.detail, /owns service search-api and is paged by escalation policy Search team/);

    assert.equal((await admin.patch("/api/v1/services/search-api", { teamId: null })).statusCode, 200);
    const stillPaged = assertProblem(await admin.delete(`/api/v1/teams/${team.id}`), 409, "CONFLICT");
    assert.doesNotMatch(stillPaged.detail, /search-api/);
    assert.equal((await admin.delete(`/api/v1/escalation-policies/${policy.id}`)).statusCode, 204);

    assertProblem(await responder.delete(`/api/v1/teams/${team.id}`), 403, "FORBIDDEN");
    const deleted = await admin.delete(`/api/v1/teams/${team.id}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.ok(!((await viewer.get("/api/v1/teams")).json() as Named[]).some((t) => t.id === team.id));
    assertProblem(await viewer.get(`/api/v1/teams/${team.id}/members`), 404, "NOT_FOUND");
    const entry = (await auditOf(team.id)).find((e) => e.action === "team.delete");
    assert.deepEqual(entry?.before?.members, [{ userId: adaId, role: "member" }]);
    assert.equal((await admin.post("/api/v1/teams", { name: "Search" })).statusCode, 201, "name free");
  });

  it("refuses a duplicate name with 409 that names the field, for every kind of thing", async () => {
    const policyBody = (name: string) => ({
      name,
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    await created("/api/v1/services", { name: "dup-service" });
    await created("/api/v1/teams", { name: "dup-team" });
    await created("/api/v1/schedules", { name: "dup-schedule", timeZone: "Europe/Berlin" });
    await created("/api/v1/vendors", { name: "dup-vendor" });
    await created("/api/v1/escalation-policies", policyBody("dup-policy"));
    const other = await created("/api/v1/escalation-policies", policyBody("other-policy"));
    const cases: Array<[string, Promise<LightMyRequestResponse>, string]> = [
      ["service", admin.post("/api/v1/services", { name: "dup-service" }), "/name"],
      ["team", admin.post("/api/v1/teams", { name: "dup-team" }), "/name"],
      ["schedule", admin.post("/api/v1/schedules", { name: "dup-schedule", timeZone: "UTC" }), "/name"],
      ["vendor", admin.post("/api/v1/vendors", { name: "dup-vendor" }), "/name"],
      ["policy", admin.post("/api/v1/escalation-policies", policyBody("dup-policy")), "/name"],
      [
        "policy rename",
        admin.put(`/api/v1/escalation-policies/${other.id}`, policyBody("dup-policy")),
        "/name",
      ],
      [
        "user",
        admin.post("/api/v1/users", {
          email: `ada-${dialect}@example.com`,
          name: "Ada again",
          role: "viewer",
          password: "a long enough password",
        }),
        "/email",
      ],
    ];
    for (const [what, response, path] of cases) {
      const problem = assertProblem(await response, 409, "CONFLICT");
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        [path],
        `${what}: ${JSON.stringify(problem)}`,
      );
      assert.match(problem.errors?.[0]?.message ?? "", /^is taken: /, what);
    }
    // Renaming a policy to its own name is no conflict.
    const same = await admin.put(`/api/v1/escalation-policies/${other.id}`, policyBody("other-policy"));
    assert.equal(same.statusCode, 200, same.body);
  });

  it("creates of one policy name at once: one is made, the others are told the name is taken", async () => {
    const names = await assertRacingCreates(
      "Racing policy",
      (name) =>
        admin.post("/api/v1/escalation-policies", {
          name,
          steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
          repeatCount: 0,
        }),
      (name) => `an escalation policy named ${name} already exists`,
    );
    const policies = (await viewer.get("/api/v1/escalation-policies")).json() as Named[];
    for (const name of names) assert.equal(policies.filter((p) => p.name === name).length, 1, name);
  });

  it("creates of one team name at once: one is made, the others are told the name is taken", async () => {
    const names = await assertRacingCreates(
      "Racing team",
      (name) => admin.post("/api/v1/teams", { name }),
      (name) => `a team named ${name} already exists`,
    );
    const teams = (await viewer.get("/api/v1/teams")).json() as Named[];
    for (const name of names) assert.equal(teams.filter((t) => t.name === name).length, 1, name);
  });

  it("paging by hand works through an integration no list shows", async () => {
    const policy = await created("/api/v1/escalation-policies", {
      name: "Manual paging",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: bobId }] }],
      repeatCount: 0,
    });
    const service = await created("/api/v1/services", { name: "by-hand", escalationPolicyId: policy.id });
    sender.clear();
    for (const summary of ["first page", "second page"]) {
      const paged = await responder.post("/api/v1/incidents", { service: "by-hand", summary });
      assert.equal(paged.statusCode, 201, paged.body);
    }
    await run();
    assert.deepEqual(sender.summary(), ["Bob:triggered", "Bob:triggered"]);
    assert.deepEqual((await admin.get(`/api/v1/services/${service.id}/integrations`)).json(), []);
    const made = ((await admin.get("/api/v1/audit-log?limit=500")).json() as AuditEntry[]).filter(
      (e) =>
        e.action === "integration.create" && (e.after as { serviceId?: string }).serviceId === service.id,
    );
    assert.equal(made.length, 1, "made once, then reused");
    const manualId = made[0]!.entityId;
    assertProblem(await admin.post(`/api/v1/integrations/${manualId}/disable`), 404, "NOT_FOUND");
    assertProblem(await admin.delete(`/api/v1/integrations/${manualId}`), 404, "NOT_FOUND");
  });
});
