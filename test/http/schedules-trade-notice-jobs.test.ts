import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { assertProblem } from "./problem-assertions.js";
import { at, dailyRotation, iso, person, type Person } from "./schedules-helpers.js";

/**
 * A trade's notices are `schedule.notice` jobs written in the trade's own transaction: when the
 * answer comes back nothing has been sent, the rows hold all a later run needs (after a crash, say),
 * a failed send is retried, and a trade refused writes none.
 */
describeEachDialect("schedules over HTTP: shift-trade notices as jobs", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let counter = 0;

  const newSchedule = async () => {
    const res = await ada.http.post("/api/v1/schedules", {
      name: `Trade jobs ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id, cy.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  /** The waiting `schedule.notice` jobs about trade `tradeId`, as "idempotency key → recipient". */
  const noticeJobs = async (tradeId: string) =>
    (
      await fb.running.store.handle.db
        .selectFrom("jobs")
        .select("payload_json")
        .where("kind", "=", "schedule.notice")
        .execute()
    )
      .map((row) => JSON.parse(row.payload_json) as { idempotencyKey: string; to: { userId?: string } })
      .filter((p) => p.idempotencyKey.startsWith(`trade:${tradeId}:`))
      .map((p) => `${p.idempotencyKey.split(":")[2]} → ${p.to.userId}`)
      .sort();
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const sentAbout = (tradeId: string) =>
    sender.sent
      .filter((s) => s.idempotencyKey.startsWith(`trade:${tradeId}:`))
      .map((s) => `${s.message.recipientName}: ${s.message.title}`)
      .sort();

  before(async () => {
    clock = new FakeClock(at(0, -1));
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

  it("the request's notice is a job row when the answer comes, and arrives when the job runs", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    await run();
    sender.clear();
    const res = await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "swap",
      shift: { start: iso(at(3)), end: iso(at(4)) },
      offeredTo: bob.id,
      swapWith: { start: iso(at(4)), end: iso(at(5)) },
    });
    assert.equal(res.statusCode, 201, res.body);
    const trade = res.json() as { id: string };
    assert.deepEqual(sentAbout(trade.id), [], "nothing is sent before the job runs");
    assert.deepEqual(await noticeJobs(trade.id), [`requested → ${bob.id}`]);

    await run();
    assert.deepEqual(sentAbout(trade.id), ["Bob: Ada asks Bob to swap a shift on Trade jobs 1"]);
    assert.deepEqual(await noticeJobs(trade.id), [], "the job is done");
  });

  it("the acceptance's notices are jobs too, and a failed send is retried instead of lost", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    const res = await bob.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "cover",
      shift: { start: iso(at(1)), end: iso(at(2)) },
      offeredTo: cy.id,
    });
    assert.equal(res.statusCode, 201, res.body);
    const trade = res.json() as { id: string };
    await run();
    sender.clear();

    assert.equal((await cy.http.post(`/api/v1/trades/${trade.id}/accept`)).statusCode, 200);
    // Planned in one transaction, so their order is not defined: compared sorted.
    assert.deepEqual(
      (await noticeJobs(trade.id)).sort(),
      [`accepted → ${bob.id}`, `accepted → ${cy.id}`].sort(),
    );
    sender.failNext(1, true);
    await run();
    assert.equal(sentAbout(trade.id).length, 1, "one went out; the other failed and waits for its retry");
    assert.equal((await noticeJobs(trade.id)).length, 1);

    clock.advance(5 * MINUTE);
    await run();
    assert.deepEqual(sentAbout(trade.id).sort(), [
      `Bob: Cy accepted Bob's cover request on Trade jobs ${counter}`,
      `Cy: Cy accepted Bob's cover request on Trade jobs ${counter}`,
    ]);
    assert.deepEqual(await noticeJobs(trade.id), []);
  });

  it("a refused decision writes no notice", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    const res = await bob.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "cover",
      shift: { start: iso(at(1)), end: iso(at(2)) },
      offeredTo: cy.id,
    });
    const trade = res.json() as { id: string };
    await run();
    assertProblem(
      await ada.http.post(`/api/v1/trades/${trade.id}/accept`, { userId: "nobody" }),
      403,
      "FORBIDDEN",
    );
    assert.deepEqual(await noticeJobs(trade.id), []);
  });
});
