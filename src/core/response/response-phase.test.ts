import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import type { IncidentAction } from "./response-action.js";
import {
  canMovePhase,
  movePhase,
  phaseAfterFixFailed,
  RESPONSE_PHASES,
  type ResponsePhase,
} from "./response-phase.js";

const T0 = Date.UTC(2026, 10, 21, 3, 0);
const act = (actorId: string): IncidentAction => ({ actorId, handlerId: "ada", atMs: T0 });

describe("phase moves", () => {
  const allowed = new Set([
    "investigating→identified",
    "investigating→monitoring",
    "investigating→resolved",
    "identified→investigating",
    "identified→monitoring",
    "identified→resolved",
    "monitoring→investigating",
    "monitoring→identified",
    "monitoring→resolved",
    "resolved→investigating",
  ]);
  for (const from of RESPONSE_PHASES) {
    for (const to of RESPONSE_PHASES) {
      if (from === to) continue;
      const ok = allowed.has(`${from}→${to}`);
      it(`${from} → ${to}: ${ok ? "allowed" : "refused"}`, () => {
        assert.equal(canMovePhase(from, to), ok);
        if (ok) {
          const { next, timeline } = movePhase(from, to, act("ada"));
          assert.equal(next, to);
          assert.deepEqual(timeline[0]?.data, { from, to });
        } else
          assert.throws(
            () => movePhase(from, to, act("ada")),
            (err: unknown) => err instanceof AppError && err.code === "PRECONDITION_FAILED",
          );
      });
    }
  }
  it("only the handler moves the phase by hand", () =>
    assert.throws(
      () => movePhase("investigating", "identified", act("bob")),
      (err: unknown) => err instanceof AppError && err.code === "FORBIDDEN",
    ));
  it("moving to the current phase changes nothing", () =>
    assert.deepEqual(movePhase("monitoring", "monitoring", act("ada")), {
      next: "monitoring",
      timeline: [],
    }));
  it("refuses an unknown phase", () =>
    assert.throws(
      () => movePhase("investigating", "fixed" as ResponsePhase, act("ada")),
      (err: unknown) => err instanceof AppError && err.code === "VALIDATION",
    ));
});

describe("phaseAfterFixFailed", () => {
  const cases: Array<[ResponsePhase, ResponsePhase]> = [
    ["monitoring", "identified"],
    ["investigating", "investigating"],
    ["identified", "identified"],
    ["resolved", "resolved"],
  ];
  for (const [before, after] of cases)
    it(`${before} → ${after}`, () => assert.equal(phaseAfterFixFailed(before), after));
});
