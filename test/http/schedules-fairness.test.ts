import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";
import { at, berlinDailySchedule, iso, person, type Person } from "./schedules-helpers.js";

describeEachDialect("schedules over HTTP: fairness and follow-the-sun plans", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let viewer: Person;
  let counter = 0;

  const newSchedule = (memberIds: string[]) => berlinDailySchedule(admin, `Fair ${++counter}`, memberIds);

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

  it("reports fairness per person and plans follow-the-sun layers without saving them", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    const fairness = await viewer.http.get(
      `/api/v1/schedules/${schedule.id}/fairness?start=${iso(at(0))}&end=${iso(at(4))}`,
    );
    assert.equal(fairness.statusCode, 200, fairness.body);
    const rows = (
      fairness.json() as { people: Array<{ userName: string; shiftCount: number; hoursOnCall: number }> }
    ).people;
    assert.deepEqual(rows.map((r) => `${r.userName} ${r.shiftCount} ${r.hoursOnCall}`).sort(), [
      "Ada 2 48",
      "Bob 2 48",
    ]);

    const members = [
      { userId: ada.id, timeZone: "Europe/Berlin", workStart: "09:00", workEnd: "17:00" },
      { userId: bob.id, timeZone: "America/New_York", workStart: "09:00", workEnd: "17:00" },
      { userId: cy.id, timeZone: "Asia/Singapore", workStart: "09:00", workEnd: "17:00" },
    ];
    const request = {
      scheduleTimeZone: "UTC",
      members,
      shiftHours: 6,
      referenceDate: "2026-11-16",
      startLocal: "2026-11-16T00:00",
    };
    const plan = await admin.post("/api/v1/schedules/follow-the-sun/preview", request);
    assert.equal(plan.statusCode, 200, plan.body);
    const body = plan.json() as { layers: Array<{ rotation: { memberIds: string[] } }>; slots: unknown[] };
    assert.ok(body.layers.length > 0 && body.slots.length > 0);
    assert.equal(
      (await admin.get(`/api/v1/schedules/${schedule.id}`)).json().layers.length,
      1,
      "nothing saved",
    );
    const wrong = await admin.post("/api/v1/schedules/follow-the-sun/preview", {
      ...request,
      members: [{ ...members[0], userId: "nobody" }],
    });
    assertProblem(wrong, 400, "VALIDATION");
    assert.deepEqual(errorPaths(wrong), ["/members/0/userId"]);
  });

  it("counts holiday hours for whoever is on call during a holiday given in the fairness query", async () => {
    clock.set(at(0));
    const schedule = await newSchedule([ada.id, bob.id]);
    // Tuesday 2026-11-17 in Berlin: Ada until 09:00 (9 hours), then Bob (15 hours). Christmas is out of range.
    const list = ["2026-11-17:" + encodeURIComponent("Founders, Day"), "2026-12-25"].join(",");
    const url = `/api/v1/schedules/${schedule.id}/fairness?start=${iso(at(0))}&end=${iso(at(4))}`;
    const res = await viewer.http.get(`${url}&holidays=${encodeURIComponent(list)}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      people: Array<{ userName: string; holidayHours: number; holidayNames: string[] }>;
      totals: { holidayHours: number };
      holidays: Array<{ date: string; name: string }>;
    };
    assert.deepEqual(body.people.map((r) => `${r.userName} ${r.holidayHours} ${r.holidayNames}`).sort(), [
      "Ada 9 Founders, Day",
      "Bob 15 Founders, Day",
    ]);
    assert.equal(body.totals.holidayHours, 24);
    assert.deepEqual(body.holidays, [
      { date: "2026-11-17", name: "Founders, Day" },
      { date: "2026-12-25", name: "2026-12-25" },
    ]);
    const without = (await viewer.http.get(url)).json() as { totals: { holidayHours: number } };
    assert.equal(without.totals.holidayHours, 0, "no holidays given, none counted");

    for (const bad of ["2026-11-17,2026-02-30", "2026-11-17,Christmas", "2026-11-17:%E0%A4%A"]) {
      const wrong = await viewer.http.get(`${url}&holidays=${encodeURIComponent(bad)}`);
      assertProblem(wrong, 400, "VALIDATION");
      assert.deepEqual(errorPaths(wrong), ["/holidays"], bad);
      const badEntry = bad.split(",").at(-1)!;
      assert.ok(wrong.body.includes(badEntry), `${wrong.body} names ${badEntry}`);
    }
    const tooMany = Array.from({ length: 101 }, () => "2026-11-17").join(",");
    const many = await viewer.http.get(`${url}&holidays=${tooMany}`);
    assertProblem(many, 400, "VALIDATION");
    assert.deepEqual(errorPaths(many), ["/holidays"]);
  });
});
