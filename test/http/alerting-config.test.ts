import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { alertmanagerBody, client, errorPaths, pathOf, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem, assertRacingCreates } from "./problem-assertions.js";

interface Service {
  id: string;
  name: string;
  grouping: { mode: string; labels: string[]; windowMinutes: number | null };
  escalationPolicyId: string | null;
  channelId: string | null;
}
interface Integration {
  id: string;
  kind: string;
  key: string;
  url: string;
  disabledAt: string | null;
  snippets: Array<{ id: string; title: string; format: string; text: string }>;
}

describeEachDialect("services, integrations, policies and channels over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let responder: Client;
  let viewer: Client;
  let userId: string;
  let teamId: string;

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false, env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL } });
    admin = client(fb, { key: await fb.apiKey("admin") });
    responder = client(fb, { key: await fb.apiKey("responder") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    userId = (await fb.user("responder")).id;
    teamId = ((await admin.post("/api/v1/teams", { name: "Storage" })).json() as { id: string }).id;
  });
  after(() => fb.close());

  const newService = async (name: string, extra: object = {}): Promise<Service> => {
    const res = await admin.post("/api/v1/services", { name, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Service;
  };
  const newIntegration = async (serviceId: string, body: object): Promise<Integration> => {
    const res = await admin.post(`/api/v1/services/${serviceId}/integrations`, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Integration;
  };

  it("creates, lists, reads (by id or name) and changes a service", async () => {
    const created = await newService("checkout", {
      description: "Payments",
      grouping: { mode: "labels", labels: ["alertname", "cluster"], windowMinutes: 30 },
    });
    assert.deepEqual(created.grouping, {
      mode: "labels",
      labels: ["alertname", "cluster"],
      windowMinutes: 30,
    });
    assert.ok(((await viewer.get("/api/v1/services")).json() as Service[]).some((s) => s.id === created.id));
    assert.equal(((await viewer.get(`/api/v1/services/${created.id}`)).json() as Service).name, "checkout");
    assert.equal(((await viewer.get("/api/v1/services/checkout")).json() as Service).id, created.id);

    const changed = await admin.patch("/api/v1/services/checkout", {
      grouping: { mode: "none", labels: [], windowMinutes: null },
      reopenWindowMinutes: 10,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((changed.json() as Service & { reopenWindowMinutes: number }).reopenWindowMinutes, 10);
    assert.deepEqual((changed.json() as Service).grouping, { mode: "none", labels: [], windowMinutes: null });
    // null stays null (a union schema with type coercion would have made it 0 or "").
    assert.equal(
      ((await admin.patch(`/api/v1/services/${created.id}`, { teamId })).json() as { teamId: string | null })
        .teamId,
      teamId,
    );
    assert.equal(
      (
        (await admin.patch(`/api/v1/services/${created.id}`, { teamId: null })).json() as {
          teamId: string | null;
        }
      ).teamId,
      null,
    );
  });

  it("refuses bad services, naming the field", async () => {
    const noLabels = await admin.post("/api/v1/services", {
      name: "x",
      grouping: { mode: "labels", labels: [], windowMinutes: null },
    });
    assert.deepEqual(
      assertProblem(noLabels, 400, "VALIDATION").errors?.map((e) => e.path),
      ["/grouping/labels"],
    );
    assert.deepEqual(
      errorPaths(
        await admin.post("/api/v1/services", {
          name: "y",
          grouping: { mode: "sideways", labels: [], windowMinutes: null },
        }),
      ),
      ["/grouping/mode"],
    );
    assert.deepEqual(
      errorPaths(await admin.post("/api/v1/services", { name: "z", escalationPolicyId: "no-such-policy" })),
      ["/escalationPolicyId"],
    );
    assert.deepEqual(errorPaths(await admin.post("/api/v1/services", { name: "z", colour: "red" })), [
      "/colour",
    ]);
    await newService("unique");
    assertProblem(await admin.post("/api/v1/services", { name: "unique" }), 409, "CONFLICT");
    assertProblem(await admin.get("/api/v1/services/nope"), 404, "NOT_FOUND");
    assertProblem(await admin.patch("/api/v1/services/nope", { description: "x" }), 404, "NOT_FOUND");
  });

  it("creates of one service name at once: one is made, the others are told the name is taken", async () => {
    await assertRacingCreates(
      "racing-service",
      (name) => admin.post("/api/v1/services", { name }),
      (name) => `a service named ${name} already exists`,
    );
  });

  it("takes a service's name in any case, and refuses a second that differs only in case", async () => {
    const service = await newService("Ledger API");
    const variant = await admin.post("/api/v1/services", { name: "ledger api" });
    const problem = assertProblem(variant, 409, "CONFLICT");
    assert.match(JSON.stringify(problem), /a service named Ledger API already exists/);
    const read = await viewer.get("/api/v1/services/ledger%20api");
    assert.equal(read.statusCode, 200, read.body);
    assert.equal((read.json() as Service).id, service.id, "the one name alike, in another case");
    // Its own name in another case is a rename, not a clash.
    const renamed = await admin.patch(`/api/v1/services/${service.id}`, { name: "Ledger api" });
    assert.equal(renamed.statusCode, 200, renamed.body);
  });

  it("keeps service changes for admins", async () => {
    assertProblem(await viewer.post("/api/v1/services", { name: "viewer-made" }), 403, "FORBIDDEN");
    assertProblem(await responder.post("/api/v1/services", { name: "responder-made" }), 403, "FORBIDDEN");
    assertProblem(await responder.patch("/api/v1/services/checkout", { description: "x" }), 403, "FORBIDDEN");
  });

  it("gives each integration its key, URL and copy-paste snippets", async () => {
    const service = await newService("snippets");
    const am = await newIntegration(service.id, { kind: "alertmanager" });
    assert.equal(am.url, `${PUBLIC_URL}/integrations/alertmanager/${am.key}`);
    const webhookConfigs = am.snippets.find((s) => s.id === "alertmanager-webhook")?.text ?? "";
    assert.match(webhookConfigs, /webhook_configs:/);
    assert.ok(webhookConfigs.includes(`url: "${am.url}"`));
    assert.match(webhookConfigs, /send_resolved: true/);
    assert.ok(am.snippets.find((s) => s.id === "grafana-webhook")?.text.includes(am.url));

    const pd = await newIntegration(service.id, { kind: "pagerduty", name: "Grafana PD" });
    assert.equal(pd.url, `${PUBLIC_URL}/v2/enqueue`);
    assert.ok(
      pd.snippets.find((s) => s.id === "alertmanager-pagerduty")?.text.includes(`routing_key: "${pd.key}"`),
    );
    assert.ok(
      pd.snippets
        .find((s) => s.id === "alertmanager-pagerduty")
        ?.text.includes(`url: "${PUBLIC_URL}/v2/enqueue"`),
    );
    assert.ok(
      pd.snippets.find((s) => s.id === "grafana-pagerduty")?.text.includes(`Integration Key: ${pd.key}`),
    );

    const prom = await newIntegration(service.id, { kind: "prometheus" });
    const alerting = prom.snippets.find((s) => s.id === "prometheus-alertmanagers")?.text ?? "";
    assert.ok(alerting.includes(`path_prefix: "/int/${prom.key}"`), alerting);
    assert.match(alerting, /scheme: https/);
    assert.match(alerting, /targets: \["firebreak\.example\.net:443"\]/);

    const hb = await newIntegration(service.id, { kind: "heartbeat", heartbeatIntervalSeconds: 600 });
    assert.equal(
      hb.snippets.find((s) => s.id === "curl")?.text,
      `curl -fsS '${PUBLIC_URL}/heartbeat/${hb.key}'\n`,
    );
    const wh = await newIntegration(service.id, { kind: "webhook" });
    assert.ok(
      wh.snippets.find((s) => s.id === "curl")?.text.includes(`${PUBLIC_URL}/integrations/webhook/${wh.key}`),
    );

    // The snippets' URLs work: the curl examples' targets accept alerts.
    assert.equal(
      (await fb.http.inject({ method: "POST", url: pathOf(am.url), payload: alertmanagerBody("firing") }))
        .statusCode,
      200,
    );
    assert.equal(
      (
        await fb.http.inject({
          method: "POST",
          url: `${pathOf(prom.url)}/api/v2/alerts`,
          payload: [{ labels: { alertname: "X" } }],
        })
      ).statusCode,
      200,
    );
    assert.equal((await fb.http.inject({ method: "GET", url: pathOf(hb.url) })).statusCode, 200);

    const listed = await responder.get(`/api/v1/services/${service.id}/integrations`);
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.headers["cache-control"], "no-store");
    assert.deepEqual(
      (listed.json() as Integration[]).map((i) => i.key).sort(),
      [am.key, pd.key, prom.key, hb.key, wh.key].sort(),
    );
  });

  it("keeps keys from viewers and refuses bad integrations", async () => {
    const service = await newService("guarded");
    assertProblem(await viewer.get(`/api/v1/services/${service.id}/integrations`), 403, "FORBIDDEN");
    assertProblem(
      await responder.post(`/api/v1/services/${service.id}/integrations`, { kind: "webhook" }),
      403,
      "FORBIDDEN",
    );
    assert.deepEqual(
      errorPaths(await admin.post(`/api/v1/services/${service.id}/integrations`, { kind: "carrier-pigeon" })),
      ["/kind"],
    );
    assert.deepEqual(
      errorPaths(
        await admin.post(`/api/v1/services/${service.id}/integrations`, {
          kind: "heartbeat",
          heartbeatIntervalSeconds: 5,
        }),
      ),
      ["/heartbeatIntervalSeconds"],
    );
    assertProblem(
      await admin.post("/api/v1/services/nope/integrations", { kind: "webhook" }),
      404,
      "NOT_FOUND",
    );
    assertProblem(await admin.post("/api/v1/integrations/nope/rotate-key"), 404, "NOT_FOUND");
  });

  it("rotating the key retires the old one at once; disabling answers 403 until enabled", async () => {
    const service = await newService("rotation");
    const integration = await newIntegration(service.id, { kind: "alertmanager" });
    const send = (url: string) =>
      fb.http.inject({ method: "POST", url: pathOf(url), payload: alertmanagerBody("firing", "Rotation") });

    const rotated = await admin.post(`/api/v1/integrations/${integration.id}/rotate-key`);
    assert.equal(rotated.statusCode, 200, rotated.body);
    const fresh = rotated.json() as Integration;
    assert.notEqual(fresh.key, integration.key);
    assert.ok(fresh.url.endsWith(fresh.key));
    assertProblem(await send(integration.url), 404, "NOT_FOUND");
    assert.equal((await send(fresh.url)).statusCode, 200);

    const disabled = await admin.post(`/api/v1/integrations/${integration.id}/disable`);
    assert.notEqual((disabled.json() as Integration).disabledAt, null);
    assertProblem(await send(fresh.url), 403, "FORBIDDEN");
    assert.equal(
      ((await admin.post(`/api/v1/integrations/${integration.id}/enable`)).json() as Integration).disabledAt,
      null,
    );
    assert.equal((await send(fresh.url)).statusCode, 200);
    assertProblem(await responder.post(`/api/v1/integrations/${integration.id}/disable`), 403, "FORBIDDEN");
  });

  it("creates, lists and replaces escalation policies", async () => {
    const steps = [
      { delayMinutes: 5, targets: [{ kind: "user", userId }] },
      { delayMinutes: 10, targets: [{ kind: "team", teamId }] },
    ];
    const created = await admin.post("/api/v1/escalation-policies", {
      name: "Primary",
      steps,
      repeatCount: 1,
    });
    assert.equal(created.statusCode, 201, created.body);
    const policy = created.json() as { id: string; steps: unknown; repeatCount: number };
    assert.deepEqual(policy.steps, steps);
    assert.ok(
      ((await viewer.get("/api/v1/escalation-policies")).json() as Array<{ id: string }>).some(
        (p) => p.id === policy.id,
      ),
    );

    const replaced = await admin.put(`/api/v1/escalation-policies/${policy.id}`, {
      name: "Primary v2",
      steps: steps.slice(0, 1),
      repeatCount: 0,
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal((replaced.json() as { name: string }).name, "Primary v2");

    const service = await newService("paged", { escalationPolicyId: policy.id });
    assert.equal(service.escalationPolicyId, policy.id);
  });

  it("refuses bad escalation policies, naming the field", async () => {
    const bad = await admin.post("/api/v1/escalation-policies", {
      name: "Bad",
      steps: [
        { delayMinutes: 0, targets: [{ kind: "user", userId: "nobody" }] },
        { delayMinutes: 5, targets: [] },
      ],
      repeatCount: 42,
    });
    assertProblem(bad, 400, "VALIDATION");
    assert.deepEqual(errorPaths(bad).sort(), [
      "/repeatCount",
      "/steps/0/delayMinutes",
      "/steps/0/targets/0",
      "/steps/1/targets",
    ]);
    const wrongKind = await admin.post("/api/v1/escalation-policies", {
      name: "Bad",
      steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", id: "x" }] }],
      repeatCount: 0,
    });
    assertProblem(wrongKind, 400, "VALIDATION");
    assert.ok(
      errorPaths(wrongKind).every((p) => p.startsWith("/steps/0/targets/0")),
      errorPaths(wrongKind).join(),
    );
    assertProblem(
      await admin.put("/api/v1/escalation-policies/nope", {
        name: "x",
        steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId }] }],
        repeatCount: 0,
      }),
      404,
      "NOT_FOUND",
    );
    assertProblem(
      await responder.post("/api/v1/escalation-policies", { name: "x", steps: [], repeatCount: 0 }),
      403,
      "FORBIDDEN",
    );
  });

  it("creates shared channels whose settings never come back", async () => {
    const secretUrl = "https://hooks.example.net/services/T000/B000/very-secret-token";
    const created = await admin.post("/api/v1/channels", {
      name: "#storage",
      kind: "webhook",
      config: { url: secretUrl },
    });
    assert.equal(created.statusCode, 201, created.body);
    const channel = created.json() as { id: string; description: string; config?: unknown };
    assert.equal(channel.config, undefined);
    assert.ok(!created.body.includes("very-secret-token"));
    const listed = await viewer.get("/api/v1/channels");
    assert.ok((listed.json() as Array<{ id: string }>).some((c) => c.id === channel.id));
    assert.ok(!listed.body.includes("very-secret-token"));

    assert.deepEqual(
      errorPaths(await admin.post("/api/v1/channels", { name: "#x", kind: "webhook", config: {} })),
      ["/config/url"],
    );
    assert.deepEqual(
      errorPaths(
        await admin.post("/api/v1/channels", {
          name: "#x",
          kind: "webhook",
          config: { url: "ftp://example.net" },
        }),
      ),
      ["/config/url"],
    );
    assert.deepEqual(
      errorPaths(await admin.post("/api/v1/channels", { name: "#x", kind: "pager", config: {} })),
      ["/kind"],
    );
    assertProblem(
      await responder.post("/api/v1/channels", { name: "#x", kind: "webhook", config: { url: secretUrl } }),
      403,
      "FORBIDDEN",
    );

    const service = await newService("with-channel", { channelId: channel.id });
    assert.equal(service.channelId, channel.id);
    assert.deepEqual(
      errorPaths(await admin.patch(`/api/v1/services/${service.id}`, { channelId: "no-such-channel" })),
      ["/channelId"],
    );
  });

  it("names every bad field of a shared channel at once, not only the first", async () => {
    const before = (await admin.get("/api/v1/channels")).json() as unknown[];
    const several = await admin.post("/api/v1/channels", {
      name: " ",
      kind: "ntfy",
      config: { serverUrl: "ftp://ntfy.example.net", topic: "has spaces" },
    });
    assertProblem(several, 400, "VALIDATION");
    assert.deepEqual(errorPaths(several), ["/name", "/config/serverUrl", "/config/topic"]);
    // An unknown kind has no settings to check, but the name is still checked.
    assert.deepEqual(
      errorPaths(await admin.post("/api/v1/channels", { name: "", kind: "pigeon", config: {} })),
      ["/name", "/kind"],
    );
    // Over-long names and kinds reach the use case too, instead of a schema error that hides the rest.
    assert.deepEqual(
      errorPaths(
        await admin.post("/api/v1/channels", { name: "x".repeat(201), kind: "webhook", config: {} }),
      ),
      ["/name", "/config/url"],
    );
    assert.deepEqual(
      errorPaths(
        await admin.post("/api/v1/channels", { name: "x".repeat(201), kind: "k".repeat(51), config: {} }),
      ),
      ["/name", "/kind"],
    );
    assert.deepEqual((await admin.get("/api/v1/channels")).json(), before);
  });

  it("documents every new route in the OpenAPI document, with tags", async () => {
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const expected = [
      "/api/v1/services",
      "/api/v1/services/{id}",
      "/api/v1/services/{id}/integrations",
      "/api/v1/integrations/{id}/rotate-key",
      "/api/v1/integrations/{id}/disable",
      "/api/v1/integrations/{id}/enable",
      "/api/v1/escalation-policies",
      "/api/v1/escalation-policies/{id}",
      "/api/v1/channels",
      "/api/v1/channels/{id}/test",
      "/api/v1/me/contact-methods",
      "/api/v1/me/contact-methods/{id}",
      "/api/v1/me/contact-methods/{id}/test",
      "/api/v1/me/notification-rules",
      "/api/v1/users/{userId}/contact-methods",
      "/api/v1/users/{userId}/notification-rules",
      "/api/v1/incidents",
      "/api/v1/incidents/stream",
      "/api/v1/incidents/{ref}",
      "/api/v1/incidents/{ref}/acknowledge",
      "/api/v1/incidents/{ref}/reassign",
      "/actions/{token}",
      "/slack/interactions",
    ];
    const missing = expected.filter((p) => !doc.paths[p]);
    assert.deepEqual(missing, []);
    for (const p of expected)
      for (const [method, op] of Object.entries(doc.paths[p]!))
        assert.ok((op.tags ?? []).length > 0, `${method} ${p} has a tag`);
  });
});
