import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";
import { at, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

/**
 * A take-over without an end while nobody is on call covers the uncovered slot until someone is on
 * call again (it used to be refused as "nobody is on call now"); with no end in sight it asks for one.
 */
describeEachDialect("schedules over HTTP: taking over an uncovered slot", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let admin: Client;
  let ada: Person;
  let carol: Person;
  let counter = 0;

  /** A daily rotation of `memberIds` from Monday 09:00 Berlin, with Carol disabled from Monday 10:00. */
  const schedule = async (memberIds: string[]) => {
    clock.set(at(0, -1));
    assert.equal((await admin.patch(`/api/v1/users/${carol.id}`, { disabled: false })).statusCode, 200);
    const res = await admin.post("/api/v1/schedules", {
      name: `Uncovered ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation(memberIds) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    clock.set(at(0, 1));
    assert.equal((await admin.patch(`/api/v1/users/${carol.id}`, { disabled: true })).statusCode, 200);
    return (res.json() as { id: string }).id;
  };
  const onCallNow = async (scheduleId: string) =>
    (
      (await admin.get(`/api/v1/oncall?scheduleId=${scheduleId}`)).json() as {
        entries: Array<{ userName: string; end: string }>;
      }
    ).entries.map((e) => `${e.userName} until ${e.end}`);

  before(async () => {
    clock = new FakeClock(at(0));
    fb = await startTestFirebreak({ dialect, clock, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    carol = await person(fb, "Carol", "responder");
  });
  after(() => fb?.close());

  it("during a disabled person's shift, the one taking over is on call until the next shift", async () => {
    const id = await schedule([ada.id, carol.id]);
    clock.set(at(1, 3)); // Carol's day: nobody is on call.
    assert.deepEqual(await onCallNow(id), []);
    const res = await ada.http.post(`/api/v1/schedules/${id}/take-over`, {});
    assert.equal(res.statusCode, 201, res.body);
    const made = res.json() as { start: string; end: string; source: string; replacesUserId: string | null };
    assert.deepEqual(
      { start: made.start, end: made.end, source: made.source, replaces: made.replacesUserId },
      { start: iso(at(1, 3)), end: iso(at(2)), source: "take-over", replaces: null },
    );
    assert.deepEqual(await onCallNow(id), [`Ada until ${iso(at(2))}`]);
  });

  it("with nobody scheduled ever again, asks for an end, and takes one given", async () => {
    const id = await schedule([carol.id]);
    clock.set(at(1, 3));
    assertProblem(await ada.http.post(`/api/v1/schedules/${id}/take-over`, {}), 400, "VALIDATION");
    const res = await ada.http.post(`/api/v1/schedules/${id}/take-over`, { end: iso(at(1, 8)) });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(await onCallNow(id), [`Ada until ${iso(at(1, 8))}`]);
  });
});
