import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { createMaintenanceWindow } from "../../src/app/maintenance/manage-maintenance-windows.js";
import { putResponseSettings } from "../../src/app/response/manage-response-settings.js";
import { postInternalUpdate } from "../../src/app/response/post-internal-update.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { createService } from "../../src/app/services/manage-services.js";
import { isAppError } from "../../src/core/errors.js";
import { HOUR } from "../support/fake-clock.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

/**
 * References to records that are gone (a deleted service) or out of use (a disabled user) and empty
 * reference ids: refused with a 4xx naming the field, or left out of what is sent, never used.
 */
describe("deleted services, disabled users and empty ids are not used", () => {
  let s: ResponseScenario;
  let admin: Client;
  let ada: Client;

  before(async () => {
    s = await startResponseScenario("sqlite");
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
  });
  after(() => s.close());

  const deletedService = async (name: string): Promise<string> => {
    const made = await admin.post("/api/v1/services", { name });
    assert.equal(made.statusCode, 201, made.body);
    const id = (made.json() as { id: string }).id;
    assert.equal((await admin.delete(`/api/v1/services/${id}`)).statusCode, 204);
    return id;
  };

  it("an internal update asks no deleted dependent service to back off", async () => {
    const deps = s.fb.running.deps;
    const channelOf = async (name: string) =>
      (
        await createChannel(deps, setupCaller, {
          name: `#${name}`,
          kind: "webhook",
          config: { url: `http://127.0.0.1:9/${name}` },
        })
      ).id;
    const shop = await createService(deps, setupCaller, { name: "shop", channelId: await channelOf("shop") });
    const gone = await createService(deps, setupCaller, { name: "gone", channelId: await channelOf("gone") });
    await putResponseSettings(deps, setupCaller, s.serviceId, { dependentServiceIds: [shop.id, gone.id] });
    assert.equal((await admin.delete(`/api/v1/services/${gone.id}`)).statusCode, 204);

    const incident = await s.openIncident("BackOffProbe");
    const posted = await postInternalUpdate(deps, s.ada.caller, incident.id, "Rolling back");
    assert.deepEqual(posted.backOff, ["shop"]);
    await s.run();
    const urls = s.sender.sent.map((m) => m.config.url);
    assert.ok(urls.includes("http://127.0.0.1:9/shop"), urls.join(", "));
    assert.ok(!urls.includes("http://127.0.0.1:9/gone"), "the deleted service's channel hears nothing");
  });

  it("a maintenance window for a deleted service is a 404, also for a caller that skips the route", async () => {
    const goneId = await deletedService("gone-maintained");
    const now = s.clock.now().getTime();
    const window = { kind: "one-off" as const, startsAt: new Date(now), endsAt: new Date(now + HOUR) };
    assertProblem(
      await admin.post(`/api/v1/services/${goneId}/maintenance-windows`, {
        window: {
          kind: "one-off",
          startsAt: window.startsAt.toISOString(),
          endsAt: window.endsAt.toISOString(),
        },
      }),
      404,
      "NOT_FOUND",
    );
    await assert.rejects(
      createMaintenanceWindow(s.fb.running.deps, setupCaller, { serviceId: goneId, window }),
      (err) => isAppError(err) && err.code === "NOT_FOUND" && err.message === `service ${goneId} not found`,
    );
    assert.deepEqual(await s.fb.running.deps.uow.run((tx) => tx.maintenance.listForService(goneId)), []);
  });

  it("triage naming an empty handler id says it can't be empty, at /handlerId", async () => {
    const incident = await s.openIncident("EmptyHandler");
    const triage = { severity: "SEV2" as const, level: "outage" as const, onCallCanHandle: true };
    for (const handlerId of ["", "   "]) {
      await assert.rejects(
        triageIncident(s.fb.running.deps, s.ada.caller, incident.id, { ...triage, handlerId }),
        (err) =>
          isAppError(err) &&
          err.code === "VALIDATION" &&
          err.fields.length === 1 &&
          err.fields[0]?.path === "/handlerId" &&
          /^can't be empty/.test(err.fields[0].message),
        JSON.stringify(handlerId),
      );
    }
    const res = await ada.post(`/api/v1/incidents/${incident.id}/triage`, { ...triage, handlerId: "  " });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(errorPaths(res), ["/handlerId"]);
    assert.match(problem.errors![0]!.message, /^can't be empty/);
    assert.ok(!res.body.includes("user  "), res.body);
  });

  it("an escalation policy cannot name a disabled user as a new target; one disabled later may stay", async () => {
    const off = await s.person("responder", "Dee");
    const later = await s.person("responder", "Eve");
    assert.equal((await admin.patch(`/api/v1/users/${off.id}`, { disabled: true })).statusCode, 200);
    const policy = (userIds: string[]) => ({
      name: "Payments",
      repeatCount: 0,
      steps: [{ delayMinutes: 5, targets: userIds.map((userId) => ({ kind: "user", userId })) }],
    });

    const refused = await admin.post("/api/v1/escalation-policies", policy([s.ada.id, off.id]));
    const problem = assertProblem(refused, 400, "VALIDATION");
    assert.deepEqual(errorPaths(refused), ["/steps/0/targets/1"]);
    assert.equal(problem.errors![0]!.message, "Dee is disabled and would never be paged");
    const names = ((await admin.get("/api/v1/escalation-policies")).json() as Array<{ name: string }>).map(
      (p) => p.name,
    );
    assert.ok(!names.includes("Payments"), "nothing was stored");

    const made = await admin.post("/api/v1/escalation-policies", policy([s.ada.id, later.id]));
    assert.equal(made.statusCode, 201, made.body);
    const id = (made.json() as { id: string }).id;
    assert.equal((await admin.patch(`/api/v1/users/${later.id}`, { disabled: true })).statusCode, 200);
    // The console sends the whole policy back: Eve, disabled since, stays; Dee is still refused.
    const kept = await admin.put(`/api/v1/escalation-policies/${id}`, policy([later.id, s.ada.id]));
    assert.equal(kept.statusCode, 200, kept.body);
    const added = await admin.put(`/api/v1/escalation-policies/${id}`, policy([later.id, s.ada.id, off.id]));
    assertProblem(added, 400, "VALIDATION");
    assert.deepEqual(errorPaths(added), ["/steps/0/targets/2"]);
  });
});

describe("names with nothing visible are refused at /name", () => {
  let s: ResponseScenario;
  let admin: Client;

  before(async () => {
    s = await startResponseScenario("sqlite");
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
  });
  after(() => s.close());

  it("an escalation policy named only with invisible characters is a 400; an emoji name is fine", async () => {
    const policy = (name: string) => ({
      name,
      repeatCount: 0,
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: s.ada.id }] }],
    });
    for (const name of ["\u200b", "\u2060\ufeff", "\u0301\u0302", "\u200b \u200b"]) {
      const res = await admin.post("/api/v1/escalation-policies", policy(name));
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(errorPaths(res), ["/name"], JSON.stringify(name));
      assert.match(problem.errors![0]!.message, /has no visible characters/);
    }
    const emoji = await admin.post("/api/v1/escalation-policies", policy("👩\u200d💻 oncall"));
    assert.equal(emoji.statusCode, 201, emoji.body);
    const id = (emoji.json() as { id: string }).id;
    const renamed = await admin.put(`/api/v1/escalation-policies/${id}`, policy("\u200b"));
    assert.deepEqual(errorPaths(renamed), ["/name"]);
  });

  it("so are teams, services, schedules and people named only with invisible characters", async () => {
    const creates: Array<[what: string, url: string, body: (name: string) => Record<string, unknown>]> = [
      ["team", "/api/v1/teams", (name) => ({ name })],
      ["service", "/api/v1/services", (name) => ({ name })],
      ["schedule", "/api/v1/schedules", (name) => ({ name, timeZone: "UTC" })],
      [
        "person",
        "/api/v1/users",
        (name) => ({ email: "zw@example.com", name, role: "viewer", password: "a long enough password" }),
      ],
    ];
    for (const [what, url, body] of creates) {
      const refused = await admin.post(url, body("\u200b\u200b"));
      const problem = assertProblem(refused, 400, "VALIDATION");
      assert.deepEqual(errorPaths(refused), ["/name"], what);
      assert.match(problem.errors![0]!.message, /has no visible characters/, what);
      const accepted = await admin.post(url, body(`👩\u200d💻 ${what}`));
      assert.equal(accepted.statusCode, 201, `${what}: ${accepted.body}`);
    }
  });
});
