import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, type ErrorCode } from "../errors.js";
import type { ProperFixFollowUp } from "./fix-follow-ups.js";
import {
  describeFix,
  failFixAfterRegression,
  FIX_MOVES,
  fixesInFlight,
  markFixDeployed,
  markFixFailed,
  markFixVerified,
  oneFixRuleBlock,
  startFix,
  type Fix,
  type FixState,
  type StartFixInput,
} from "./fixes.js";
import type { IncidentAction } from "./response-action.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
// ada is the Incident Handler; bob and cy respond.
const act = (actorId: string, atMs = T0 + 10 * MIN): IncidentAction => ({ actorId, handlerId: "ada", atMs });
const refused = (code: ErrorCode, message?: RegExp | string) => (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (typeof message === "string") assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return true;
};
const fix = (over: Partial<Fix> = {}): Fix => ({
  id: "f1",
  number: 1,
  kind: "hotfix",
  description: "restart the cache",
  authorId: "bob",
  state: "in-progress",
  startedAtMs: T0,
  deployedAtMs: null,
  verifiedAtMs: null,
  failedAtMs: null,
  overriddenBy: null,
  overrideReason: null,
  ...over,
});
const input = (over: Partial<StartFixInput> = {}): StartFixInput => ({
  id: "f2",
  kind: "rollback",
  description: "roll back deploy 42",
  override: null,
  ...over,
});
const outage = { level: "outage" as const };

