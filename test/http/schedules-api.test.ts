import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem, assertRacingCreates } from "./problem-assertions.js";
import {
  at,
  berlinDailySchedule,
  dailyRotation,
  finalRow,
  HOUR,
  iso,
  person,
  type Person,
  type TimelineJson,
} from "./schedules-helpers.js";

/** Whoever the final schedule has on call at `ms`, or "-" in a gap. */
const whoAt = (timeline: TimelineJson, ms: number): string =>
  timeline.final.find((s) => Date.parse(s.start) <= ms && ms < Date.parse(s.end))?.userName ?? "-";

describeEachDialect("schedules over HTTP: schedules, layers, timeline, on call", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let viewer: Person;
  let counter = 0;

  const timeline = async (ref: string, fromMs: number, toMs: number) => {
    const res = await admin.get(
      `/api/v1/schedules/${encodeURIComponent(ref)}/timeline?start=${iso(fromMs)}&end=${iso(toMs)}`,
    );
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as TimelineJson;
  };
  /** A schedule in Berlin with one daily rotation, made at `now` (the rotation takes effect then). */
  const newSchedule = (memberIds: string[], extra: object = {}) =>
    berlinDailySchedule(admin, `Primary ${++counter}`, memberIds, extra);

  before(async () => {
    clock = new FakeClock(at(0));
    fb = await startTestFirebreak({ dialect, clock });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
    cy = await person(fb, "Cy", "responder");
    viewer = await person(fb, "Vera", "viewer");
  });
  after(() => fb?.close());

  it("creates a schedule with a rotation; the timeline's final row takes turns at 09:00 Berlin", async () => {
    clock.set(at(0));
    const created = await newSchedule([ada.id, bob.id]);
    const fetched = (await admin.get(`/api/v1/schedules/${encodeURIComponent(created.name)}`)).json();
    assert.equal(fetched.id, created.id, "found by exact name as well as by id");
    assert.deepEqual(fetched.layers[0].rotation.memberIds, [ada.id, bob.id]);
    assert.equal(fetched.layers[0].endedAt, null);
    const view = await timeline(created.id, at(0), at(3));
    assert.deepEqual(finalRow(view), [
      `Ada ${iso(at(0))}→${iso(at(1))}`,
      `Bob ${iso(at(1))}→${iso(at(2))}`,
      `Ada ${iso(at(2))}→${iso(at(3))}`,
    ]);
    assert.deepEqual(view.gaps, []);
    assert.deepEqual(view.people.map((p) => p.name).sort(), ["Ada", "Bob"]);
    assert.equal(view.layers[0]!.shifts.length, 3);
  });

  it("answers who is on call by schedule, by service (its policy's first step) and by team", async () => {
    clock.set(at(0));
    const team = (await admin.post("/api/v1/teams", { name: `Storage ${dialect}` })).json() as {
      id: string;
      name: string;
    };
    const schedule = await newSchedule([ada.id, bob.id], { teamId: team.id });
    const policy = await admin.post("/api/v1/escalation-policies", {
      name: `Via schedule ${counter}`,
      steps: [
        {
          delayMinutes: 5,
          targets: [
            { kind: "schedule", scheduleId: schedule.id },
            { kind: "user", userId: cy.id },
          ],
        },
      ],
      repeatCount: 0,
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const service = await admin.post("/api/v1/services", {
      name: `storage-${counter}`,
      escalationPolicyId: policy.json().id,
    });
    assert.equal(service.statusCode, 201, service.body);

    const tuesday = iso(at(1, 2));
    const bySchedule = (await admin.get(`/api/v1/oncall?scheduleId=${schedule.id}&at=${tuesday}`)).json();
    assert.deepEqual(bySchedule, {
      at: tuesday,
      entries: [
        {
          scheduleId: schedule.id,
          scheduleName: schedule.name,
          userId: bob.id,
          userName: "Bob",
          start: iso(at(1)),
          end: iso(at(2)),
          via: "schedule",
          layerId: schedule.layers[0]!.id,
          layerName: "Daily",
          overrideId: null,
          overrideSource: null,
          // Bob has no contact methods here: on call, but no page would reach him.
          unreachable: "has no contact methods",
        },
      ],
      gaps: [],
    });
    const byService = (await admin.get(`/api/v1/oncall?serviceId=storage-${counter}&at=${tuesday}`)).json();
    assert.deepEqual(
      byService.entries.map((e: { userName: string; via: string }) => `${e.userName} via ${e.via}`),
      ["Bob via schedule", "Cy via user"],
    );
    const byTeam = (
      await admin.get(`/api/v1/oncall?teamId=${encodeURIComponent(team.name)}&at=${tuesday}`)
    ).json();
    assert.deepEqual(
      byTeam.entries.map((e: { userName: string; via: string }) => `${e.userName} via ${e.via}`),
      ["Bob via schedule"],
    );
    const everything = (await viewer.http.get(`/api/v1/oncall?at=${tuesday}`)).json();
    assert.ok(everything.entries.some((e: { scheduleId: string }) => e.scheduleId === schedule.id));
    const now = (await admin.get(`/api/v1/oncall?scheduleId=${schedule.id}`)).json();
    assert.equal(now.at, iso(at(0)), "without `at`: the server's now");
    assert.equal(now.entries[0].userName, "Ada");

    assertProblem(
      await admin.get(`/api/v1/oncall?scheduleId=${schedule.id}&teamId=${team.id}`),
      400,
      "VALIDATION",
    );
    assertProblem(await admin.get(`/api/v1/oncall?serviceId=no-such-service`), 404, "NOT_FOUND");
  });

  it("an override wins over the rotation, and on-call answers follow it", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    const res = await ada.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
      userId: ada.id,
      start: iso(at(1, 2)),
      end: iso(at(1, 5)),
    });
    assert.equal(res.statusCode, 201, res.body);
    const override = res.json();
    assert.equal(override.source, "manual");
    assert.equal(override.userName, "Ada");
    const view = await timeline(schedule.id, at(1), at(2));
    assert.deepEqual(finalRow(view), [
      `Bob ${iso(at(1))}→${iso(at(1, 2))}`,
      `Ada ${iso(at(1, 2))}→${iso(at(1, 5))}`,
      `Bob ${iso(at(1, 5))}→${iso(at(2))}`,
    ]);
    assert.equal(view.final[1]!.overrideId, override.id);
    assert.deepEqual(
      view.overrides.map((o) => o.id),
      [override.id],
    );
    const onCall = (await admin.get(`/api/v1/oncall?scheduleId=${schedule.id}&at=${iso(at(1, 3))}`)).json();
    assert.equal(onCall.entries[0].userName, "Ada");

    const listed = (await admin.get(`/api/v1/schedules/${schedule.id}/overrides`)).json() as Array<{
      id: string;
    }>;
    assert.deepEqual(
      listed.map((o) => o.id),
      [override.id],
    );
    assertProblem(
      await bob.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${override.id}`),
      403,
      "FORBIDDEN",
    );
    assert.equal(
      (await ada.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${override.id}`)).statusCode,
      204,
    );
    assert.equal(
      whoAt(await timeline(schedule.id, at(1), at(2)), at(1, 3)),
      "Bob",
      "removed: the rotation is back",
    );
  });

  it("editing a rotation changes shifts from now on only; the past stays as it was", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    const before = await timeline(schedule.id, at(0), at(4));
    clock.set(at(1, 6));
    const edited = await admin.put(`/api/v1/schedules/${schedule.id}/layers/${schedule.layers[0]!.id}`, {
      rotation: dailyRotation([cy.id]),
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(edited.json().rotation.memberIds, [cy.id], "the layer shows the version in force now");
    const afterEdit = await timeline(schedule.id, at(0), at(4));
    for (let ms = at(0); ms < at(4); ms += HOUR) {
      const expected = ms < at(1, 6) ? whoAt(before, ms) : "Cy";
      assert.equal(whoAt(afterEdit, ms), expected, `on call at ${iso(ms)}`);
    }
  });

  it("ending a layer keeps its past shifts and leaves a gap after", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    clock.set(at(0, 4));
    const ended = await admin.delete(`/api/v1/schedules/${schedule.id}/layers/${schedule.layers[0]!.id}`);
    assert.equal(ended.statusCode, 204, ended.body);
    const view = await timeline(schedule.id, at(0), at(1));
    assert.deepEqual(finalRow(view), [`Ada ${iso(at(0))}→${iso(at(0, 4))}`]);
    assert.deepEqual(view.gaps, [
      { start: iso(at(0, 4)), end: iso(at(1)), reason: "unscheduled", userId: null, userName: null },
    ]);
    const gaps = (
      await admin.get(`/api/v1/schedules/${schedule.id}/gaps?start=${iso(at(0))}&end=${iso(at(1))}`)
    ).json();
    assert.deepEqual(gaps, view.gaps);
    assert.ok((await admin.get(`/api/v1/schedules/${schedule.id}`)).json().layers[0].endedAt);
    assertProblem(
      await admin.put(`/api/v1/schedules/${schedule.id}/layers/${schedule.layers[0]!.id}`, { name: "again" }),
      409,
      "CONFLICT",
    );
  });

  it("refuses to delete a schedule an escalation policy pages through, naming the policy", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id]);
    const policy = await admin.post("/api/v1/escalation-policies", {
      name: "Night pager",
      steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
      repeatCount: 0,
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const refused = assertProblem(await admin.delete(`/api/v1/schedules/${schedule.id}`), 409, "CONFLICT");
    assert.match(refused.detail, /"Night pager"/);
    const retarget = await admin.put(`/api/v1/escalation-policies/${policy.json().id}`, {
      name: "Night pager",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    assert.equal(retarget.statusCode, 200, retarget.body);
    assert.equal((await admin.delete(`/api/v1/schedules/${schedule.id}`)).statusCode, 204);
    assertProblem(await admin.get(`/api/v1/schedules/${schedule.id}`), 404, "NOT_FOUND");
    const unknown = await admin.post("/api/v1/escalation-policies", {
      name: "Dangling",
      steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
      repeatCount: 0,
    });
    assertProblem(unknown, 400, "VALIDATION");
    assert.deepEqual(errorPaths(unknown), ["/steps/0/targets/0"]);
  });

  it("answers bad input with 400 naming the field", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id]);
    const cases: Array<[string, () => ReturnType<Client["get"]>, string[]]> = [
      [
        "an unknown time zone",
        () => admin.post("/api/v1/schedules", { name: "x1", timeZone: "Mars/Olympus" }),
        ["/timeZone"],
      ],
      [
        "an unknown member",
        () =>
          admin.post("/api/v1/schedules", {
            name: "x2",
            timeZone: "UTC",
            layers: [{ name: "L", rotation: dailyRotation(["nobody"]) }],
          }),
        ["/layers/0/rotation/memberIds/0"],
      ],
      [
        "a shift unit that does not exist",
        () =>
          admin.post(`/api/v1/schedules/${schedule.id}/layers`, {
            name: "L",
            rotation: { ...dailyRotation([ada.id]), shiftUnit: "months" },
          }),
        ["/rotation/shiftUnit"],
      ],
      [
        "a timeline longer than 62 days",
        () => admin.get(`/api/v1/schedules/${schedule.id}/timeline?start=${iso(at(0))}&end=${iso(at(63))}`),
        ["/end"],
      ],
      [
        "a timeline without an end",
        () => admin.get(`/api/v1/schedules/${schedule.id}/timeline?start=${iso(at(0))}`),
        ["querystring /end"],
      ],
      [
        "an override in the past",
        () =>
          ada.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
            userId: ada.id,
            start: iso(at(-2)),
            end: iso(at(-1)),
          }),
        ["/end"],
      ],
      [
        "a user time zone that does not exist",
        () => ada.http.patch("/api/v1/me", { timeZone: "Europe/Atlantis" }),
        ["/timeZone"],
      ],
    ];
    for (const [what, call, paths] of cases) {
      const res = await call();
      assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(errorPaths(res), paths, what);
    }
    const startLocal = await admin.post(`/api/v1/schedules/${schedule.id}/layers`, {
      name: "L",
      rotation: { ...dailyRotation([ada.id]), startLocal: "Monday 9am" },
    });
    assertProblem(startLocal, 400, "VALIDATION");
    assert.ok(
      errorPaths(startLocal).every((p) => p.startsWith("/rotation/startLocal")),
      startLocal.body,
    );
    assertProblem(
      await admin.get(
        "/api/v1/schedules/no-such-schedule/timeline?start=2026-11-16T00:00:00Z&end=2026-11-17T00:00:00Z",
      ),
      404,
      "NOT_FOUND",
    );
  });

  it("creates of one schedule name at once: one is made, the others are told the name is taken", async () => {
    await assertRacingCreates(
      "Racing schedule",
      (name) => admin.post("/api/v1/schedules", { name, timeZone: "UTC" }),
      (name) => `a schedule named ${name} already exists`,
    );
  });

  it("refuses what a role does not allow with 403", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    assertProblem(
      await ada.http.post("/api/v1/schedules", { name: "mine", timeZone: "UTC" }),
      403,
      "FORBIDDEN",
    );
    assertProblem(
      await ada.http.patch(`/api/v1/schedules/${schedule.id}`, { name: "renamed" }),
      403,
      "FORBIDDEN",
    );
    assertProblem(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
        userId: bob.id,
        start: iso(at(1)),
        end: iso(at(2)),
      }),
      403,
      "FORBIDDEN",
    );
    assertProblem(
      await viewer.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
        userId: viewer.id,
        start: iso(at(1)),
        end: iso(at(2)),
      }),
      403,
      "FORBIDDEN",
    );
    assertProblem(await viewer.http.post(`/api/v1/schedules/${schedule.id}/take-over`, {}), 403, "FORBIDDEN");
    assertProblem(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/calendar-feed/rotate`),
      403,
      "FORBIDDEN",
    );
    assertProblem(await ada.http.delete(`/api/v1/schedules/${schedule.id}`), 403, "FORBIDDEN");
  });

  it("keeps each person's optional time zone (PATCH /me and /users/:id) and shows it on timelines", async () => {
    clock.set(at(0));
    const mine = await ada.http.patch("/api/v1/me", { timeZone: "America/New_York" });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.equal(mine.json().timeZone, "America/New_York");
    const theirs = await admin.patch(`/api/v1/users/${bob.id}`, { timeZone: "Asia/Singapore" });
    assert.equal(theirs.json().timeZone, "Asia/Singapore");
    const schedule = await newSchedule([ada.id, bob.id]);
    const view = await timeline(schedule.id, at(0), at(2));
    assert.deepEqual(view.people.map((p) => `${p.name} ${p.timeZone}`).sort(), [
      "Ada America/New_York",
      "Bob Asia/Singapore",
    ]);
    assert.equal((await ada.http.patch("/api/v1/me", { timeZone: null })).json().timeZone, null);
    const users = (await viewer.http.get("/api/v1/users")).json() as Array<{
      id: string;
      timeZone: string | null;
    }>;
    assert.equal(users.find((u) => u.id === bob.id)?.timeZone, "Asia/Singapore");
  });

  it("takes over the current shift from now until it ends", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    clock.set(at(0, 3));
    const res = await bob.http.post(`/api/v1/schedules/${schedule.id}/take-over`, {});
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(
      {
        source: res.json().source,
        start: res.json().start,
        end: res.json().end,
        replaces: res.json().replacesUserId,
      },
      { source: "take-over", start: iso(at(0, 3)), end: iso(at(1)), replaces: ada.id },
    );
    assert.equal(whoAt(await timeline(schedule.id, at(0), at(1)), at(0, 5)), "Bob");
  });

  it("lists the schedule routes in the OpenAPI document", async () => {
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      "/api/v1/schedules",
      "/api/v1/schedules/{id}/timeline",
      "/api/v1/oncall",
      "/api/v1/trades/{id}/accept",
    ])
      assert.ok(doc.paths[path], path);
    const fairness = doc.paths["/api/v1/schedules/{id}/fairness"] as {
      get: { parameters: Array<{ name: string; in: string }> };
    };
    assert.ok(
      fairness.get.parameters.some((p) => p.name === "holidays" && p.in === "query"),
      "the fairness route documents its holidays parameter",
    );
  });
});
