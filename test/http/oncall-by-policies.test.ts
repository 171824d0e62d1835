// GET /api/v1/oncall?escalationPolicyId=…: whom several policies' first steps page, in one request
// (the console's Home asked once per policy), each answer tagged with its policy; bounded at 100.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { at, dailyRotation, person, type Person } from "./schedules-helpers.js";

interface EntryJson {
  userName: string;
  via: string;
  scheduleName: string | null;
  escalationPolicyId?: string;
}
interface GapJson {
  scheduleName: string;
  reason: string;
  escalationPolicyId?: string;
}
interface OnCallJson {
  entries: EntryJson[];
  gaps: GapJson[];
}

describeEachDialect("on call for several escalation policies in one request", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let viewer: Client;
  let ada: Person;
  let bob: Person;
  let cyd: Person;
  const policies: Record<string, string> = {};

  const makePolicy = async (name: string, targets: object[]) => {
    const res = await admin.post("/api/v1/escalation-policies", {
      name,
      steps: [
        { delayMinutes: 5, targets },
        { delayMinutes: 5, targets: [{ kind: "user", userId: cyd.id }] },
      ],
      repeatCount: 0,
    });
    assert.equal(res.statusCode, 201, res.body);
    policies[name] = (res.json() as { id: string }).id;
  };
  const onCall = async (query: string, who: Client = admin): Promise<OnCallJson> => {
    const res = await who.get(`/api/v1/oncall?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as OnCallJson;
  };
  const byPolicy = (answer: OnCallJson) =>
    answer.entries.map((e) => `${e.escalationPolicyId}:${e.userName}:${e.via}`).sort();

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock: new FakeClock(at(0, 1)), startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
    cyd = await person(fb, "Cyd", "responder");
    const rota = await admin.post("/api/v1/schedules", {
      name: "Primary",
      timeZone: "Europe/Berlin",
      layers: [{ name: "Days", rotation: dailyRotation([ada.id]) }],
    });
    assert.equal(rota.statusCode, 201, rota.body);
    const empty = await admin.post("/api/v1/schedules", { name: "Unstaffed", timeZone: "Europe/Berlin" });
    assert.equal(empty.statusCode, 201, empty.body);
    const scheduleId = (rota.json() as { id: string }).id;
    const emptyId = (empty.json() as { id: string }).id;
    await makePolicy("Direct", [{ kind: "user", userId: bob.id }]);
    await makePolicy("Mixed", [
      { kind: "schedule", scheduleId },
      { kind: "user", userId: bob.id },
    ]);
    await makePolicy("Gap", [{ kind: "schedule", scheduleId: emptyId }]);
  });
  after(() => fb?.close());

  it("answers for several policies at once, each entry and gap naming its policy", async () => {
    const answer = await onCall(
      ["Direct", "Mixed", "Gap"].map((n) => `escalationPolicyId=${policies[n]}`).join("&"),
      viewer,
    );
    assert.deepEqual(
      byPolicy(answer),
      [`${policies.Direct}:Bob:user`, `${policies.Mixed}:Ada:schedule`, `${policies.Mixed}:Bob:user`].sort(),
    );
    assert.deepEqual(answer.gaps, [
      {
        ...answer.gaps[0],
        scheduleName: "Unstaffed",
        reason: "unscheduled",
        escalationPolicyId: policies.Gap,
      },
    ]);
    // Step 2 (Cyd) is not step 1: nobody pages her first.
    assert.ok(!answer.entries.some((e) => e.userName === "Cyd"));
  });

  it("keeps the single forms: one policy (by id or exact name), and a service's policy untagged", async () => {
    assert.deepEqual(byPolicy(await onCall(`escalationPolicyId=${policies.Mixed}`)), [
      `${policies.Mixed}:Ada:schedule`,
      `${policies.Mixed}:Bob:user`,
    ]);
    assert.deepEqual(byPolicy(await onCall("escalationPolicyId=Direct")), [`${policies.Direct}:Bob:user`]);
    // A policy named twice (by id and by name) answers once.
    const twice = await onCall(`escalationPolicyId=${policies.Direct}&escalationPolicyId=Direct`);
    assert.equal(twice.entries.length, 1);

    const service = await admin.post("/api/v1/services", {
      name: "checkout",
      escalationPolicyId: policies.Direct,
    });
    assert.equal(service.statusCode, 201, service.body);
    const forService = await onCall("serviceId=checkout");
    assert.deepEqual(
      forService.entries.map((e) => [e.userName, e.escalationPolicyId]),
      [["Bob", undefined]],
    );
  });

  it("refuses more than 100 policies, an empty one, an unknown one, and a second kind of filter", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `escalationPolicyId=p${i}`).join("&");
    const tooMany = await admin.get(`/api/v1/oncall?${many}`);
    assert.equal(tooMany.statusCode, 400, tooMany.body);
    assert.match(tooMany.body, /escalationPolicyId/);
    assert.match(tooMany.body, /at most 100/);

    const hundred = Array.from({ length: 100 }, () => `escalationPolicyId=${policies.Direct}`).join("&");
    assert.equal((await admin.get(`/api/v1/oncall?${hundred}`)).statusCode, 200);

    const empty = await admin.get("/api/v1/oncall?escalationPolicyId=");
    assert.equal(empty.statusCode, 400, empty.body);
    assert.ok(
      errorPaths(empty).some((p) => p.includes("escalationPolicyId")),
      empty.body,
    );

    const unknown = await admin.get(
      `/api/v1/oncall?escalationPolicyId=${policies.Direct}&escalationPolicyId=nope`,
    );
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.match(unknown.body, /escalation policy nope/);

    const both = await admin.get(`/api/v1/oncall?serviceId=checkout&escalationPolicyId=${policies.Direct}`);
    assert.equal(both.statusCode, 400, both.body);
    assert.match(both.body, /give one of scheduleId, serviceId, escalationPolicyId or teamId/);
  });

  it("documents the repeatable parameter and the tag in /openapi.json", async () => {
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<
        string,
        { get: { parameters: Array<{ name: string; schema: { type: string; maxItems?: number } }> } }
      >;
    };
    const param = doc.paths["/api/v1/oncall"]!.get.parameters.find((p) => p.name === "escalationPolicyId");
    assert.equal(param?.schema.type, "array");
    assert.equal(param?.schema.maxItems, 100);
    assert.match(JSON.stringify(doc.paths["/api/v1/oncall"]), /the policy whose first step pages them/);
  });
});
