import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createService, updateService } from "../../src/app/services/manage-services.js";
import { createSchedule } from "../../src/app/schedules/manage-schedules.js";
import { isAppError } from "../../src/core/errors.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

/**
 * Input a careless or hostile caller sends: empty reference ids, huge page offsets, records that are
 * gone, duplicates. Each is a 4xx that names the field, never a 500, and nothing refused is stored.
 */
describe("hostile input is refused with a 4xx that names the field", () => {
  let s: ResponseScenario;
  let admin: Client;
  let ada: Client;

  before(async () => {
    s = await startResponseScenario("sqlite");
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
  });
  after(() => s.close());

  /** The field errors of a 400, after checking it is one. */
  const refusedAt = (res: Awaited<ReturnType<Client["get"]>>): string[] => {
    assertProblem(res, 400, "VALIDATION");
    return errorPaths(res);
  };

  it("an empty or unknown team, policy or channel id of a service is a 400 naming the field", async () => {
    for (const field of ["teamId", "escalationPolicyId", "channelId"]) {
      for (const value of ["", "no-such-id"]) {
        const created = await admin.post("/api/v1/services", {
          name: `svc-${field}-${value}`,
          [field]: value,
        });
        assert.deepEqual(refusedAt(created), [`/${field}`], `${field}=${JSON.stringify(value)}`);
        const changed = await admin.patch(`/api/v1/services/${s.serviceId}`, { [field]: value });
        assert.deepEqual(refusedAt(changed), [`/${field}`], `${field}=${JSON.stringify(value)}`);
      }
    }
    const names = ((await admin.get("/api/v1/services")).json() as Array<{ name: string }>).map(
      (x) => x.name,
    );
    assert.ok(!names.some((n) => n.startsWith("svc-")), names.join(", "));
    // The schema refuses "" now; the use case must too, for any caller that skips the schema.
    await assert.rejects(
      createService(s.fb.running.deps, setupCaller, { name: "direct", teamId: "" }),
      (err) => isAppError(err) && err.code === "VALIDATION" && err.fields[0]?.path === "/teamId",
    );
    await assert.rejects(
      updateService(s.fb.running.deps, setupCaller, s.serviceId, { channelId: "" }),
      (err) => isAppError(err) && err.code === "VALIDATION" && err.fields[0]?.path === "/channelId",
    );
  });

  it("an empty or unknown team id of a schedule is a 400 naming the field", async () => {
    const made = await admin.post("/api/v1/schedules", { name: "Primary", timeZone: "UTC" });
    assert.equal(made.statusCode, 201, made.body);
    const scheduleId = (made.json() as { id: string }).id;
    for (const value of ["", "no-such-team"]) {
      const created = await admin.post("/api/v1/schedules", {
        name: "Other",
        timeZone: "UTC",
        teamId: value,
      });
      assert.deepEqual(refusedAt(created), ["/teamId"], JSON.stringify(value));
      const changed = await admin.patch(`/api/v1/schedules/${scheduleId}`, { teamId: value });
      assert.deepEqual(refusedAt(changed), ["/teamId"], JSON.stringify(value));
    }
    await assert.rejects(
      createSchedule(s.fb.running.deps, setupCaller, { name: "direct", timeZone: "UTC", teamId: "" }),
      (err) => isAppError(err) && err.code === "VALIDATION" && err.fields[0]?.path === "/teamId",
    );
    // An override that replaces "" named nobody, and was stored so.
    const start = new Date(s.clock.now().getTime() + 3_600_000);
    const override = await admin.post(`/api/v1/schedules/${scheduleId}/overrides`, {
      userId: s.ada.id,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      replacesUserId: "",
    });
    assert.deepEqual(refusedAt(override), ["/replacesUserId"]);
  });

  it("an offset past the cap on an incident's alerts is a 400 naming offset, not a database error", async () => {
    const incident = await s.openIncident("OffsetProbe");
    for (const offset of ["99999999999999999999999", "1e308", "9007199254740993"]) {
      const res = await admin.get(`/api/v1/incidents/${incident.number}/alerts?offset=${offset}`);
      assert.deepEqual(refusedAt(res), ["querystring /offset"], offset);
    }
    const last = await admin.get(`/api/v1/incidents/${incident.number}/alerts?offset=1000000000`);
    assert.equal(last.statusCode, 200, last.body);
    assert.deepEqual((last.json() as { items: unknown[] }).items, []);
    // The incident list's page parameter is capped the same way.
    const list = await admin.get("/api/v1/incidents?before=99999999999999999999999");
    assert.deepEqual(refusedAt(list), ["querystring /before"]);
  });

  it("a deleted service has no response settings, and cannot be named a dependent", async () => {
    const gone = await admin.post("/api/v1/services", { name: "soon-gone" });
    assert.equal(gone.statusCode, 201, gone.body);
    const goneId = (gone.json() as { id: string }).id;
    assert.equal((await admin.delete(`/api/v1/services/${goneId}`)).statusCode, 204);

    assertProblem(await admin.get(`/api/v1/services/${goneId}/response-settings`), 404, "NOT_FOUND");
    assertProblem(
      await admin.put(`/api/v1/services/${goneId}/response-settings`, { watchMinutes: 30 }),
      404,
      "NOT_FOUND",
    );
    assert.equal(await s.fb.running.deps.uow.run((tx) => tx.serviceResponseSettings.find(goneId)), undefined);

    const named = await admin.put(`/api/v1/services/${s.serviceId}/response-settings`, {
      dependentServiceIds: [goneId],
    });
    assert.deepEqual(refusedAt(named), ["/dependentServiceIds/0"]);
    assert.match(named.body, /was deleted/);

    // One deleted after it was saved stays: the console sends the whole list back with every change.
    const later = await admin.post("/api/v1/services", { name: "deleted-later" });
    const laterId = (later.json() as { id: string }).id;
    const saved = await admin.put(`/api/v1/services/${s.serviceId}/response-settings`, {
      dependentServiceIds: [laterId],
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal((await admin.delete(`/api/v1/services/${laterId}`)).statusCode, 204);
    const changed = await admin.put(`/api/v1/services/${s.serviceId}/response-settings`, {
      watchMinutes: 45,
      dependentServiceIds: [laterId],
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual((changed.json() as { dependentServiceIds: string[] }).dependentServiceIds, [laterId]);
  });

  it("a user that does not exist has no contact methods or notification rules: 404, nothing written", async () => {
    // ("..." for "..": the URL's own ".." is resolved before routing, whatever its encoding.)
    for (const userId of ["abc", "00000000-0000-4000-8000-000000000000", "...", s.serviceId]) {
      const path = `/api/v1/users/${encodeURIComponent(userId)}`;
      for (const res of [
        await admin.get(`${path}/contact-methods`),
        await admin.get(`${path}/notification-rules`),
        await admin.put(`${path}/notification-rules`, { rules: [] }),
        await admin.post(`${path}/contact-methods`, {
          kind: "webhook",
          label: "x",
          config: { url: "https://example.net/hook" },
        }),
      ]) {
        const problem = assertProblem(res, 404, "NOT_FOUND");
        assert.equal(problem.detail, `user ${userId} not found`, res.body);
      }
      const audited = await admin.get(
        `/api/v1/audit-log?entityType=user&entityId=${encodeURIComponent(userId)}`,
      );
      assert.deepEqual(audited.json(), [], `no audit entry for user ${userId}`);
    }
    // A user that exists still answers.
    const own = await admin.get(`/api/v1/users/${s.ada.id}/contact-methods`);
    assert.equal(own.statusCode, 200, own.body);
  });

  it("heartbeat times on another kind of integration are a 400 naming the field; a negative interval too", async () => {
    const path = `/api/v1/services/${s.serviceId}/integrations`;
    const before = ((await admin.get(path)).json() as unknown[]).length;
    const interval = refusedAt(await admin.post(path, { kind: "webhook", heartbeatIntervalSeconds: -5 }));
    assert.deepEqual(interval, ["/heartbeatIntervalSeconds"]);
    const grace = await admin.post(path, { kind: "alertmanager", heartbeatGraceSeconds: 30 });
    assert.deepEqual(refusedAt(grace), ["/heartbeatGraceSeconds"]);
    assert.match(grace.body, /only for heartbeat integrations/);
    assert.deepEqual(refusedAt(await admin.post(path, { kind: "heartbeat", heartbeatIntervalSeconds: -5 })), [
      "/heartbeatIntervalSeconds",
    ]);
    assert.equal(((await admin.get(path)).json() as unknown[]).length, before, "nothing was added");
    const heartbeat = await admin.post(path, { kind: "heartbeat", heartbeatIntervalSeconds: 60 });
    assert.equal(heartbeat.statusCode, 201, heartbeat.body);
  });

  it("a notification rule repeating an earlier one's contact method and delay is refused, naming it", async () => {
    const methods = (await ada.get("/api/v1/me/contact-methods")).json() as Array<{ id: string }>;
    const method = methods[0]!.id;
    const twice = await ada.put("/api/v1/me/notification-rules", {
      rules: [
        { contactMethodId: method, delayMinutes: 0 },
        { contactMethodId: method, delayMinutes: 5 },
        { contactMethodId: method, delayMinutes: 0 },
      ],
    });
    // Named on the repeat's contact method: the console shows errors beside a rule's fields only.
    assert.deepEqual(refusedAt(twice), ["/rules/2/contactMethodId"]);
    assert.match(twice.body, /used at 0 minutes by an earlier rule too/);
    const distinct = await ada.put("/api/v1/me/notification-rules", {
      rules: [
        { contactMethodId: method, delayMinutes: 0 },
        { contactMethodId: method, delayMinutes: 5 },
      ],
    });
    assert.equal(distinct.statusCode, 200, distinct.body);
  });

  it("triage naming a disabled handler says the user is disabled", async () => {
    const gone = await s.person("responder", "Gone");
    const disabled = await admin.patch(`/api/v1/users/${gone.id}`, { disabled: true });
    assert.equal(disabled.statusCode, 200, disabled.body);
    const incident = await s.openIncident("TriageDisabled");
    const res = await ada.post(`/api/v1/incidents/${incident.id}/triage`, {
      severity: "SEV2",
      level: "outage",
      onCallCanHandle: true,
      handlerId: gone.id,
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(
      problem.errors?.map((e) => e.path),
      ["/handlerId"],
    );
    assert.match(problem.errors![0]!.message, /Gone is disabled/);
    const unknown = await ada.post(`/api/v1/incidents/${incident.id}/triage`, {
      severity: "SEV2",
      level: "outage",
      onCallCanHandle: true,
      handlerId: "no-such-user",
    });
    assert.match(
      assertProblem(unknown, 400, "VALIDATION").errors![0]!.message,
      /user no-such-user not found/,
    );
  });
});
