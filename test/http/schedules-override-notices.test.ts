import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { assertProblem } from "./problem-assertions.js";
import {
  at,
  dailyRotation,
  finalRow,
  iso,
  person,
  type Person,
  type TimelineJson,
} from "./schedules-helpers.js";

interface OverrideJson {
  id: string;
  userId: string;
  source: string;
  replacesUserId: string | null;
}

/**
 * Overrides made, taken over or removed by someone else tell each person whose time on call moved,
 * as `schedule.notice` jobs planned with the change (nothing goes out until the engine runs them).
 */
describeEachDialect("schedules over HTTP: notices when someone else moves your time on call", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let dee: Person;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let counter = 0;

  /** Ada, Bob and Cy take daily turns from Monday 09:00 Berlin (Ada Mon, Bob Tue, Cy Wed, Ada Thu, …). */
  const newSchedule = async () => {
    const res = await dee.http.post("/api/v1/schedules", {
      name: `Moves ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id, cy.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; name: string };
  };
  const finalOf = async (scheduleId: string, fromDays: number, toDays: number) =>
    finalRow(
      (
        await dee.http.get(
          `/api/v1/schedules/${scheduleId}/timeline?start=${iso(at(fromDays))}&end=${iso(at(toDays))}`,
        )
      ).json() as TimelineJson,
    );
  const overridesOf = async (scheduleId: string) =>
    (
      await dee.http.get(`/api/v1/schedules/${scheduleId}/overrides?start=${iso(at(-1))}`)
    ).json() as OverrideJson[];
  /** Runs the due jobs and returns the override notices sent, as "Recipient: title". */
  const moveNotices = async () => {
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const sent = sender.sent
      .filter((s) => s.idempotencyKey.startsWith("schedule-override:"))
      .map((s) => `${s.message.recipientName}: ${s.message.title}`)
      .sort();
    sender.clear();
    return sent;
  };

  before(async () => {
    clock = new FakeClock(at(0, -1));
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    dee = await person(fb, "Dee", "admin");
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
    cy = await person(fb, "Cy", "responder");
    for (const p of [dee, ada, bob, cy]) {
      await addContactMethod(
        fb.running.deps,
        { actor: systemActor("test"), requestId: null },
        { userId: p.id, kind: "webhook", label: "pager", config: { url: "http://127.0.0.1:9/never-called" } },
      );
    }
  });
  after(() => fb?.close());

  it("a cover agreed in a trade stays unless both agree; an admin's removal tells both people", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    const trade = await bob.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "cover",
      shift: { start: iso(at(1)), end: iso(at(2)) },
      offeredTo: ada.id,
    });
    assert.equal(trade.statusCode, 201, trade.body);
    assert.equal((await ada.http.post(`/api/v1/trades/${trade.json().id}/accept`)).statusCode, 200);
    const [cover] = await overridesOf(schedule.id);
    assert.deepEqual(
      { source: cover?.source, userId: cover?.userId, replaces: cover?.replacesUserId },
      { source: "cover", userId: ada.id, replaces: bob.id },
    );
    sender.clear();

    const refused = assertProblem(
      await ada.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${cover!.id}`),
      409,
      "CONFLICT",
    );
    assert.match(
      refused.detail,
      /agreed with Bob in a shift trade.*ask Bob to take the shift back.*or ask an admin/,
    );
    assert.deepEqual(
      await finalOf(schedule.id, 1, 2),
      [`Ada ${iso(at(1))}→${iso(at(2))}`],
      "the cover stays",
    );
    assert.deepEqual(await moveNotices(), []);

    const removed = await dee.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${cover!.id}`);
    assert.equal(removed.statusCode, 204, removed.body);
    assert.deepEqual(sender.sent, [], "notices are jobs: nothing is sent inside the request");
    assert.deepEqual(await finalOf(schedule.id, 1, 2), [`Bob ${iso(at(1))}→${iso(at(2))}`]);
    const tuesday = "Tue 17 Nov 09:00 – Wed 18 Nov 09:00 (Europe/Berlin)";
    assert.deepEqual(await moveNotices(), [
      `Ada: Dee removed your cover on ${schedule.name}, ${tuesday}: you are off call then`,
      `Bob: Dee removed Ada's cover of your shift on ${schedule.name}, ${tuesday}: you are on call again`,
    ]);
  });

  it("a take-over tells the person replaced, and the person put on call when an admin did it", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    clock.set(at(0, 3));
    sender.clear();
    const taken = await cy.http.post(`/api/v1/schedules/${schedule.id}/take-over`, {});
    assert.equal(taken.statusCode, 201, taken.body);
    assert.deepEqual(await moveNotices(), [
      `Ada: Cy took over your shift on ${schedule.name}, from now until Tue 17 Nov 09:00 (Europe/Berlin): you are off call now`,
    ]);

    clock.set(at(0, 5));
    const handedOn = await dee.http.post(`/api/v1/schedules/${schedule.id}/take-over`, { userId: bob.id });
    assert.equal(handedOn.statusCode, 201, handedOn.body);
    assert.deepEqual(await moveNotices(), [
      `Bob: Dee put you on call on ${schedule.name}, from now until Tue 17 Nov 09:00 (Europe/Berlin), in place of Cy`,
      `Cy: Dee put Bob on call over your shift on ${schedule.name}, from now until Tue 17 Nov 09:00 (Europe/Berlin): you are off call now`,
    ]);
  });

  it("a responder's own override and its removal tell the person whose shift it is, not its owner", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    sender.clear();
    const made = await cy.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
      userId: cy.id,
      start: iso(at(3)),
      end: iso(at(4)),
    });
    assert.equal(made.statusCode, 201, made.body);
    const thursday = "Thu 19 Nov 09:00 – Fri 20 Nov 09:00 (Europe/Berlin)";
    assert.deepEqual(await moveNotices(), [
      `Ada: Cy is taking your shift on ${schedule.name}, ${thursday}: you are off call then`,
    ]);

    const gone = await cy.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${made.json().id}`);
    assert.equal(gone.statusCode, 204, gone.body);
    assert.deepEqual(await moveNotices(), [
      `Ada: Cy removed the override of your shift on ${schedule.name}, ${thursday}: you are on call again`,
    ]);
  });

  it("removing one's own override over a stretch nobody else holds tells nobody", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    const made = await ada.http.post(`/api/v1/schedules/${schedule.id}/overrides`, {
      userId: ada.id,
      start: iso(at(0)),
      end: iso(at(1)),
    });
    assert.equal(made.statusCode, 201, made.body);
    const gone = await ada.http.delete(`/api/v1/schedules/${schedule.id}/overrides/${made.json().id}`);
    assert.equal(gone.statusCode, 204, gone.body);
    assert.deepEqual(await moveNotices(), [], "Monday is Ada's either way");
  });
});
