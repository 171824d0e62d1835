// A person reopens a resolved incident by hand (POST …/reopen): triggered again, paged from step 1 as
// an alert firing again reopens it, with "reopened by NAME: reason" on the timeline. Acknowledge,
// resolve and reopen answer `changed`, so a client tells "done now" from "was so already".
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { deleteService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface Answer {
  id: string;
  number: number;
  state: string;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  escalationStep: number;
  changed: boolean;
}
interface Detail {
  incident: { state: string; escalationStep: number };
  timeline: Array<{
    kind: string;
    actor: { kind: string; id: string; label: string } | null;
    message: string;
  }>;
  nextEscalationAt: string | null;
}

describeEachDialect("reopening an incident by hand over HTTP", (dialect) => {
  let s: ResponseScenario;
  let ada: Client;
  let viewer: Client;

  before(async () => {
    s = await startResponseScenario(dialect, {
      sharedChannel: { kind: "webhook", config: { url: "http://127.0.0.1:9/channel" } },
    });
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    viewer = client(s.fb, { key: await s.fb.apiKey("viewer") });
  });
  after(() => s.close());

  const detail = async (ref: string | number): Promise<Detail> => {
    const res = await viewer.get(`/api/v1/incidents/${ref}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Detail;
  };
  const post = async (who: Client, url: string, body?: object) => {
    const res = await who.post(url, body);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Answer;
  };

  it("acknowledge and resolve say whether they changed the incident", async () => {
    const incident = await s.openIncident("ChangedFlag");
    const acked = await post(ada, `/api/v1/incidents/${incident.id}/acknowledge`);
    assert.deepEqual([acked.state, acked.changed, acked.acknowledgedBy], ["acknowledged", true, s.ada.id]);
    const again = await post(ada, `/api/v1/incidents/INC-${incident.number}/acknowledge`);
    assert.deepEqual([again.state, again.changed, again.acknowledgedBy], ["acknowledged", false, s.ada.id]);

    const resolved = await post(ada, `/api/v1/incidents/${incident.number}/resolve`);
    assert.deepEqual([resolved.state, resolved.changed, resolved.resolvedBy], ["resolved", true, s.ada.id]);
    s.clock.advance(MINUTE);
    const twice = await post(ada, `/api/v1/incidents/${incident.number}/resolve`);
    assert.equal(twice.changed, false);
    assert.equal(twice.resolvedAt, resolved.resolvedAt, "who resolved it, and when, stay");
    const kinds = (await detail(incident.id)).timeline.map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === "incident.acknowledged").length, 1);
    assert.equal(kinds.filter((k) => k === "incident.resolved").length, 1);
  });

  it("reopens a resolved incident: triggered, step 1 paged again, who and why on the timeline", async () => {
    const incident = await s.openIncident("FixDidNotHold");
    await post(ada, `/api/v1/incidents/${incident.id}/acknowledge`);
    await post(ada, `/api/v1/incidents/${incident.id}/resolve`);
    s.sender.clear();
    s.clock.advance(3 * 60 * MINUTE); // Long after any reopen window: a person decides, no limit.

    const reopened = await post(ada, `/api/v1/incidents/INC-${incident.number}/reopen`, {
      reason: "errors are back after the rollback",
    });
    assert.equal(reopened.state, "triggered");
    assert.equal(reopened.changed, true);
    assert.equal(reopened.resolvedAt, null);
    assert.equal(reopened.acknowledgedBy, null);
    assert.equal(reopened.escalationStep, 0);

    const after = await detail(incident.id);
    assert.equal(after.incident.state, "triggered");
    const entry = after.timeline.find((e) => e.kind === "incident.reopened");
    assert.equal(entry?.message, "Reopened by Ada: errors are back after the rollback");
    assert.deepEqual(entry?.actor, { kind: "user", id: s.ada.id, label: "Ada" });
    const since = after.timeline.slice(after.timeline.indexOf(entry!) + 1);
    assert.deepEqual(
      since.filter((e) => e.kind === "escalation.started").map((e) => e.message),
      ["Step 1: paged Ada"],
      "its escalation starts over at step 1",
    );
    assert.equal(after.nextEscalationAt, new Date(s.clock.now().getTime() + 5 * MINUTE).toISOString());

    await s.run();
    const told = s.sender.summary();
    assert.ok(told.includes("Ada:reopened"), told.join());
    assert.ok(
      s.sender.sent.some((m) => m.message.event === "reopened" && m.message.recipientName !== "Ada"),
      `the shared channel hears it: ${told.join()}`,
    );
  });

  it("an open incident is left as it is: 200, changed false, nothing on the timeline", async () => {
    const incident = await s.openIncident("StillOpen");
    const before = (await detail(incident.id)).timeline.length;
    for (const body of [undefined, {}, { reason: "why not" }]) {
      const answer = await post(ada, `/api/v1/incidents/${incident.id}/reopen`, body);
      assert.deepEqual([answer.state, answer.changed], ["triggered", false]);
    }
    await post(ada, `/api/v1/incidents/${incident.id}/acknowledge`);
    const acked = await post(ada, `/api/v1/incidents/${incident.id}/reopen`);
    assert.deepEqual([acked.state, acked.changed], ["acknowledged", false]);
    const timeline = (await detail(incident.id)).timeline;
    assert.equal(timeline.length, before + 1, "only the acknowledgement");
    assert.ok(!timeline.some((e) => e.kind === "incident.reopened"));
  });

  it("refuses an unknown incident, a bad body and a viewer, naming what is wrong", async () => {
    assertProblem(await ada.post("/api/v1/incidents/INC-99999/reopen"), 404, "NOT_FOUND");
    const incident = await s.openIncident("BadBodies");
    await post(ada, `/api/v1/incidents/${incident.id}/resolve`);
    const url = `/api/v1/incidents/${incident.id}/reopen`;
    assert.deepEqual(errorPaths(await ada.post(url, { reason: "x".repeat(1025) })), ["/reason"]);
    assert.deepEqual(errorPaths(await ada.post(url, { reason: 42 })), ["/reason"]);
    const unknown = await ada.post(url, { reason: "ok", why: "typo" });
    assertProblem(unknown, 400, "VALIDATION");
    assert.match(unknown.body, /why/);
    assertProblem(await viewer.post(url, { reason: "viewer" }), 403, "FORBIDDEN");
    assert.equal((await detail(incident.id)).incident.state, "resolved", "none of them reopened it");
  });
});

describeEachDialect("reopening an incident of a deleted service", (dialect) => {
  let s: ResponseScenario;
  let ada: Client;
  before(async () => {
    s = await startResponseScenario(dialect, {});
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
  });
  after(() => s.close());

  it("is refused (412, naming the deleted service), pages nobody and leaves it resolved", async () => {
    const incident = await s.openIncident("Gone");
    assert.equal((await ada.post(`/api/v1/incidents/${incident.id}/resolve`)).statusCode, 200);
    await deleteService(s.fb.running.deps, { actor: systemActor("test"), requestId: null }, s.serviceId);
    s.sender.clear();
    const res = await ada.post(`/api/v1/incidents/${incident.id}/reopen`, { reason: "it is back" });
    assertProblem(res, 412, "PRECONDITION_FAILED");
    assert.match((res.json() as { detail: string }).detail, /was deleted: page someone on another service/);
    await s.run();
    assert.deepEqual(s.sender.summary(), []);
    const after = (await ada.get(`/api/v1/incidents/${incident.id}`)).json() as {
      incident: { state: string };
    };
    assert.equal(after.incident.state, "resolved");
  });
});
