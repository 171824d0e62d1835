import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
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

interface TradeJson {
  id: string;
  kind: string;
  state: string;
  requesterId: string;
  requesterName: string;
  offeredTo: string | null;
  acceptedBy: string | null;
  swapWith: { userId: string; start: string; end: string } | null;
}

describeEachDialect("schedules over HTTP: swap and cover trades", (dialect) => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let sender: RecordingSender;
  let admin: Client;
  let ada: Person;
  let bob: Person;
  let cy: Person;
  let outsider: Person;
  let counter = 0;

  const shift = (fromDays: number, toDays: number) => ({ start: iso(at(fromDays)), end: iso(at(toDays)) });
  /** Ada, Bob and Cy take daily turns from Monday 09:00 Berlin (Ada Mon, Bob Tue, Cy Wed, Ada Thu, …). */
  const newSchedule = async () => {
    const res = await admin.post("/api/v1/schedules", {
      name: `Trades ${++counter}`,
      timeZone: "Europe/Berlin",
      layers: [{ name: "Daily", rotation: dailyRotation([ada.id, bob.id, cy.id]) }],
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  const finalOf = async (scheduleId: string, fromDays: number, toDays: number) =>
    finalRow(
      (
        await admin.get(
          `/api/v1/schedules/${scheduleId}/timeline?start=${iso(at(fromDays))}&end=${iso(at(toDays))}`,
        )
      ).json() as TimelineJson,
    );
  /**
   * Runs the due jobs (a trade's notices are `schedule.notice` jobs) and answers the notices sent
   * about one event of one trade: other trades' notices wait as jobs too and go out in the same run.
   */
  const tradeNotices = async (tradeId: string, event: "requested" | "accepted" | "declined") => {
    await fb.running.runner!.runDueOnce({ now: clock.now() });
    const sent = sender.sent.filter((s) => s.idempotencyKey.startsWith(`trade:${tradeId}:${event}:`));
    sender.clear();
    return sent;
  };
  const summary = (sent: RecordingSender["sent"]) =>
    sent.map((s) => `${s.message.recipientName}:${s.message.event}`).sort();
  const created = (res: Awaited<ReturnType<Client["post"]>>) => {
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as TradeJson;
  };

  before(async () => {
    clock = new FakeClock(at(0));
    sender = new RecordingSender();
    fb = await startTestFirebreak({ dialect, clock, sender, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
    ada = await person(fb, "Ada", "responder");
    bob = await person(fb, "Bob", "responder");
    cy = await person(fb, "Cy", "responder");
    outsider = await person(fb, "Olga", "responder");
    for (const p of [ada, bob, cy]) {
      await addContactMethod(
        fb.running.deps,
        { actor: systemActor("test"), requestId: null },
        {
          userId: p.id,
          kind: "webhook",
          label: "pager",
          config: { url: "http://127.0.0.1:9/never-called" },
        },
      );
    }
  });
  after(() => fb?.close());

  it("a swap: Ada asks Bob, Bob accepts, both are told, and the final schedule shows it", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    sender.clear();
    const trade = created(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
        kind: "swap",
        shift: shift(3, 4),
        offeredTo: bob.id,
        swapWith: shift(4, 5),
        note: "dentist on Thursday",
      }),
    );
    assert.deepEqual(
      {
        kind: trade.kind,
        state: trade.state,
        requester: trade.requesterName,
        swapWith: trade.swapWith?.userId,
      },
      { kind: "swap", state: "pending", requester: "Ada", swapWith: bob.id },
    );
    const requested = await tradeNotices(trade.id, "requested");
    assert.deepEqual(summary(requested), ["Bob:notice"], "only the person asked hears of the request");
    assert.match(requested[0]!.message.title, /Ada asks Bob to swap/);

    const forBob = (await bob.http.get("/api/v1/trades?state=pending&mine=true")).json() as TradeJson[];
    assert.deepEqual(
      forBob.map((t) => t.id),
      [trade.id],
    );
    assert.deepEqual((await outsider.http.get("/api/v1/trades?state=pending&mine=true")).json(), []);

    sender.clear();
    const accepted = await bob.http.post(`/api/v1/trades/${trade.id}/accept`);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().state, "accepted");
    assert.equal(accepted.json().acceptedBy, bob.id);
    assert.deepEqual(
      summary(await tradeNotices(trade.id, "accepted")),
      ["Ada:notice", "Bob:notice"],
      "both hear of the acceptance",
    );
    assert.deepEqual(await finalOf(schedule.id, 3, 5), [
      `Bob ${iso(at(3))}→${iso(at(4))}`,
      `Ada ${iso(at(4))}→${iso(at(5))}`,
    ]);
    const overrides = (
      await admin.get(`/api/v1/schedules/${schedule.id}/overrides?start=${iso(at(0))}`)
    ).json() as Array<{ userId: string; replacesUserId: string; source: string; start: string }>;
    assert.deepEqual(
      overrides.map((o) => `${o.source} ${o.start}: ${o.userId} for ${o.replacesUserId}`).sort(),
      [`swap ${iso(at(3))}: ${bob.id} for ${ada.id}`, `swap ${iso(at(4))}: ${ada.id} for ${bob.id}`].sort(),
      "a swap with a shift in return moves both shifts",
    );
    assertProblem(await bob.http.post(`/api/v1/trades/${trade.id}/accept`), 409, "CONFLICT");
  });

  it("a cover request is taken by the first who accepts; a second accept gets 409", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    sender.clear();
    const trade = created(
      await bob.http.post(`/api/v1/schedules/${schedule.id}/trades`, { kind: "cover", shift: shift(1, 2) }),
    );
    assert.equal(trade.offeredTo, null);
    assert.deepEqual(
      summary(await tradeNotices(trade.id, "requested")),
      ["Ada:notice", "Cy:notice"],
      "an open cover goes to the rotation, not to the one who asked",
    );
    const forCy = (await cy.http.get("/api/v1/trades?state=pending&mine=true")).json() as TradeJson[];
    assert.ok(
      forCy.some((t) => t.id === trade.id),
      "Cy could take it",
    );
    assertProblem(await outsider.http.post(`/api/v1/trades/${trade.id}/accept`), 403, "FORBIDDEN");

    const [first, second] = await Promise.all([
      cy.http.post(`/api/v1/trades/${trade.id}/accept`),
      ada.http.post(`/api/v1/trades/${trade.id}/accept`),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    assert.deepEqual(statuses, [200, 409], `${first.body} | ${second.body}`);
    const winner = first.statusCode === 200 ? "Cy" : "Ada";
    assertProblem(first.statusCode === 409 ? first : second, 409, "CONFLICT");
    assert.deepEqual(await finalOf(schedule.id, 1, 2), [`${winner} ${iso(at(1))}→${iso(at(2))}`]);
    const late = await cy.http.post(`/api/v1/trades/${trade.id}/accept`);
    assertProblem(late, 409, "CONFLICT");
  });

  it("responders trade only their own shifts and decide only what was offered to them", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    const notMine = await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "cover",
      shift: shift(1, 2),
    });
    assertProblem(notMine, 400, "VALIDATION");
    assert.deepEqual(errorPaths(notMine), ["/shift"], "Tuesday is Bob's");
    assertProblem(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
        kind: "cover",
        shift: shift(1, 2),
        requesterId: bob.id,
      }),
      403,
      "FORBIDDEN",
    );
    const theirs = await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "swap",
      shift: shift(0, 1),
      offeredTo: bob.id,
      swapWith: shift(2, 3),
    });
    assertProblem(theirs, 400, "VALIDATION");
    assert.deepEqual(errorPaths(theirs), ["/swapWith"], "Wednesday is Cy's, not Bob's");
    const noPartner = await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
      kind: "swap",
      shift: shift(0, 1),
    });
    assert.deepEqual(errorPaths(noPartner), ["/offeredTo"]);

    const trade = created(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, {
        kind: "swap",
        shift: shift(3, 4),
        offeredTo: bob.id,
      }),
    );
    assertProblem(await cy.http.post(`/api/v1/trades/${trade.id}/accept`), 403, "FORBIDDEN");
    assertProblem(await cy.http.post(`/api/v1/trades/${trade.id}/decline`), 403, "FORBIDDEN");
    assertProblem(await bob.http.post(`/api/v1/trades/${trade.id}/cancel`), 403, "FORBIDDEN");
    sender.clear();
    const declined = await bob.http.post(`/api/v1/trades/${trade.id}/decline`);
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json().state, "declined");
    assert.deepEqual(
      summary(await tradeNotices(trade.id, "declined")),
      ["Ada:notice", "Bob:notice"],
      "both hear of the refusal",
    );
    assert.deepEqual(
      await finalOf(schedule.id, 3, 4),
      [`Ada ${iso(at(3))}→${iso(at(4))}`],
      "nothing changed",
    );
  });

  it("an admin trades on someone's behalf; the requester may cancel; pending trades expire when the shift is over", async () => {
    clock.set(at(0, -1));
    const schedule = await newSchedule();
    sender.clear();
    const forBob = created(
      await admin.post(`/api/v1/schedules/${schedule.id}/trades`, {
        kind: "cover",
        shift: shift(1, 2),
        requesterId: bob.id,
        offeredTo: ada.id,
      }),
    );
    assert.equal(forBob.requesterName, "Bob");
    assert.deepEqual(
      summary(await tradeNotices(forBob.id, "requested")),
      ["Ada:notice", "Bob:notice"],
      "asked in Bob's name: Bob hears of it too",
    );
    const cancelled = await bob.http.post(`/api/v1/trades/${forBob.id}/cancel`);
    assert.equal(cancelled.json().state, "cancelled");

    const stale = created(
      await ada.http.post(`/api/v1/schedules/${schedule.id}/trades`, { kind: "cover", shift: shift(0, 1) }),
    );
    clock.set(at(1));
    const expired = (
      await ada.http.get(`/api/v1/trades?scheduleId=${schedule.id}&state=expired`)
    ).json() as TradeJson[];
    assert.deepEqual(
      expired.map((t) => t.id),
      [stale.id],
    );
    assertProblem(await cy.http.post(`/api/v1/trades/${stale.id}/accept`), 409, "CONFLICT");
  });
});
