import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AlertLevel } from "./alert-event.js";
import { levelForSeverity } from "./map-severity-to-level.js";

describe("levelForSeverity", () => {
  const cases: Array<[severity: string, level: AlertLevel]> = [
    ["critical", "page"],
    ["CRITICAL", "page"],
    [" Error ", "page"],
    ["page", "page"],
    ["p1", "page"],
    ["P2", "page"],
    ["sev1", "page"],
    ["SEV2", "page"],
    ["high", "page"],
    ["warning", "notify"],
    ["Warn", "notify"],
    ["notify", "notify"],
    ["p3", "notify"],
    ["medium", "notify"],
    ["info", "ticket"],
    ["informational", "ticket"],
    ["ticket", "ticket"],
    ["low", "ticket"],
    ["p4", "ticket"],
    ["P5", "ticket"],
  ];
  for (const [severity, level] of cases) {
    it(`maps ${JSON.stringify(severity)} to ${level}`, () => {
      assert.equal(levelForSeverity(severity, "notify"), level);
      assert.equal(levelForSeverity(severity, "ticket"), level);
    });
  }

  for (const severity of [null, "", "unknown", "p0", "constructor", "__proto__", "toString"]) {
    it(`falls back for ${JSON.stringify(severity)}`, () => {
      assert.equal(levelForSeverity(severity, "notify"), "notify");
      assert.equal(levelForSeverity(severity, "page"), "page");
    });
  }
});
