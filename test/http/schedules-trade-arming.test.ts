import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { gapCheckJobKey, handoffJobKey } from "../../src/app/schedules/arm-schedule-jobs.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { at, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

/**
 * An accepted trade changes who is on call, so like any other override it re-arms the schedule's
 * handoff notice and gap check in its own transaction (not an hour later by the safety net).
 */
describeEachDialect("schedules over HTTP: an accepted trade re-arms the schedule's jobs", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let counter = 0;

  const newSchedule = async () => {
    const res = await ada.http.post("/api/v1/schedules", {
      name: `Trade arming ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id, cy.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const jobRunAt = async (key: string) => {
    const row = await fb.running.store.handle.db
      .selectFrom("jobs")
      .select("run_at")
      .where("job_key", "=", key)
      .executeTakeFirst();
    return row ? Number(row.run_at) : null;
  };
  const titlesFor = (name: string) =>
    sender.sent
      .filter((s) => s.message.event === "notice" && s.message.recipientName === name)
      .map((s) => s.message.title);

  before(async () => {
    clock = new FakeClock(at(0, 1));
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    ada = await person(fb, "Ada", "admin");
    bob = await person(fb, "Bob", "responder");
    cy = await person(fb, "Cy", "responder");
    for (const p of [ada, bob, cy])
      await addContactMethod(
        fb.running.deps,
        { actor: systemActor("test"), requestId: null },
        { userId: p.id, kind: "webhook", label: "pager", config: { url: "http://127.0.0.1:9/never-called" } },
      );
  });
  after(() => fb?.close());

  it("a cover accepted moves the handoff notice to the cover's start and checks the gaps at once", async () => {
    clock.set(at(0, 1));
    const schedule = await newSchedule();
    await run();
    assert.equal(await jobRunAt(handoffJobKey(schedule.id)), at(1), "Ada hands to Bob on Tuesday");
    assert.ok((await jobRunAt(gapCheckJobKey(schedule.id)))! > at(0, 1), "the first gap check ran");

    // Ada (on call Monday) asks Bob to cover 11:00–12:00, starting in ten minutes.
    clock.set(at(0, 2) - 10 * MINUTE);
    const res = await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "cover",
      shift: { start: iso(at(0, 2)), end: iso(at(0, 3)) },
      offeredTo: bob.id,
    });
    assert.equal(res.statusCode, 201, res.body);
    const trade = res.json() as { id: string };
    assert.equal((await bob.http.post(`/api/v1/trades/${trade.id}/accept`)).statusCode, 200);

    assert.equal(await jobRunAt(handoffJobKey(schedule.id)), at(0, 2), "the handoff is the cover's start");
    assert.equal(await jobRunAt(gapCheckJobKey(schedule.id)), clock.now().getTime(), "gaps checked now");

    await run();
    sender.clear();
    clock.set(at(0, 2));
    await run();
    assert.equal(titlesFor("Bob").length, 1, titlesFor("Bob").join("\n"));
    assert.match(titlesFor("Bob")[0]!, /^Your on-call shift on Trade arming \d+ starts now/);
    assert.match(titlesFor("Ada")[0] ?? "", /^Handoff on Trade arming \d+: Bob is on call from now/);
  });

  it("a swap accepted re-arms the handoff too", async () => {
    clock.set(at(0, 1));
    const schedule = await newSchedule();
    await run();
    // Bob (on call Tuesday) gives Ada Tuesday 09:00–10:00 for her Monday 20:00–21:00.
    const res = await bob.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "swap",
      shift: { start: iso(at(1)), end: iso(at(1, 1)) },
      offeredTo: ada.id,
      swapWith: { start: iso(at(0, 11)), end: iso(at(0, 12)) },
    });
    assert.equal(res.statusCode, 201, res.body);
    const trade = res.json() as { id: string };
    assert.equal((await ada.http.post(`/api/v1/trades/${trade.id}/accept`)).statusCode, 200);
    assert.equal(await jobRunAt(handoffJobKey(schedule.id)), at(0, 11), "Ada hands to Bob at 20:00 now");
  });
});
