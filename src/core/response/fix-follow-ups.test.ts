import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, type ErrorCode } from "../errors.js";
import {
  checkFollowUpHours,
  closeFollowUp,
  DEFAULT_FOLLOW_UP_HOURS,
  followUpDueAtMs,
  followUpForHotfix,
  isFollowUpOverdue,
  nextFollowUpReminder,
  type FollowUpReminderKind,
  type ProperFixFollowUp,
} from "./fix-follow-ups.js";
import type { IncidentAction } from "./response-action.js";
import type { ImpactLevel } from "./triage.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const act = (actorId: string, atMs = T0 + HOUR): IncidentAction => ({ actorId, handlerId: "ada", atMs });
const refused = (code: ErrorCode, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};
const followUp = (over: Partial<ProperFixFollowUp> = {}): ProperFixFollowUp => ({
  fixNumber: 2,
  ownerId: "bob",
  state: "open",
  createdAtMs: T0,
  dueAtMs: T0 + 24 * HOUR,
  closedAtMs: null,
  closedBy: null,
  note: "",
  ...over,
});

describe("followUpDueAtMs", () => {
  const custom = { outage: 4, "data-corruption": 6, degradation: 2 };
  const cases: Array<[ImpactLevel | null, typeof custom | undefined, number]> = [
    ["outage", undefined, 24],
    ["data-corruption", undefined, 48],
    ["degradation", undefined, 72],
    [null, undefined, 24],
    ["outage", custom, 4],
    ["data-corruption", custom, 6],
    ["degradation", custom, 2],
    [null, custom, 2],
  ];
  for (const [level, hours, expected] of cases) {
    it(`${level ?? "untriaged"} with ${hours ? "custom" : "default"} hours: ${expected} h`, () =>
      assert.equal(followUpDueAtMs(level, T0, hours), T0 + expected * HOUR));
  }
  it("the defaults are 24/48/72 h", () =>
    assert.deepEqual(DEFAULT_FOLLOW_UP_HOURS, { outage: 24, "data-corruption": 48, degradation: 72 }));
  it("refuses hours out of range, naming each level", () => {
    assert.deepEqual(
      checkFollowUpHours({ outage: 0, "data-corruption": 1.5, degradation: 721 }).map((e) => e.path),
      ["/followUpHours/degradation", "/followUpHours/data-corruption", "/followUpHours/outage"],
    );
    assert.deepEqual(checkFollowUpHours({ outage: 1, "data-corruption": 720, degradation: 72 }), []);
    assert.throws(
      () => followUpDueAtMs("outage", T0, { outage: 0, "data-corruption": 1, degradation: 1 }),
      refused("VALIDATION"),
    );
  });
});

describe("followUpForHotfix", () => {
  it("refuses anything but a hotfix", () =>
    assert.throws(
      () =>
        followUpForHotfix(
          { number: 1, kind: "rollback", description: "x", startedAtMs: T0 },
          { ownerId: "bob", level: "outage" },
        ),
      refused("VALIDATION", /not a hotfix/),
    ));
  it("says when it is due and who owns it", () => {
    const { timeline } = followUpForHotfix(
      { number: 3, kind: "hotfix", description: "x", startedAtMs: T0 },
      { ownerId: "bob", level: "data-corruption", nameOf: () => "Bob" },
    );
    assert.equal(timeline.message, "Proper fix for hotfix #3 due within 48 h, owned by Bob");
  });
});

describe("nextFollowUpReminder", () => {
  // 24 h allowed: 12 h (50%), 21 h 36 min (90%), 24 h (due), then every day after.
  const cases: Array<[string, number, number, FollowUpReminderKind, number]> = [
    ["just created", T0, T0 + 12 * HOUR, "halfway", 0],
    ["just before halfway", T0 + 12 * HOUR - 1, T0 + 12 * HOUR, "halfway", 0],
    [
      "at halfway (the job that sent it asks again)",
      T0 + 12 * HOUR,
      T0 + 21 * HOUR + 36 * MIN,
      "nearly-due",
      0,
    ],
    ["at 90%", T0 + 21 * HOUR + 36 * MIN, T0 + 24 * HOUR, "due", 0],
    ["just before the deadline", T0 + 24 * HOUR - 1, T0 + 24 * HOUR, "due", 0],
    ["at the deadline", T0 + 24 * HOUR, T0 + 48 * HOUR, "overdue", 1],
    ["an hour late", T0 + 25 * HOUR, T0 + 48 * HOUR, "overdue", 1],
    ["a day late", T0 + 48 * HOUR, T0 + 72 * HOUR, "overdue", 2],
    ["a week late", T0 + 8 * DAY + 5, T0 + 9 * DAY, "overdue", 8],
  ];
  for (const [name, nowMs, atMs, kind, daysOverdue] of cases) {
    it(`${name}: ${kind} at +${(atMs - T0) / HOUR} h`, () =>
      assert.deepEqual(nextFollowUpReminder(followUp(), nowMs), { atMs, kind, daysOverdue }));
  }
  it("scales with the deadline: 72 h gives 36 h and 64 h 48 min", () => {
    const slow = followUp({ dueAtMs: T0 + 72 * HOUR });
    assert.equal(nextFollowUpReminder(slow, T0)?.atMs, T0 + 36 * HOUR);
    assert.equal(nextFollowUpReminder(slow, T0 + 36 * HOUR)?.atMs, T0 + 64 * HOUR + 48 * MIN);
  });
  it("stops once the follow-up is closed", () => {
    assert.equal(nextFollowUpReminder(followUp({ state: "done" }), T0), null);
    assert.equal(nextFollowUpReminder(followUp({ state: "cancelled" }), T0 + 30 * DAY), null);
  });
  it("overdue from the deadline on, while open", () => {
    assert.equal(isFollowUpOverdue(followUp(), T0 + 24 * HOUR - 1), false);
    assert.equal(isFollowUpOverdue(followUp(), T0 + 24 * HOUR), true);
    assert.equal(isFollowUpOverdue(followUp({ state: "done" }), T0 + 48 * HOUR), false);
  });
});

describe("closeFollowUp", () => {
  const cases: Array<[string, string, "done" | "cancelled", ErrorCode | null]> = [
    ["its owner marks it done", "bob", "done", null],
    ["the handler cancels it", "ada", "cancelled", null],
    ["someone else", "cy", "done", "FORBIDDEN"],
  ];
  for (const [name, actor, outcome, code] of cases) {
    it(name, () => {
      const close = () => closeFollowUp(followUp(), outcome, act(actor), "merged PR 7");
      if (code) return void assert.throws(close, refused(code));
      const { next, timeline } = close();
      assert.deepEqual(
        [next.state, next.closedBy, next.closedAtMs, next.note],
        [outcome, actor, T0 + HOUR, "merged PR 7"],
      );
      assert.equal(timeline[0]?.kind, `follow-up.${outcome}`);
    });
  }
  it("a late close says so", () => {
    const { timeline } = closeFollowUp(followUp(), "done", act("bob", T0 + 30 * HOUR));
    assert.equal(timeline[0]?.message, "Proper fix for hotfix #2 done (after its deadline)");
    assert.equal(timeline[0]?.data.late, true);
  });
  it("closing twice is refused", () =>
    assert.throws(
      () => closeFollowUp(followUp({ state: "done" }), "done", act("bob")),
      refused("PRECONDITION_FAILED", /done already/),
    ));
  it("refuses an unknown outcome", () =>
    assert.throws(() => closeFollowUp(followUp(), "open" as "done", act("bob")), refused("VALIDATION")));
});
