import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { at, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

interface CreatedJson {
  id: string;
  userId: string;
  warnings: string[];
}

/**
 * Overrides of one person may overlap (as PagerDuty and GoAlert allow): the second is made all the
 * same, and its answer says what the person already covered, on the schedule's clock.
 */
describeEachDialect("schedules over HTTP: overlapping overrides of one person", (dialect) => {
  let fb: TestFirebreak;
  let ada: Person;
  let bob: Person;
  let counter = 0;

  const newSchedule = async () => {
    const res = await ada.http.post("/api/v1/schedules", {
      name: `Overlaps ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  /** An override of `who` from `from` to `to` hours after Tuesday 09:00 Berlin, made by `by`. */
  const override = async (scheduleId: string, by: Person, who: Person, from: number, to: number) => {
    const res = await by.http.post(`/api/v1/schedules/${scheduleId}/overrides`, {
      userId: who.id,
      start: iso(at(1, from)),
      end: iso(at(1, to)),
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as CreatedJson;
  };
  const overridesOf = async (scheduleId: string) =>
    ((await ada.http.get(`/api/v1/schedules/${scheduleId}/overrides`)).json() as Array<{ id: string }>).map(
      (o) => o.id,
    );

  before(async () => {
    fb = await startTestFirebreak({ dialect, clock: new FakeClock(at(0)), startEngine: false });
    ada = await person(fb, "Ada", "admin");
    bob = await person(fb, "Bob", "responder");
  });
  after(() => fb?.close());

  it("a first override has no warnings; one over the same person's time is made, and warned about", async () => {
    const schedule = await newSchedule();
    const first = await override(schedule.id, bob, bob, 0, 3);
    assert.deepEqual(first.warnings, []);

    const second = await override(schedule.id, bob, bob, 2, 5);
    assert.deepEqual(second.warnings, [
      "Bob already covers 11:00–12:00 on Tue 17 Nov (Europe/Berlin) in this schedule by another override",
    ]);
    assert.deepEqual((await overridesOf(schedule.id)).sort(), [first.id, second.id].sort(), "both stand");
  });

  it("one over several of the person's overrides names each overlap in time order", async () => {
    const schedule = await newSchedule();
    await override(schedule.id, ada, bob, 6, 8);
    await override(schedule.id, ada, bob, 1, 2);
    const wide = await override(schedule.id, ada, bob, 0, 7);
    assert.deepEqual(wide.warnings, [
      "Bob already covers 10:00–11:00 on Tue 17 Nov (Europe/Berlin) in this schedule by another override",
      "Bob already covers 15:00–16:00 on Tue 17 Nov (Europe/Berlin) in this schedule by another override",
    ]);
  });

  it("no warning for another person's override, one that only touches, or one in another schedule", async () => {
    const schedule = await newSchedule();
    const other = await newSchedule();
    await override(schedule.id, ada, ada, 0, 3);
    await override(schedule.id, ada, bob, 3, 5);
    await override(other.id, ada, bob, 0, 8);
    assert.deepEqual((await override(schedule.id, ada, bob, 0, 3)).warnings, []);
  });
});
