import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";
import { at, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

interface EntryJson {
  userName: string;
  via: string;
  layerId: string | null;
  layerName: string | null;
  overrideId: string | null;
  overrideSource: string | null;
}

/** "Who is on call" says what puts each person on call: a layer by name, or an override and its kind. */
describeEachDialect("schedules over HTTP: what puts someone on call", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let bob: Person;
  let counter = 0;

  const newSchedule = async () => {
    const res = await admin.post("/api/v1/schedules", {
      name: `Via ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [
        { name: "Weekdays", rotation: dailyRotation([ada.id]) },
        { name: "Backup", rotation: dailyRotation([bob.id]), priority: 0 },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; layers: Array<{ id: string; name: string }> };
  };
  const onCall = async (scheduleId: string, atMs: number) => {
    const res = await admin.get(`/api/v1/oncall?scheduleId=${scheduleId}&at=${iso(atMs)}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { entries: EntryJson[] }).entries.map((e) => ({
      userName: e.userName,
      via: e.via,
      layerId: e.layerId,
      layerName: e.layerName,
      overrideId: e.overrideId,
      overrideSource: e.overrideSource,
    }));
  };

  before(async () => {
    clock = new FakeClock(at(0, 1));
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
  });
  after(() => fb?.close());

  it("names the layer for a rotation's shift, and the override (with its kind) over it", async () => {
    const schedule = await newSchedule();
    const weekdays = schedule.layers.find((l) => l.name === "Weekdays")!;
    assert.deepEqual(await onCall(schedule.id, at(0, 2)), [
      {
        userName: "Ada",
        via: "schedule",
        layerId: weekdays.id,
        layerName: "Weekdays",
        overrideId: null,
        overrideSource: null,
      },
    ]);

    const made = await admin.post(`/api/v1/schedules/${schedule.id}/overrides`, {
      userId: bob.id,
      start: iso(at(0, 3)),
      end: iso(at(0, 5)),
    });
    assert.equal(made.statusCode, 201, made.body);
    const override = made.json() as { id: string };
    assert.deepEqual(await onCall(schedule.id, at(0, 4)), [
      {
        userName: "Bob",
        via: "schedule",
        layerId: null,
        layerName: null,
        overrideId: override.id,
        overrideSource: "manual",
      },
    ]);

    const taken = await admin.post(`/api/v1/schedules/${schedule.id}/take-over`, { userId: bob.id });
    assert.equal(taken.statusCode, 201, taken.body);
    assert.deepEqual(
      (await onCall(schedule.id, at(0, 2))).map((e) => `${e.userName} ${e.overrideSource}`),
      ["Bob take-over"],
    );
  });

  it("people a policy pages directly have neither a layer nor an override", async () => {
    const policy = await admin.post("/api/v1/escalation-policies", {
      name: `Direct ${dialect}`,
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const service = await admin.post("/api/v1/services", {
      name: `direct-${dialect}`,
      escalationPolicyId: (policy.json() as { id: string }).id,
    });
    assert.equal(service.statusCode, 201, service.body);
    const res = await admin.get(`/api/v1/oncall?serviceId=direct-${dialect}`);
    const [entry] = (res.json() as { entries: EntryJson[] }).entries;
    assert.deepEqual(
      [entry?.via, entry?.layerId, entry?.layerName, entry?.overrideId, entry?.overrideSource],
      ["user", null, null, null, null],
    );
  });
});
