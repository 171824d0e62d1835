import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Role } from "../../src/core/auth/roles.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";
import { at, DAY, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

/** What one call changes, made fresh for each caller: a call may delete it. */
interface Target {
  serviceId: string;
  integrationId: string;
  windowId: string;
  scheduleId: string;
  layerId: string;
  userId: string;
}

interface RouteCase {
  readonly route: string;
  readonly ok: number;
  readonly call: (who: Client, t: Target) => Promise<LightMyRequestResponse>;
}

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Test//Team managers//EN",
  "BEGIN:VEVENT",
  "UID:shift@test",
  "DTSTAMP:20261101T000000Z",
  "DTSTART:20261117T120000Z",
  "DTEND:20261117T180000Z",
  "SUMMARY:On call",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

let counter = 0;
const unique = (prefix: string) => `${prefix} ${++counter}`;

/** Every route a team manager may now call: the manager of the owning team may, others may not. */
const ROUTES: readonly RouteCase[] = [
  {
    route: "PUT /api/v1/teams/:id/members/:userId",
    ok: 200,
    call: (who, t) => who.put(`/api/v1/teams/${teamIds.alpha}/members/${t.userId}`, { role: "manager" }),
  },
  {
    route: "DELETE /api/v1/teams/:id/members/:userId",
    ok: 204,
    call: (who, t) => who.delete(`/api/v1/teams/${teamIds.alpha}/members/${t.userId}`),
  },
  {
    route: "POST /api/v1/services",
    ok: 201,
    call: (who) => who.post("/api/v1/services", { name: unique("new service"), teamId: teamIds.alpha }),
  },
  {
    route: "PATCH /api/v1/services/:id",
    ok: 200,
    call: (who, t) =>
      who.patch(`/api/v1/services/${t.serviceId}`, { name: unique("renamed"), description: "changed" }),
  },
  {
    route: "PUT /api/v1/services/:id/response-settings",
    ok: 200,
    call: (who, t) =>
      who.put(`/api/v1/services/${t.serviceId}/response-settings`, {
        watchMinutes: 15,
        runbookUrl: "https://wiki.example.com/runbook",
      }),
  },
  {
    route: "POST /api/v1/services/:id/integrations",
    ok: 201,
    call: (who, t) => who.post(`/api/v1/services/${t.serviceId}/integrations`, { kind: "webhook" }),
  },
  ...["rotate-key", "disable", "enable"].map((verb) => ({
    route: `POST /api/v1/integrations/:id/${verb}`,
    ok: 200,
    call: (who: Client, t: Target) => who.post(`/api/v1/integrations/${t.integrationId}/${verb}`),
  })),
  {
    route: "DELETE /api/v1/integrations/:id",
    ok: 204,
    call: (who, t) => who.delete(`/api/v1/integrations/${t.integrationId}`),
  },
  {
    route: "POST /api/v1/services/:id/maintenance-windows",
    ok: 201,
    call: (who, t) =>
      who.post(`/api/v1/services/${t.serviceId}/maintenance-windows`, {
        reason: "DB upgrade",
        window: { kind: "one-off", startsAt: iso(at(1)), endsAt: iso(at(1) + DAY / 4) },
      }),
  },
  {
    route: "DELETE /api/v1/maintenance-windows/:id",
    ok: 204,
    call: (who, t) => who.delete(`/api/v1/maintenance-windows/${t.windowId}`),
  },
  {
    route: "PATCH /api/v1/schedules/:id",
    ok: 200,
    call: (who, t) => who.patch(`/api/v1/schedules/${t.scheduleId}`, { description: "changed" }),
  },
  {
    route: "POST /api/v1/schedules/:id/layers",
    ok: 201,
    call: (who, t) =>
      who.post(`/api/v1/schedules/${t.scheduleId}/layers`, {
        name: "Second",
        rotation: dailyRotation([t.userId]),
      }),
  },
  {
    route: "PUT /api/v1/schedules/:id/layers/:layerId",
    ok: 200,
    call: (who, t) => who.put(`/api/v1/schedules/${t.scheduleId}/layers/${t.layerId}`, { name: "Renamed" }),
  },
  {
    route: "DELETE /api/v1/schedules/:id/layers/:layerId",
    ok: 204,
    call: (who, t) => who.delete(`/api/v1/schedules/${t.scheduleId}/layers/${t.layerId}`),
  },
  {
    route: "POST /api/v1/schedules/:id/layers/import",
    ok: 201,
    call: (who, t) =>
      who.post(`/api/v1/schedules/${t.scheduleId}/layers/import`, { name: "Imported", ics: ICS }),
  },
];

const teamIds = { alpha: "", beta: "", gamma: "" };

describeEachDialect("team managers over HTTP", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;
  /** A responder who manages Alpha and Gamma. */
  let managerA: Person;
  /** A responder who manages Beta only. */
  let managerB: Person;
  /** A responder in Alpha who manages nothing. */
  let memberA: Person;
  /** A viewer who manages Alpha: viewers never write. */
  let viewerManagerA: Person;
  let adminPerson: Person;
  /** The person the membership and rotation routes act on. */
  let spare: { id: string };

  const created = async (res: Promise<LightMyRequestResponse>, status = 201): Promise<{ id: string }> => {
    const answer = await res;
    assert.equal(answer.statusCode, status, answer.body);
    return answer.json() as { id: string };
  };
  const join = async (teamId: string, userId: string, role: "member" | "manager") =>
    created(admin.put(`/api/v1/teams/${teamId}/members/${userId}`, { role }), 200);
  const service = (teamId: string | null) =>
    created(admin.post("/api/v1/services", { name: unique("service"), teamId }));

  /** A service, integration, window, schedule with a layer and a member of Alpha, all Alpha's. */
  async function alphaTarget(): Promise<Target> {
    const serviceId = (await service(teamIds.alpha)).id;
    const integration = await created(
      admin.post(`/api/v1/services/${serviceId}/integrations`, { kind: "webhook" }),
    );
    const window = await created(
      admin.post(`/api/v1/services/${serviceId}/maintenance-windows`, {
        window: { kind: "one-off", startsAt: iso(at(2)), endsAt: iso(at(2) + DAY / 4) },
      }),
    );
    // One person for every target: joining again is an upsert, and a removal is undone here.
    const user = spare;
    await join(teamIds.alpha, user.id, "member");
    const schedule = (await created(
      admin.post("/api/v1/schedules", {
        name: unique("schedule"),
        timeZone: "Europe/Berlin",
        teamId: teamIds.alpha,
        layers: [{ name: "Daily", rotation: dailyRotation([user.id]) }],
      }),
    )) as { id: string; layers: Array<{ id: string }> };
    return {
      serviceId,
      integrationId: integration.id,
      windowId: window.id,
      scheduleId: schedule.id,
      layerId: schedule.layers[0]?.id ?? "",
      userId: user.id,
    };
  }

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock: new FakeClock(at(0)), startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    for (const name of ["alpha", "beta", "gamma"] as const)
      teamIds[name] = (
        await created(admin.post("/api/v1/teams", { name: name[0]!.toUpperCase() + name.slice(1) }))
      ).id;
    managerA = await person(fb, "Mara", "responder");
    managerB = await person(fb, "Bert", "responder");
    memberA = await person(fb, "Mel", "responder");
    viewerManagerA = await person(fb, "Vic", "viewer");
    adminPerson = await person(fb, "Ada", "admin");
    spare = await fb.user("responder");
    await join(teamIds.alpha, managerA.id, "manager");
    await join(teamIds.gamma, managerA.id, "manager");
    await join(teamIds.beta, managerB.id, "manager");
    await join(teamIds.alpha, memberA.id, "member");
    await join(teamIds.alpha, viewerManagerA.id, "manager");
  });
  after(() => fb.close());

  for (const { route, ok, call } of ROUTES) {
    it(`${route}: the owning team's manager and admins may; another team's manager, a member and a viewer may not`, async () => {
      const callers: Array<[string, Client, "allowed" | RegExp]> = [
        ["the manager of Alpha", managerA.http, "allowed"],
        ["an admin", adminPerson.http, "allowed"],
        ["the manager of Beta", managerB.http, /team Alpha; .* does not manage team Alpha$/],
        ["a member of Alpha", memberA.http, /does not manage team Alpha$/],
        [
          "a viewer who manages Alpha",
          viewerManagerA.http,
          /managing the team that owns what it changes; .* has viewer$/,
        ],
      ];
      for (const [who, http, expected] of callers) {
        const res = await call(http, await alphaTarget());
        if (expected === "allowed") assert.equal(res.statusCode, ok, `${who}: ${res.body}`);
        else assert.match(assertProblem(res, 403, "FORBIDDEN").detail, expected, who);
      }
    });
  }

  it("a refused change changes nothing, and an allowed one is audited as the manager's", async () => {
    const t = await alphaTarget();
    assertProblem(
      await managerB.http.patch(`/api/v1/services/${t.serviceId}`, { description: "B was here" }),
      403,
      "FORBIDDEN",
    );
    const unchanged = (await admin.get(`/api/v1/services/${t.serviceId}`)).json() as { description: string };
    assert.equal(unchanged.description, "");
    assert.equal(
      (await managerA.http.patch(`/api/v1/services/${t.serviceId}`, { description: "A" })).statusCode,
      200,
    );
    const audit = await admin.get(`/api/v1/audit-log?entityType=service&entityId=${t.serviceId}&limit=1`);
    const [entry] = audit.json() as Array<{ action: string; actor: { id: string } }>;
    assert.deepEqual([entry?.action, entry?.actor.id], ["service.update", managerA.id]);
  });

  it("response settings: a refusal changes nothing; a manager's change is audited as theirs; no team, admins only", async () => {
    const t = await alphaTarget();
    const url = `/api/v1/services/${t.serviceId}/response-settings`;
    const refused = await managerB.http.put(url, { watchMinutes: 5 });
    assert.match(
      assertProblem(refused, 403, "FORBIDDEN").detail,
      /^changing the response settings of service .* needs the admin role or a manager of team Alpha/,
    );
    assert.equal(((await admin.get(url)).json() as { watchMinutes: number }).watchMinutes, 30);
    assert.equal((await managerA.http.put(url, { watchMinutes: 5 })).statusCode, 200);
    assert.equal(((await admin.get(url)).json() as { watchMinutes: number }).watchMinutes, 5);
    const audit = await admin.get(`/api/v1/audit-log?entityType=service&entityId=${t.serviceId}&limit=1`);
    const [entry] = audit.json() as Array<{ action: string; actor: { id: string } }>;
    assert.deepEqual([entry?.action, entry?.actor.id], ["service.response-settings.update", managerA.id]);

    const teamless = await service(null);
    const noTeam = await managerA.http.put(`/api/v1/services/${teamless.id}/response-settings`, {
      watchMinutes: 5,
    });
    assert.match(assertProblem(noTeam, 403, "FORBIDDEN").detail, /no team owns this$/);
  });

  it("a manager moves a service or schedule only between teams they manage; out of every team needs an admin", async () => {
    const t = await alphaTarget();
    const toBeta = await managerA.http.patch(`/api/v1/services/${t.serviceId}`, { teamId: teamIds.beta });
    assert.match(
      assertProblem(toBeta, 403, "FORBIDDEN").detail,
      /^moving service .* to another team needs the admin role or a manager of team Beta/,
    );
    const toNone = await managerA.http.patch(`/api/v1/services/${t.serviceId}`, { teamId: null });
    assert.match(
      assertProblem(toNone, 403, "FORBIDDEN").detail,
      /^leaving service .* without a team needs the admin role/,
    );
    assert.equal(
      (await managerA.http.patch(`/api/v1/services/${t.serviceId}`, { teamId: teamIds.gamma })).statusCode,
      200,
    );
    const moved = await managerA.http.patch(`/api/v1/schedules/${t.scheduleId}`, { teamId: teamIds.beta });
    assert.match(
      assertProblem(moved, 403, "FORBIDDEN").detail,
      /^moving schedule .* to another team .* Beta/,
    );
    assert.equal(
      (await managerA.http.patch(`/api/v1/schedules/${t.scheduleId}`, { teamId: teamIds.gamma })).statusCode,
      200,
    );
  });

  it("a manager creates services only for a team they manage", async () => {
    const noTeam = await managerA.http.post("/api/v1/services", { name: unique("teamless") });
    assert.match(
      assertProblem(noTeam, 403, "FORBIDDEN").detail,
      /^creating service teamless \d+ needs the admin role: .* no team owns this$/,
    );
    const beta = await managerA.http.post("/api/v1/services", {
      name: unique("beta's"),
      teamId: teamIds.beta,
    });
    assert.match(assertProblem(beta, 403, "FORBIDDEN").detail, /does not manage team Beta$/);
    const teamless = await service(null);
    const change = await managerA.http.patch(`/api/v1/services/${teamless.id}`, { description: "mine now" });
    assert.match(assertProblem(change, 403, "FORBIDDEN").detail, /^changing service .* needs the admin role/);
  });

  it("what stays for admins: teams themselves, people's roles, deleting services, creating and deleting schedules, policies", async () => {
    const t = await alphaTarget();
    const refused = [
      await managerA.http.post("/api/v1/teams", { name: "Mara's own" }),
      await managerA.http.delete(`/api/v1/teams/${teamIds.alpha}`),
      await managerA.http.patch(`/api/v1/users/${memberA.id}`, { role: "admin" }),
      await managerA.http.delete(`/api/v1/services/${t.serviceId}`),
      await managerA.http.post("/api/v1/schedules", {
        name: unique("s"),
        timeZone: "UTC",
        teamId: teamIds.alpha,
      }),
      await managerA.http.delete(`/api/v1/schedules/${t.scheduleId}`),
      await managerA.http.post("/api/v1/escalation-policies", {
        name: unique("p"),
        steps: [],
        repeatCount: 0,
      }),
    ];
    for (const res of refused)
      assert.match(assertProblem(res, 403, "FORBIDDEN").detail, /needs the admin role; .* has responder$/);
  });

  it("an API key acts with its own role for its person; a key of nobody manages no team", async () => {
    const system = { actor: systemActor("test"), requestId: null };
    const keyFor = async (role: Role, actsForEmail?: string) =>
      client(fb, {
        key: (
          await createApiKey(fb.running.deps, system, {
            name: unique("key"),
            role,
            ...(actsForEmail !== undefined && { actsForEmail }),
          })
        ).token,
      });
    const t = await alphaTarget();
    const patch = (who: Client) => who.patch(`/api/v1/services/${t.serviceId}`, { description: "by key" });
    assert.equal((await patch(await keyFor("responder", managerA.email))).statusCode, 200);
    const ofNobody = await patch(await keyFor("responder"));
    assert.match(
      assertProblem(ofNobody, 403, "FORBIDDEN").detail,
      /acts for no person, so it manages no team$/,
    );
    assertProblem(await patch(await keyFor("viewer", managerA.email)), 403, "FORBIDDEN");
    const ofMember = await patch(await keyFor("responder", memberA.email));
    assert.match(assertProblem(ofMember, 403, "FORBIDDEN").detail, /does not manage team Alpha$/);
  });

  it("GET /api/v1/me/teams lists the caller's teams and roles, for a session or its key's person", async () => {
    const mine = (await managerA.http.get("/api/v1/me/teams")).json() as Array<{
      teamName: string;
      role: string;
    }>;
    assert.deepEqual(mine.map((m) => `${m.teamName}: ${m.role}`).sort(), [
      "Alpha: manager",
      "Gamma: manager",
    ]);
    assert.deepEqual((await admin.get("/api/v1/me/teams")).json(), []);
    const member = (await memberA.http.get("/api/v1/me/teams")).json() as Array<{
      teamId: string;
      role: string;
    }>;
    assert.deepEqual(member, [{ teamId: teamIds.alpha, teamName: "Alpha", role: "member" }]);
  });

  it("a manager promoted and then removed loses the powers at once", async () => {
    const t = await alphaTarget();
    const newcomer = await person(fb, "Nia", "responder");
    const patch = () => newcomer.http.patch(`/api/v1/services/${t.serviceId}`, { description: "Nia" });
    assertProblem(await patch(), 403, "FORBIDDEN");
    assert.equal(
      (await managerA.http.put(`/api/v1/teams/${teamIds.alpha}/members/${newcomer.id}`, { role: "manager" }))
        .statusCode,
      200,
    );
    assert.equal((await patch()).statusCode, 200);
    assert.equal(
      (await managerA.http.delete(`/api/v1/teams/${teamIds.alpha}/members/${newcomer.id}`)).statusCode,
      204,
    );
    assertProblem(await patch(), 403, "FORBIDDEN");
  });
});
