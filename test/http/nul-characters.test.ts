import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { NUL_CHARACTER } from "../../src/http/json-body.js";
import { describeEachDialect } from "../support/dialects.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin } from "../support/status-setup.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const NUL = "\u0000";

/**
 * One request with U+0000 in one field. PostgreSQL cannot store it (a 500 before) and SQLite stored an
 * invisible character, so on both it is a 400 naming the field, and nothing is stored. `body` gets the
 * text to put where the NUL goes; with "-" (or `clean`) the same request is stored, proving the
 * snapshot would have seen it.
 */
interface Case {
  readonly name: string;
  readonly as: "admin" | "handler";
  readonly method: "GET" | "POST" | "PATCH" | "PUT";
  readonly url: (fill: string) => string;
  readonly body?: (fill: string) => object;
  readonly clean?: () => object;
  readonly path: string;
  readonly detail: string;
  /** A GET whose answer must not change when the request is refused. */
  readonly snapshot?: () => string;
}

describeEachDialect("a NUL character in a request", (dialect) => {
  let s: ResponseScenario;
  let admin: Client;
  let handler: Client;
  let incidentId: string;
  let n = 0;
  const unique = (base: string) => `${base}-${dialect}-${++n}`;

  before(async () => {
    s = await startResponseScenario(dialect);
    const dee = await s.person("admin", "Dee");
    admin = client(s.fb, {
      key: (await createApiKey(s.fb.running.deps, dee.caller, { name: "dee's cli", role: "admin" })).token,
    });
    handler = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    incidentId = (await s.openIncident("NulInTheWarRoom")).id;
    // Public updates are refused for a service no status page shows.
    await makePage(statusAdmin(s.fb.http, await s.fb.apiKey("admin")), {
      slug: "acme",
      serviceIds: [s.serviceId],
    });
  });
  after(() => s.close());

  const send = (c: Case, fill: string, body = c.body?.(fill)): Promise<LightMyRequestResponse> => {
    const who = c.as === "admin" ? admin : handler;
    const url = c.url(fill);
    if (c.method === "GET") return who.get(url);
    if (c.method === "POST") return who.post(url, body);
    return c.method === "PUT" ? who.put(url, body ?? {}) : who.patch(url, body ?? {});
  };
  const warRoom = () => `/api/v1/incidents/${incidentId}/response`;

  const cases: Case[] = [
    {
      name: "POST /api/v1/users: the name",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/users",
      body: (fill) => ({
        email: `${unique("nul")}@example.com`,
        name: `Null${fill}Person`,
        role: "viewer",
        password: "a long enough password",
      }),
      path: "/name",
      detail: "name must not contain a NUL character",
      snapshot: () => "/api/v1/users",
    },
    {
      name: "POST /api/v1/teams: the name",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/teams",
      body: (fill) => ({ name: `Null${fill}${unique("team")}` }),
      path: "/name",
      detail: "name must not contain a NUL character",
      snapshot: () => "/api/v1/teams",
    },
    {
      name: "POST /api/v1/services: the name",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/services",
      body: (fill) => ({ name: `null${fill}${unique("service")}` }),
      path: "/name",
      detail: "name must not contain a NUL character",
      snapshot: () => "/api/v1/services",
    },
    {
      name: "POST /api/v1/schedules: the description",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/schedules",
      body: (fill) => ({ name: unique("Nights"), timeZone: "Europe/Berlin", description: `a${fill}b` }),
      path: "/description",
      detail: "description must not contain a NUL character",
      snapshot: () => "/api/v1/schedules",
    },
    {
      name: "POST /api/v1/escalation-policies: the name",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/escalation-policies",
      body: (fill) => ({
        name: `Null${fill}${unique("policy")}`,
        steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: s.ada.id }] }],
        repeatCount: 0,
      }),
      path: "/name",
      detail: "name must not contain a NUL character",
      snapshot: () => "/api/v1/escalation-policies",
    },
    {
      name: "POST /api/v1/escalation-policies: a step's target",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/escalation-policies",
      body: (fill) => ({
        name: unique("Policy"),
        steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: `${s.ada.id}${fill}` }] }],
        repeatCount: 0,
      }),
      clean: () => ({
        name: unique("Policy"),
        steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: s.ada.id }] }],
        repeatCount: 0,
      }),
      path: "/steps/0/targets/0/userId",
      detail: "steps[0].targets[0].userId must not contain a NUL character",
      snapshot: () => "/api/v1/escalation-policies",
    },
    {
      name: "POST /api/v1/channels: a key of the config",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/channels",
      body: (fill) => ({
        name: unique("#nul"),
        kind: "webhook",
        config: { url: "http://127.0.0.1:9/hook", [`sec${fill}ret`]: "s" },
      }),
      clean: () => ({
        name: unique("#nul"),
        kind: "webhook",
        config: { url: "http://127.0.0.1:9/hook", secret: "s" },
      }),
      path: `/config/sec${NUL}ret`,
      detail: "config.sec\u2400ret must not contain a NUL character",
      snapshot: () => "/api/v1/channels",
    },
    {
      name: "POST /api/v1/vendors: the name",
      as: "admin",
      method: "POST",
      url: () => "/api/v1/vendors",
      body: (fill) => ({ name: `Acme${fill}${unique("DNS")}` }),
      path: "/name",
      detail: "name must not contain a NUL character",
      snapshot: () => "/api/v1/directory",
    },
    {
      name: "POST …/triage: the note",
      as: "handler",
      method: "POST",
      url: () => `/api/v1/incidents/${incidentId}/triage`,
      body: (fill) => ({ severity: "SEV2", level: "outage", onCallCanHandle: true, note: `db${fill}7` }),
      path: "/note",
      detail: "note must not contain a NUL character",
      snapshot: warRoom,
    },
    {
      name: "POST …/tasks: the title",
      as: "handler",
      method: "POST",
      url: () => `/api/v1/incidents/${incidentId}/tasks`,
      body: (fill) => ({ title: `Check${fill}DNS` }),
      path: "/title",
      detail: "title must not contain a NUL character",
      snapshot: warRoom,
    },
    {
      name: "POST …/fixes: the description",
      as: "handler",
      method: "POST",
      url: () => `/api/v1/incidents/${incidentId}/fixes`,
      body: (fill) => ({ kind: "rollback", description: `undo${fill}it` }),
      path: "/description",
      detail: "description must not contain a NUL character",
      snapshot: warRoom,
    },
    {
      name: "POST …/public-updates: the message",
      as: "handler",
      method: "POST",
      url: () => `/api/v1/incidents/${incidentId}/public-updates`,
      body: (fill) => ({ status: "identified", message: `We found${fill}it.` }),
      path: "/message",
      detail: "message must not contain a NUL character",
      snapshot: warRoom,
    },
    {
      name: "POST …/internal-updates: the message",
      as: "handler",
      method: "POST",
      url: () => `/api/v1/incidents/${incidentId}/internal-updates`,
      body: (fill) => ({ message: `DNS${fill}is fine` }),
      path: "/message",
      detail: "message must not contain a NUL character",
      snapshot: () => `/api/v1/incidents/${incidentId}`,
    },
    {
      name: "GET /api/v1/oncall: a query parameter",
      as: "admin",
      method: "GET",
      url: (fill) => `/api/v1/oncall?serviceId=${s.serviceId}${fill === NUL ? "%00" : ""}`,
      path: "querystring /serviceId",
      detail: "query parameter serviceId must not contain a NUL character",
    },
    {
      name: "GET /api/v1/services/:id: a path parameter",
      as: "admin",
      method: "GET",
      url: (fill) => `/api/v1/services/${s.serviceId}${fill === NUL ? "%00" : ""}`,
      path: "params /id",
      detail: "path parameter id must not contain a NUL character",
    },
    {
      name: "PATCH /api/v1/services/:id: a path parameter and a body field, each named",
      as: "admin",
      method: "PATCH",
      url: (fill) => `/api/v1/services/${s.serviceId}${fill === NUL ? "%00" : ""}`,
      body: (fill) => ({ description: `a${fill}b` }),
      path: "params /id",
      detail:
        "path parameter id must not contain a NUL character; description must not contain a NUL character",
      snapshot: () => "/api/v1/services",
    },
  ];

  for (const c of cases)
    it(`${c.name}: 400 at ${c.path.replaceAll(NUL, "\u2400")}, nothing stored`, async () => {
      const before = c.snapshot && (await admin.get(c.snapshot())).body;
      const problem = assertProblem(await send(c, NUL), 400, "VALIDATION");
      assert.equal(problem.errors?.[0]?.path, c.path);
      assert.ok(
        problem.errors?.every((e) => e.message === NUL_CHARACTER),
        JSON.stringify(problem.errors),
      );
      assert.equal(problem.detail, c.detail);
      if (!c.snapshot) {
        const clean = await send(c, "-");
        assert.ok(clean.statusCode < 300, `the same request without the NUL: ${clean.body}`);
        return;
      }
      assert.equal((await admin.get(c.snapshot())).body, before, "nothing was stored");
      const clean = await send(c, "-", c.clean?.());
      assert.ok(clean.statusCode < 300, `the same request without the NUL: ${clean.body}`);
      assert.notEqual((await admin.get(c.snapshot())).body, before, "the snapshot sees what is stored");
    });

  it("a form field (%00 decoded) is named like a JSON field", async () => {
    const res = await s.fb.http.inject({
      method: "POST",
      url: "/slack/commands",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "user_id=U1&text=triage%00now",
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "/text", message: NUL_CHARACTER }]);
  });

  it("the ingest endpoints still take it, as U+FFFD", async () => {
    const alertname = `NulIngest${dialect}`;
    const res = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      payload: {
        version: "4",
        status: "firing",
        alerts: [
          {
            status: "firing",
            labels: { alertname, instance: `db${NUL}7` },
            annotations: { summary: `Disk${NUL}full on db-7` },
            startsAt: "2021-01-01T00:00:00Z",
          },
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { accepted: number }).accepted, 1);
    const incidents = (await admin.get("/api/v1/incidents?state=triggered")).json() as Array<{
      title: string;
    }>;
    assert.ok(
      incidents.some((i) => i.title === "Disk\uFFFDfull on db-7"),
      JSON.stringify(incidents.map((i) => i.title)),
    );
  });
});
