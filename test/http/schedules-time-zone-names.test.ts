import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";

/** A schedule's zone is stored as the tz database spells it, however it was typed. */
describe("schedules over HTTP: time zone names", () => {
  let fb: TestFirebreak;
  let admin: Client;

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const answer = await res;
    assert.equal(answer.statusCode, status, answer.body);
    return answer.json() as { id: string; timeZone: string };
  };

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
  });
  after(() => fb?.close());

  it("creates with the canonical name, and reads it back so everywhere", async () => {
    const created = await ok(
      admin.post("/api/v1/schedules", { name: "Lower", timeZone: "europe/berlin" }),
      201,
    );
    assert.equal(created.timeZone, "Europe/Berlin");
    assert.equal((await ok(admin.get(`/api/v1/schedules/${created.id}`))).timeZone, "Europe/Berlin");
    const listed = (await ok(admin.get("/api/v1/schedules"))) as unknown as Array<{
      name: string;
      timeZone: string;
    }>;
    assert.equal(listed.find((s) => s.name === "Lower")?.timeZone, "Europe/Berlin");
  });

  it("changes the zone to its canonical name; a current name Node's ICU calls an alias keeps itself", async () => {
    const created = await ok(admin.post("/api/v1/schedules", { name: "Changed", timeZone: "UTC" }), 201);
    for (const [typed, stored] of [
      ["AMERICA/NEW_YORK", "America/New_York"],
      ["asia/kolkata", "Asia/Kolkata"],
      ["america/port-au-prince", "America/Port-au-Prince"],
    ]) {
      const changed = await ok(admin.patch(`/api/v1/schedules/${created.id}`, { timeZone: typed }));
      assert.equal(changed.timeZone, stored, typed);
    }
    // A change that leaves the zone out leaves it as it was.
    const renamed = await ok(admin.patch(`/api/v1/schedules/${created.id}`, { name: "Changed again" }));
    assert.equal(renamed.timeZone, "America/Port-au-Prince");
  });

  it("still refuses what is no zone, at the field", async () => {
    const res = await admin.post("/api/v1/schedules", { name: "Nowhere", timeZone: "mars/base" });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /\/timeZone/);
  });
});
