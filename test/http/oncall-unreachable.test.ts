// GET /api/v1/oncall marks a person on call whom no page would reach now (`unreachable`, in the words
// the incident's timeline and a page use), and GET /api/v1/oncall/reachability answers it for any
// people a policy names. Disabled people stay out of the entries, as before: a gap, or left out.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { at, berlinDailySchedule, person, type Person } from "./schedules-helpers.js";

interface EntryJson {
  userName: string;
  via: string;
  scheduleName: string | null;
  unreachable: string | null;
}
interface OnCallJson {
  entries: EntryJson[];
  gaps: Array<{ scheduleName: string; reason: string; userName: string | null }>;
}
interface ReachabilityJson {
  people: Array<{ userId: string; userName: string; disabled: boolean; unreachable: string | null }>;
}

describeEachDialect("on call: people no page would reach", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  let viewer: Client;
  let ada: Person;
  let carol: Person;
  let dan: Person;
  let eve: Person;
  const system = { actor: systemActor("test"), requestId: null };

  const pager = async (who: Person, label = "pager") =>
    (
      await addContactMethod(fb.running.deps, system, {
        userId: who.id,
        kind: "webhook",
        label,
        config: { url: "http://127.0.0.1:9/never-called" },
      })
    ).id;
  const ok = async (res: { statusCode: number; body: string }, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return (res.body === "" ? {} : JSON.parse(res.body)) as { id: string };
  };
  const policyFor = async (name: string, targets: object[]) =>
    (
      await ok(
        await admin.post("/api/v1/escalation-policies", {
          name,
          steps: [{ delayMinutes: 5, targets }],
          repeatCount: 0,
        }),
        201,
      )
    ).id;
  const serviceWith = async (name: string, targets: object[]) =>
    ok(
      await admin.post("/api/v1/services", {
        name,
        escalationPolicyId: await policyFor(`${name} policy`, targets),
      }),
      201,
    );
  const onCall = async (query: string, who: Client = admin) =>
    (await ok(await who.get(`/api/v1/oncall?${query}`))) as unknown as OnCallJson;
  const rows = (answer: OnCallJson) =>
    answer.entries.map((e) => `${e.scheduleName ?? "-"} ${e.userName} ${e.via}: ${e.unreachable}`);

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock: new FakeClock(at(0, 1)), startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    viewer = client(fb, { key: await fb.apiKey("viewer") });
    ada = await person(fb, "Ada", "responder");
    carol = await person(fb, "Carol", "responder");
    dan = await person(fb, "Dan", "responder");
    eve = await person(fb, "Eve", "responder");
    await pager(ada);
    await pager(eve);
    await serviceWith("Carolsvc", [{ kind: "user", userId: carol.id }]);
  });
  after(() => fb?.close());

  it("marks a person with no contact methods, in the words a page uses; null for one with a method", async () => {
    assert.deepEqual(rows(await onCall("serviceId=Carolsvc", viewer)), [
      "- Carol user: has no contact methods",
    ]);
    await serviceWith("Adasvc", [{ kind: "user", userId: ada.id }]);
    assert.deepEqual(rows(await onCall("serviceId=Adasvc")), ["- Ada user: null"]);

    // The page itself gives the same reason for the same person.
    const paged = await ok(
      await admin.post("/api/v1/incidents", { service: "Carolsvc", summary: "checkout is down" }),
      201,
    );
    const { pagedNobody, warning } = paged as unknown as { pagedNobody: boolean; warning: string };
    assert.equal(pagedNobody, true);
    assert.match(warning, /\(Carol has no contact methods\)/);
  });

  it("marks people on call through schedules and teams too, each looked up once", async () => {
    await berlinDailySchedule(admin, "Carol's rota", [carol.id]);
    await berlinDailySchedule(admin, "Ada's rota", [ada.id]);
    const team = await ok(await admin.post("/api/v1/teams", { name: "Checkout" }), 201);
    for (const member of [ada, carol])
      await ok(await admin.put(`/api/v1/teams/${team.id}/members/${member.id}`, { role: "member" }));
    await serviceWith("Teamsvc", [{ kind: "team", teamId: team.id }]);

    assert.deepEqual(rows(await onCall("")).sort(), [
      "Ada's rota Ada schedule: null",
      "Carol's rota Carol schedule: has no contact methods",
    ]);
    assert.deepEqual(rows(await onCall("scheduleId=Carol's rota")), [
      "Carol's rota Carol schedule: has no contact methods",
    ]);
    assert.deepEqual(rows(await onCall("serviceId=Teamsvc")).sort(), [
      "- Ada team: null",
      "- Carol team: has no contact methods",
    ]);
  });

  it("rules cannot reach nothing: a rule that waits still reaches, and a removed method takes its rules", async () => {
    const first = await pager(dan, "first");
    const second = await pager(dan, "second");
    await serviceWith("Dansvc", [{ kind: "user", userId: dan.id }]);
    await ok(
      await admin.put(`/api/v1/users/${dan.id}/notification-rules`, {
        rules: [{ contactMethodId: first, delayMinutes: 5 }],
      }),
    );
    // Reached five minutes after the page (the timeline says so): on call, not unreachable.
    assert.deepEqual(rows(await onCall("serviceId=Dansvc")), ["- Dan user: null"]);
    await ok(await admin.delete(`/api/v1/users/${dan.id}/contact-methods/${first}`), 204);
    // The rule went with its method; without rules every method is used at once.
    assert.deepEqual(rows(await onCall("serviceId=Dansvc")), ["- Dan user: null"]);
    await ok(await admin.delete(`/api/v1/users/${dan.id}/contact-methods/${second}`), 204);
    assert.deepEqual(rows(await onCall("serviceId=Dansvc")), ["- Dan user: has no contact methods"]);
  });

  it("leaves a disabled person out as before (a gap in a schedule), though she has a contact method", async () => {
    await serviceWith("Evesvc", [{ kind: "user", userId: eve.id }]);
    await berlinDailySchedule(admin, "Eve's rota", [eve.id]);
    assert.deepEqual(rows(await onCall("serviceId=Evesvc")), ["- Eve user: null"]);
    await ok(await admin.patch(`/api/v1/users/${eve.id}`, { disabled: true }));
    const direct = await onCall("serviceId=Evesvc");
    assert.deepEqual([direct.entries, direct.gaps], [[], []]);
    const rota = await onCall("scheduleId=Eve's rota");
    assert.deepEqual(rota.entries, []);
    assert.deepEqual(
      rota.gaps.map((g) => `${g.reason} ${g.userName}`),
      ["disabled Eve"],
    );
  });

  it("answers reachability for people named at any step, in the order asked; unknown ids left out", async () => {
    const answer = (await ok(
      await viewer.get(
        `/api/v1/oncall/reachability?userId=${carol.id}&userId=${ada.id}&userId=nobody&userId=${eve.id}&userId=${carol.id}`,
      ),
    )) as unknown as ReachabilityJson;
    assert.deepEqual(
      answer.people.map((p) => `${p.userName} ${p.disabled} ${p.unreachable}`),
      ["Carol false has no contact methods", "Ada false null", "Eve true is disabled"],
    );
    const one = (await ok(
      await admin.get(`/api/v1/oncall/reachability?userId=${ada.id}`),
    )) as unknown as ReachabilityJson;
    assert.deepEqual(
      one.people.map((p) => p.userName),
      ["Ada"],
    );

    const none = await admin.get("/api/v1/oncall/reachability");
    assert.equal(none.statusCode, 400, none.body);
    assert.deepEqual(errorPaths(none), ["querystring /userId"]);
    const many = await admin.get(
      `/api/v1/oncall/reachability?${Array.from({ length: 101 }, (_, i) => `userId=u${i}`).join("&")}`,
    );
    assert.equal(many.statusCode, 400, many.body);
    const anonymous = await fb.http.inject({
      method: "GET",
      url: `/api/v1/oncall/reachability?userId=${ada.id}`,
    });
    assert.equal(anonymous.statusCode, 401);
  });
});
