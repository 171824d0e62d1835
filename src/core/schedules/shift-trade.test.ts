import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ShiftTrade } from "./records.js";
import type { Shift } from "./schedule.js";
import { effectiveTradeState, holdsWholeRange, overridesForAcceptance } from "./shift-trade.js";

const T0 = Date.parse("2026-11-23T09:00:00.000Z");
const HOUR = 3_600_000;
const shift = (userId: string, fromHours: number, toHours: number): Shift => ({
  userId,
  startMs: T0 + fromHours * HOUR,
  endMs: T0 + toHours * HOUR,
  layerId: "l1",
  overrideId: null,
});
const range = (fromHours: number, toHours: number) => ({
  startMs: T0 + fromHours * HOUR,
  endMs: T0 + toHours * HOUR,
});

const trade = (over: Partial<ShiftTrade> = {}): ShiftTrade => ({
  id: "t1",
  scheduleId: "s1",
  kind: "swap",
  state: "pending",
  requesterId: "ada",
  shift: range(0, 8),
  swapWith: null,
  offeredTo: "bob",
  acceptedBy: null,
  note: "",
  overrideIds: [],
  createdAtMs: T0 - 24 * HOUR,
  decidedAtMs: null,
  ...over,
});

describe("holdsWholeRange", () => {
  const final = [shift("ada", 0, 4), shift("ada", 4, 8), shift("bob", 8, 16), shift("ada", 20, 24)];
  const cases: Array<[string, string, [number, number], boolean]> = [
    ["a whole shift", "ada", [0, 8], true],
    ["part of a shift", "ada", [2, 6], true],
    ["touching pieces of the same person", "ada", [3, 5], true],
    ["someone else's shift", "ada", [8, 16], false],
    ["a range that runs into another person's shift", "ada", [6, 10], false],
    ["a range across a gap", "ada", [16, 22], false],
    ["a range starting in a gap", "ada", [18, 22], false],
    ["an empty range", "ada", [4, 4], false],
    ["beyond the last shift", "ada", [22, 26], false],
  ];
  for (const [name, userId, [from, to], expected] of cases) {
    it(`${name}: ${expected}`, () => assert.equal(holdsWholeRange(final, userId, range(from, to)), expected));
  }
});

describe("effectiveTradeState", () => {
  it("a pending trade expires when its shift is over, and only then", () => {
    assert.equal(effectiveTradeState(trade(), T0 + 8 * HOUR - 1), "pending");
    assert.equal(effectiveTradeState(trade(), T0 + 8 * HOUR), "expired");
  });
  it("a decided trade keeps its state", () => {
    assert.equal(effectiveTradeState(trade({ state: "accepted" }), T0 + 100 * HOUR), "accepted");
  });
});

describe("overridesForAcceptance", () => {
  it("a swap without a shift in return: the acceptor covers the requester", () => {
    assert.deepEqual(overridesForAcceptance(trade(), "bob", T0 - HOUR), [
      { userId: "bob", startMs: T0, endMs: T0 + 8 * HOUR, replacesUserId: "ada", source: "swap" },
    ]);
  });
  it("a swap with a shift in return: each covers the other", () => {
    const swapped = trade({ swapWith: range(24, 32) });
    assert.deepEqual(overridesForAcceptance(swapped, "bob", T0 - HOUR), [
      { userId: "bob", startMs: T0, endMs: T0 + 8 * HOUR, replacesUserId: "ada", source: "swap" },
      {
        userId: "ada",
        startMs: T0 + 24 * HOUR,
        endMs: T0 + 32 * HOUR,
        replacesUserId: "bob",
        source: "swap",
      },
    ]);
  });
  it("accepted mid-shift: the override starts now, the past stays", () => {
    const cover = trade({ kind: "cover", offeredTo: null });
    assert.deepEqual(overridesForAcceptance(cover, "cy", T0 + 3 * HOUR), [
      { userId: "cy", startMs: T0 + 3 * HOUR, endMs: T0 + 8 * HOUR, replacesUserId: "ada", source: "cover" },
    ]);
  });
});
