import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IncidentState } from "../../core/incidents/incident.js";
import type { ResponsePhase } from "../../core/response/response-phase.js";
import { effectivePhase } from "./response-views.js";

describe("effectivePhase: the incident's own state wins", () => {
  const cases: Array<[IncidentState, ResponsePhase, ResponsePhase]> = [
    ["acknowledged", "monitoring", "monitoring"],
    ["triggered", "identified", "identified"],
    ["resolved", "monitoring", "resolved"],
    ["resolved", "investigating", "resolved"],
    ["triggered", "resolved", "investigating"],
  ];
  for (const [state, stored, expected] of cases)
    it(`${state} incident, stored ${stored} → ${expected}`, () =>
      assert.equal(effectivePhase({ state }, stored), expected));
});
