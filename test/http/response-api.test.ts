import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { describeEachDialect } from "../support/dialects.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin } from "../support/status-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem, assertRacingCreates } from "./problem-assertions.js";

interface WarRoom {
  incident: { id: string; number: number; state: string };
  response: {
    phase: string;
    handlerId: string | null;
    handlerName: string | null;
    level: string | null;
    watch: { fixNumber: number; watchMinutes: number; endsAt: string } | null;
    channel: { kind: string };
  };
  tasks: Array<{ id: string; title: string; ownerName: string | null; state: string }>;
  fixes: Array<{ number: number; state: string }>;
  followUps: Array<{ fixNumber: number; dueAt: string }>;
  severities: Array<{ id: string; meaning: string }>;
  levels: Array<{ id: string; definition: string }>;
  playbook: { level: string; steps: string[] } | null;
  oneFixBlock: { reason: string; fixNumber: number } | null;
  publicUpdateDraft: { status: string; message: string } | null;
}

describeEachDialect("incident response over HTTP", (dialect) => {
  let s: ResponseScenario;
  let ada: Client;
  let bob: Client;
  let viewer: Client;
  let admin: Client;
  let systemKey: Client;

  const newIncident = async (name: string) => (await s.openIncident(name)).id;
  const triage = (who: Client, id: string, body: object = {}) =>
    who.post(`/api/v1/incidents/${id}/triage`, {
      severity: "SEV2",
      level: "outage",
      onCallCanHandle: true,
      ...body,
    });

  before(async () => {
    s = await startResponseScenario(dialect);
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    bob = client(s.fb, await s.fb.signIn(s.bob.email, s.bob.password));
    viewer = client(s.fb, { key: await s.fb.apiKey("viewer") });
    // An API key acts for the person who made it (the CLI's way in); one made by Firebreak acts for nobody.
    const dee = await s.person("admin", "Dee");
    admin = client(s.fb, {
      key: (await createApiKey(s.fb.running.deps, dee.caller, { name: "dee's cli", role: "admin" })).token,
    });
    systemKey = client(s.fb, { key: await s.fb.apiKey("responder") });
    // Public updates are refused for a service no status page shows.
    await makePage(statusAdmin(s.fb.http, await s.fb.apiKey("admin")), {
      slug: "acme",
      serviceIds: [s.serviceId],
    });
  });
  after(() => s.close());

  it("is in the OpenAPI document", async () => {
    const doc = (await viewer.get("/openapi.json")).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const path of [
      "/api/v1/incidents/{ref}/response",
      "/api/v1/incidents/{ref}/triage",
      "/api/v1/incidents/{ref}/fixes/{number}/deploy",
      "/api/v1/me/tasks",
      "/api/v1/follow-ups",
      "/api/v1/services/{id}/response-settings",
    ])
      assert.ok(doc.paths[path], path);
  });

  it("shows the war room before triage, with the choices and their meanings", async () => {
    const id = await newIncident("BeforeTriage");
    const res = await viewer.get(`/api/v1/incidents/${id}/response`);
    assert.equal(res.statusCode, 200, res.body);
    const room = res.json() as WarRoom;
    assert.equal(room.response.phase, "investigating");
    assert.equal(room.response.handlerId, null);
    assert.equal(room.response.channel.kind, "none");
    assert.deepEqual(
      room.severities.map((x) => x.id),
      ["SEV1", "SEV2", "SEV3", "SEV4"],
    );
    assert.ok(
      room.levels.find((l) => l.id === "data-corruption")?.definition.includes("processing data wrongly"),
    );
    assert.equal(room.playbook, null);
    assertProblem(await viewer.get(`/api/v1/incidents/no-such-incident/response`), 404, "NOT_FOUND");
  });

  it("triage: bad input is a 400 naming each field; viewers get 403; a key without a person gets 403", async () => {
    const id = await newIncident("BadTriage");
    const bad = await ada.post(`/api/v1/incidents/${id}/triage`, {
      severity: "SEV9",
      onCallCanHandle: "yes",
      callIn: [{ kind: "robot", id: "x" }],
    });
    assertProblem(bad, 400, "VALIDATION");
    const paths = errorPaths(bad);
    for (const path of ["/severity", "/level", "/onCallCanHandle", "/callIn/0"])
      assert.ok(
        paths.some((p) => p.startsWith(path)),
        `${path} in ${paths.join(", ")}`,
      );
    const unknownHandler = await triage(ada, id, { handlerId: "nobody" });
    assertProblem(unknownHandler, 400, "VALIDATION");
    assert.deepEqual(errorPaths(unknownHandler), ["/handlerId"]);
    const needsHelp = await triage(ada, id, { onCallCanHandle: false });
    assert.deepEqual(errorPaths(needsHelp), ["/callIn"]);

    assertProblem(await triage(viewer, id), 403, "FORBIDDEN");
    const keyless = assertProblem(await triage(systemKey, id), 403, "FORBIDDEN");
    assert.match(keyless.detail, /acts for no person/);
    assert.equal(keyless.type, "urn:firebreak:problem:acts-for-no-person");

    const ok = await triage(admin, id, { level: "data-corruption", handlerId: s.ada.id });
    assert.equal(ok.statusCode, 200, ok.body);
    const room = ok.json() as WarRoom;
    assert.equal(room.incident.state, "acknowledged");
    assert.equal(room.response.handlerName, "Ada", "triage named someone else the handler");
    assert.equal(room.playbook?.level, "data-corruption");
    assert.match(room.publicUpdateDraft?.message ?? "", /processing some data incorrectly/);
    assert.ok(
      (
        (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as {
          response: { responderIds: string[] };
        }
      ).response.responderIds.length === 1,
      "whoever triaged for someone else joins as a responder",
    );
    // Triaging again is the handler's, and the handler changes by handover only.
    assertProblem(await triage(bob, id), 403, "FORBIDDEN");
    const change = assertProblem(await triage(ada, id, { handlerId: s.bob.id }), 412, "PRECONDITION_FAILED");
    assert.match(change.detail, /handover/);
  });

  it("the fix log: 201 with the follow-up of a hotfix, CONFLICT for a second fix, 403 for an override by a non-handler", async () => {
    const id = await newIncident("Fixes");
    assertProblem(
      await bob.post(`/api/v1/incidents/${id}/fixes`, { kind: "hotfix", description: "early" }),
      412,
      "PRECONDITION_FAILED",
    );
    assert.equal((await triage(ada, id)).statusCode, 200);
    const bad = await ada.post(`/api/v1/incidents/${id}/fixes`, { kind: "patch", description: "" });
    assertProblem(bad, 400, "VALIDATION");
    assert.ok(errorPaths(bad).includes("/kind"));

    const first = await bob.post(`/api/v1/incidents/${id}/fixes`, {
      kind: "hotfix",
      description: "raise the pool",
    });
    assert.equal(first.statusCode, 201, first.body);
    const fix = first.json() as {
      number: number;
      authorName: string;
      followUp: { fixNumber: number; dueAt: string };
    };
    assert.equal(fix.number, 1);
    assert.equal(fix.authorName, "Bob");
    assert.equal(Date.parse(fix.followUp.dueAt) - s.clock.now().getTime(), 24 * 3_600_000);

    const second = await bob.post(`/api/v1/incidents/${id}/fixes`, { kind: "rollback", description: "undo" });
    const conflict = assertProblem(second, 409, "CONFLICT");
    assert.match(conflict.detail, /Fix #1 \(hotfix: raise the pool\) is still in flight/);
    assert.deepEqual(errorPaths(second), ["/override"]);
    assertProblem(
      await bob.post(`/api/v1/incidents/${id}/fixes`, {
        kind: "rollback",
        description: "undo",
        override: { reason: "faster" },
      }),
      403,
      "FORBIDDEN",
    );
    const room = (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as WarRoom;
    assert.equal(room.oneFixBlock?.fixNumber, 1);

    assertProblem(await bob.post(`/api/v1/incidents/${id}/fixes/7/deploy`), 404, "NOT_FOUND");
    assertProblem(await viewer.post(`/api/v1/incidents/${id}/fixes/1/deploy`), 403, "FORBIDDEN");
    const deployed = await bob.post(`/api/v1/incidents/${id}/fixes/1/deploy`);
    assert.equal(deployed.statusCode, 200, deployed.body);
    const watched = (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as WarRoom;
    assert.equal(watched.response.phase, "monitoring");
    assert.equal(watched.response.watch?.fixNumber, 1);
    assertProblem(await bob.post(`/api/v1/incidents/${id}/fixes/1/deploy`), 412, "PRECONDITION_FAILED");
    const failed = await bob.post(`/api/v1/incidents/${id}/fixes/1/fail`, { note: "pool was not it" });
    assert.equal(failed.statusCode, 200, failed.body);
    const after = (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as WarRoom;
    assert.equal(after.response.phase, "identified");
    assert.equal(after.response.watch, null);
    // The note is optional, and so is the body that would carry it.
    const next = await bob.post(`/api/v1/incidents/${id}/fixes`, { kind: "rollback", description: "undo" });
    assert.equal(next.statusCode, 201, next.body);
    assert.equal((await bob.post(`/api/v1/incidents/${id}/fixes/2/deploy`)).statusCode, 200);
    const bodiless = await bob.post(`/api/v1/incidents/${id}/fixes/2/fail`);
    assert.equal(bodiless.statusCode, 200, bodiless.body);

    const report = await viewer.get("/api/v1/follow-ups?state=all");
    assert.equal(report.statusCode, 200);
    assert.ok((report.json() as Array<{ incidentId: string }>).some((f) => f.incidentId === id));
    const badQuery = await viewer.get("/api/v1/follow-ups?state=late");
    assertProblem(badQuery, 400, "VALIDATION");
    assert.ok(errorPaths(badQuery)[0]?.startsWith("querystring /state"));
  });

  it("tasks: one owner each, handler-only assignment, my open tasks", async () => {
    const id = await newIncident("Tasks");
    assert.equal((await triage(ada, id)).statusCode, 200);
    const created = await bob.post(`/api/v1/incidents/${id}/tasks`, { title: "Check the DNS" });
    assert.equal(created.statusCode, 201, created.body);
    const task = created.json() as { id: string; ownerId: string | null };
    assert.equal(task.ownerId, null);
    assertProblem(
      await bob.post(`/api/v1/incidents/${id}/tasks/${task.id}/assign`, { ownerId: s.cy.id }),
      403,
      "FORBIDDEN",
    );
    const assigned = await ada.post(`/api/v1/incidents/${id}/tasks/${task.id}/assign`, { ownerId: s.bob.id });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const badState = await bob.patch(`/api/v1/incidents/${id}/tasks/${task.id}`, { state: "finished" });
    assertProblem(badState, 400, "VALIDATION");
    assert.deepEqual(errorPaths(badState), ["/state"]);
    assert.equal(
      (await bob.patch(`/api/v1/incidents/${id}/tasks/${task.id}`, { state: "in-progress" })).statusCode,
      200,
    );
    const mine = (await bob.get("/api/v1/me/tasks")).json() as Array<{
      id: string;
      incidentId: string;
      state: string;
    }>;
    assert.deepEqual(
      mine.filter((t) => t.incidentId === id).map((t) => [t.id, t.state]),
      [[task.id, "in-progress"]],
    );
    // Taking a task someone owns needs a handover they accept.
    const handover = await ada.post(`/api/v1/incidents/${id}/tasks/${task.id}/handover`, {
      toUserId: "ghost",
    });
    assert.deepEqual(errorPaths(handover), ["/toUserId"]);
    assert.equal(
      (await ada.post(`/api/v1/incidents/${id}/tasks/${task.id}/assign`, { ownerId: s.ada.id })).statusCode,
      200,
    );
    const pending = (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as WarRoom;
    assert.equal(pending.tasks[0]?.ownerName, "Bob", "Bob owns it until he accepts");
    assert.equal(
      (await bob.post(`/api/v1/incidents/${id}/tasks/${task.id}/handover/accept`)).statusCode,
      200,
    );
    const moved = (await viewer.get(`/api/v1/incidents/${id}/response`)).json() as WarRoom;
    assert.equal(moved.tasks[0]?.ownerName, "Ada");
  });

  it("roles, phase, video call and public updates: field names, handler-only rules", async () => {
    const id = await newIncident("Roles");
    assert.equal((await triage(ada, id)).statusCode, 200);
    assert.deepEqual(errorPaths(await ada.post(`/api/v1/incidents/${id}/handover`, { toUserId: "ghost" })), [
      "/toUserId",
    ]);
    assert.deepEqual(errorPaths(await ada.post(`/api/v1/incidents/${id}/handover`, {})), ["/toUserId"]);
    assertProblem(await bob.post(`/api/v1/incidents/${id}/phase`, { phase: "identified" }), 403, "FORBIDDEN");
    assert.deepEqual(errorPaths(await ada.post(`/api/v1/incidents/${id}/phase`, { phase: "fixed" })), [
      "/phase",
    ]);
    const phase = await ada.post(`/api/v1/incidents/${id}/phase`, { phase: "identified" });
    assert.equal((phase.json() as { phase: string }).phase, "identified");
    assert.deepEqual(errorPaths(await bob.put(`/api/v1/incidents/${id}/video-call`, { url: "ftp://x" })), [
      "/url",
    ]);
    const video = await bob.put(`/api/v1/incidents/${id}/video-call`, {
      url: "https://meet.example.com/war",
    });
    assert.equal((video.json() as { videoCallUrl: string }).videoCallUrl, "https://meet.example.com/war");
    assert.equal(
      (await bob.post(`/api/v1/incidents/${id}/responders`, { userId: s.bob.id })).statusCode,
      200,
    );
    assertProblem(
      await bob.post(`/api/v1/incidents/${id}/responders`, { userId: s.cy.id }),
      403,
      "FORBIDDEN",
    );

    const placeholder = await ada.post(`/api/v1/incidents/${id}/public-updates`, {
      status: "investigating",
      message: "Outage affecting {components}",
    });
    assertProblem(placeholder, 400, "VALIDATION");
    assert.deepEqual(errorPaths(placeholder), ["/message"]);
    assertProblem(
      await bob.post(`/api/v1/incidents/${id}/public-updates`, {
        status: "identified",
        message: "Found it.",
      }),
      403,
      "FORBIDDEN",
    );
    const draft = await viewer.get(`/api/v1/incidents/${id}/public-updates/draft?status=monitoring`);
    assert.equal(draft.statusCode, 200, draft.body);
    const posted = await ada.post(`/api/v1/incidents/${id}/public-updates`, draft.json() as object);
    assert.equal(posted.statusCode, 201, posted.body);
    assert.equal((posted.json() as { postedByName: string }).postedByName, "Ada");
    assert.ok(
      errorPaths(await viewer.get(`/api/v1/incidents/${id}/public-updates/draft?status=done`))[0]?.startsWith(
        "querystring /status",
      ),
    );

    const internal = await bob.post(`/api/v1/incidents/${id}/internal-updates`, { message: "DNS is fine" });
    assert.equal(internal.statusCode, 200, internal.body);
    assert.deepEqual(
      errorPaths(await bob.post(`/api/v1/incidents/${id}/internal-updates`, { message: " " })),
      ["/message"],
    );
  });

  it("directory, vendors and response settings: admins manage them; bad input names the field", async () => {
    assertProblem(await bob.post("/api/v1/vendors", { name: "Acme DNS" }), 403, "FORBIDDEN");
    assert.deepEqual(errorPaths(await admin.post("/api/v1/vendors", { name: "Acme", url: "not a url" })), [
      "/url",
    ]);
    const vendor = await admin.post("/api/v1/vendors", { name: "Acme DNS", phone: "+1 555 0100" });
    assert.equal(vendor.statusCode, 201, vendor.body);
    const vendorId = (vendor.json() as { id: string }).id;
    assertProblem(await admin.post("/api/v1/vendors", { name: "Acme DNS" }), 409, "CONFLICT");
    const directory = (await viewer.get("/api/v1/directory")).json() as {
      people: Array<{ name: string }>;
      vendors: Array<{ name: string; phone: string }>;
    };
    assert.ok(directory.people.some((p) => p.name === "Ada"));
    assert.deepEqual(
      directory.vendors.map((v) => [v.name, v.phone]),
      [["Acme DNS", "+1 555 0100"]],
    );

    // Calling in a vendor puts its line on the timeline.
    const id = await newIncident("Vendor");
    const callIn = await bob.post(`/api/v1/incidents/${id}/call-in`, {
      targets: [{ kind: "contact", contactId: vendorId }],
    });
    assert.equal(callIn.statusCode, 200, callIn.body);
    const unknown = await bob.post(`/api/v1/incidents/${id}/call-in`, {
      targets: [{ kind: "team", teamId: "nope" }],
    });
    assert.deepEqual(errorPaths(unknown), ["/targets/0"]);

    const url = `/api/v1/services/${s.serviceId}/response-settings`;
    assert.equal(((await viewer.get(url)).json() as { watchMinutes: number }).watchMinutes, 30);
    assertProblem(await bob.put(url, { watchMinutes: 10 }), 403, "FORBIDDEN");
    const bad = await admin.put(url, {
      watchMinutes: 0,
      stakeholderEmails: ["not-an-email"],
      dependentServiceIds: ["nope"],
      followUpHours: { outage: 0, "data-corruption": 48, degradation: 72 },
    });
    assertProblem(bad, 400, "VALIDATION");
    assert.deepEqual(errorPaths(bad).sort(), [
      "/dependentServiceIds/0",
      "/followUpHours/outage",
      "/stakeholderEmails/0",
      "/watchMinutes",
    ]);
    const saved = await admin.put(url, { watchMinutes: 10, runbookUrl: "https://wiki.example.com/checkout" });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal((saved.json() as { watchMinutes: number }).watchMinutes, 10);

    // The service's watch minutes apply to the next deploy.
    const watched = await newIncident("ShortWatch");
    await triage(ada, watched);
    await ada.post(`/api/v1/incidents/${watched}/fixes`, { kind: "rollback", description: "undo" });
    await ada.post(`/api/v1/incidents/${watched}/fixes/1/deploy`);
    const room = (await viewer.get(`/api/v1/incidents/${watched}/response`)).json() as WarRoom & {
      diagnosis: { runbookUrl: string };
    };
    assert.equal(room.response.watch?.watchMinutes, 10);
    assert.equal(room.diagnosis.runbookUrl, "https://wiki.example.com/checkout");
    assert.equal((await admin.delete(`/api/v1/vendors/${vendorId}`)).statusCode, 204);
  });

  it("creates of one vendor name at once: one is made, the others are told the name is taken", async () => {
    await assertRacingCreates(
      "Racing vendor",
      (name) => admin.post("/api/v1/vendors", { name }),
      (name) => `a vendor named ${name} exists already`,
    );
  });
});