describe("the one-fix rule", () => {
  const inFlightCases: Array<[FixState, boolean]> = [
    ["in-progress", true],
    ["deployed", true],
    ["verified", false],
    ["failed", false],
  ];
  for (const [state, blocks] of inFlightCases) {
    it(`a ${state} fix ${blocks ? "blocks" : "does not block"} the next one`, () => {
      const start = () => startFix([fix({ state })], input(), act("cy"), outage);
      if (blocks)
        assert.throws(
          start,
          refused(
            "CONFLICT",
            "Fix #1 (hotfix: restart the cache) is still in flight: verify or fail it first",
          ),
        );
      else assert.equal(start().fix.number, 2);
    });
  }
  it("the refusal points at the override field", () =>
    assert.throws(
      () => startFix([fix()], input(), act("ada"), outage),
      (err: unknown) => err instanceof AppError && err.fields[0]?.path === "/override",
    ));
  it("oneFixRuleBlock tells the console before anyone submits", () => {
    assert.equal(oneFixRuleBlock([fix({ state: "verified" })]), null);
    assert.deepEqual(
      oneFixRuleBlock([fix({ state: "deployed" })])?.inFlight.map((f) => f.number),
      [1],
    );
  });
  it("the handler overrides with a reason, and it is on the record", () => {
    const { fix: second, timeline } = startFix(
      [fix()],
      input({ override: { reason: " the cache restart is stuck " } }),
      act("ada"),
      outage,
    );
    assert.deepEqual(
      [second.number, second.overriddenBy, second.overrideReason],
      [2, "ada", "the cache restart is stuck"],
    );
    assert.deepEqual(
      timeline.map((e) => e.kind),
      ["fix.rule-overridden", "fix.started"],
    );
    assert.equal(
      timeline[0]?.message,
      "ada overrode the one-fix rule to start fix #2 while Fix #1 (hotfix: restart the cache) is in flight. Reason: the cache restart is stuck",
    );
    assert.deepEqual(
      fixesInFlight([fix(), second]).map((f) => f.number),
      [1, 2],
    );
  });
  it("a third fix names every fix in flight", () => {
    const two = [
      fix(),
      fix({
        id: "f2",
        number: 2,
        kind: "rollback",
        description: "x",
        overriddenBy: "ada",
        overrideReason: "r",
      }),
    ];
    assert.throws(
      () => startFix(two, input({ id: "f3" }), act("ada"), outage),
      refused("CONFLICT", /Fix #1 .* \(and #2\) is still in flight/),
    );
  });
  const overrideRefusals: Array<[string, string, StartFixInput["override"], ErrorCode, RegExp]> = [
    [
      "a responder cannot override",
      "bob",
      { reason: "hurry" },
      "FORBIDDEN",
      /only the Incident Handler \(ada\) can override/,
    ],
    ["an override needs a reason", "ada", { reason: "  " }, "VALIDATION", /override\.reason must be/],
    ["a reason too long", "ada", { reason: "x".repeat(501) }, "VALIDATION", /override\.reason must be/],
  ];
  for (const [name, actor, override, code, message] of overrideRefusals) {
    it(name, () =>
      assert.throws(() => startFix([fix()], input({ override }), act(actor), outage), refused(code, message)),
    );
  }
  it("an override with nothing in flight is ignored: nothing to record", () => {
    const { fix: first, timeline } = startFix(
      [],
      input({ override: { reason: "just in case" } }),
      act("ada"),
      outage,
    );
    assert.deepEqual([first.number, first.overriddenBy, first.overrideReason], [1, null, null]);
    assert.deepEqual(
      timeline.map((e) => e.kind),
      ["fix.started"],
    );
  });
});

describe("startFix", () => {
  it("numbers fixes after the highest so far and records the author", () => {
    const {
      fix: next,
      followUp,
      timeline,
    } = startFix(
      [fix({ state: "failed" }), fix({ number: 4, state: "verified" })],
      input(),
      act("cy"),
      outage,
    );
    assert.deepEqual(
      next,
      fix({
        id: "f2",
        number: 5,
        kind: "rollback",
        description: "roll back deploy 42",
        authorId: "cy",
        startedAtMs: T0 + 10 * MIN,
      }),
    );
    assert.equal(followUp, null);
    assert.equal(timeline[0]?.message, "Fix #5 (rollback: roll back deploy 42) started by cy");
  });
  const levels = [
    ["outage", 24],
    ["data-corruption", 48],
    ["degradation", 72],
    [null, 24],
  ] as const;
  for (const [level, hours] of levels) {
    it(`a hotfix on a ${level ?? "untriaged"} incident leaves a proper-fix follow-up due in ${hours} h`, () => {
      const { followUp, timeline } = startFix([], input({ kind: "hotfix" }), act("bob"), { level });
      assert.deepEqual(followUp, {
        fixNumber: 1,
        ownerId: "bob",
        state: "open",
        createdAtMs: T0 + 10 * MIN,
        dueAtMs: T0 + 10 * MIN + hours * HOUR,
        closedAtMs: null,
        closedBy: null,
        note: "",
      });
      assert.deepEqual(
        timeline.map((e) => e.kind),
        ["fix.started", "follow-up.created"],
      );
    });
  }
  it("deadlines and the follow-up's owner are configurable", () => {
    const { followUp } = startFix([], input({ kind: "hotfix" }), act("bob"), {
      level: "outage",
      ownerId: "cy",
      hours: { outage: 8, "data-corruption": 12, degradation: 100 },
    });
    assert.deepEqual([followUp?.ownerId, followUp?.dueAtMs], ["cy", T0 + 10 * MIN + 8 * HOUR]);
  });
  const invalid: Array<[string, Partial<StartFixInput>, string]> = [
    ["an unknown kind", { kind: "patch" as StartFixInput["kind"] }, "/kind"],
    ["no description", { description: " " }, "/description"],
    ["a description too long", { description: "x".repeat(501) }, "/description"],
    ["no id", { id: "" }, "/id"],
  ];
  for (const [name, over, path] of invalid) {
    it(`refuses ${name}`, () =>
      assert.throws(
        () => startFix([], input(over), act("bob"), outage),
        (err: unknown) => err instanceof AppError && err.fields[0]?.path === path,
      ));
  }
});

describe("fix moves", () => {
  const targets: FixState[] = ["deployed", "verified", "failed"];
  const mark = (f: Fix, to: FixState, actor: string) =>
    to === "deployed"
      ? markFixDeployed(f, act(actor)).fix
      : to === "verified"
        ? markFixVerified(f, act(actor)).next
        : markFixFailed(f, act(actor)).fix;
  for (const from of ["in-progress", "deployed", "verified", "failed"] as const) {
    for (const to of targets) {
      const allowed = FIX_MOVES[from].includes(to);
      it(`${from} → ${to}: ${allowed ? "allowed" : "refused"}`, () => {
        if (!allowed)
          return void assert.throws(
            () => mark(fix({ state: from }), to, "bob"),
            refused("PRECONDITION_FAILED"),
          );
        const moved = mark(fix({ state: from }), to, "bob");
        assert.equal(moved.state, to);
        assert.equal(moved[`${to}AtMs` as "deployedAtMs"], T0 + 10 * MIN);
      });
    }
  }
  it("the allowed moves are exactly in-progress → deployed → verified | failed, and in-progress → failed", () =>
    assert.deepEqual(FIX_MOVES, {
      "in-progress": ["deployed", "failed"],
      deployed: ["verified", "failed"],
      verified: [],
      failed: [],
    }));
  for (const [actor, ok] of [
    ["bob", true],
    ["ada", true],
    ["cy", false],
  ] as const) {
    it(`${actor} ${ok ? "may" : "may not"} move bob's fix`, () => {
      if (ok) assert.equal(markFixDeployed(fix(), act(actor)).fix.state, "deployed");
      else
        assert.throws(
          () => markFixDeployed(fix(), act(actor)),
          refused("FORBIDDEN", /only bob, its author, or the Incident Handler/),
        );
    });
  }
  it("deploying starts the watch (per-service minutes) and moves to monitoring", () => {
    const { watch, phase, timeline } = markFixDeployed(fix(), act("bob"), 45);
    assert.deepEqual(watch, {
      fixNumber: 1,
      startedAtMs: T0 + 10 * MIN,
      watchMinutes: 45,
      endsAtMs: T0 + 55 * MIN,
    });
    assert.equal(phase, "monitoring");
    assert.equal(
      timeline[0]?.message,
      "Fix #1 (hotfix: restart the cache) deployed by bob; watching for 45 min",
    );
  });
  it("deploying uses 30 minutes by default", () =>
    assert.equal(markFixDeployed(fix(), act("bob")).watch.watchMinutes, 30));
});

describe("failing a fix", () => {
  const followUp: ProperFixFollowUp = {
    fixNumber: 1,
    ownerId: "bob",
    state: "open",
    createdAtMs: T0,
    dueAtMs: T0 + 24 * HOUR,
    closedAtMs: null,
    closedBy: null,
    note: "",
  };
  it("a failed hotfix takes its follow-up with it", () => {
    const result = markFixFailed(fix({ state: "deployed" }), act("ada"), followUp);
    assert.equal(result.fix.failedAtMs, T0 + 10 * MIN);
    assert.deepEqual([result.followUp?.state, result.followUp?.closedBy], ["cancelled", null]);
    assert.deepEqual(
      result.timeline.map((e) => e.kind),
      ["fix.failed", "follow-up.cancelled"],
    );
  });
  it("refuses a follow-up of another fix", () =>
    assert.throws(
      () => markFixFailed(fix(), act("bob"), { ...followUp, fixNumber: 7 }),
      refused("VALIDATION"),
    ));
  it("a regression fails a deployed fix; a fix no longer deployed stays as it is", () => {
    const regressed = failFixAfterRegression(fix({ state: "deployed" }), T0 + 20 * MIN, followUp);
    assert.deepEqual(
      [regressed.fix.state, regressed.fix.failedAtMs, regressed.followUp?.state],
      ["failed", T0 + 20 * MIN, "cancelled"],
    );
    assert.match(
      regressed.timeline[0]?.message ?? "",
      /Fix #1 .* failed: its alerts fired again during the watch/,
    );
    const verified = fix({ state: "verified" });
    assert.deepEqual(failFixAfterRegression(verified, T0, null), {
      fix: verified,
      followUp: null,
      timeline: [],
    });
  });
});

describe("describeFix", () => {
  it("cuts long descriptions", () => {
    assert.equal(describeFix(fix()), "Fix #1 (hotfix: restart the cache)");
    assert.equal(describeFix(fix({ description: "y".repeat(80) })), `Fix #1 (hotfix: ${"y".repeat(59)}…)`);
  });
});
