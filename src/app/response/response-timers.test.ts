import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProperFixFollowUp } from "../../core/response/fix-follow-ups.js";
import { reminderDueAt } from "./response-timers.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2021-01-01T00:00:00Z");
const followUp: ProperFixFollowUp = {
  fixNumber: 1,
  ownerId: "u-1",
  state: "open",
  createdAtMs: T0,
  dueAtMs: T0 + 24 * HOUR,
  closedAtMs: null,
  closedBy: null,
  note: "",
};

describe("reminderDueAt: the reminder a run at an instant sends (the latest due)", () => {
  const cases: Array<[string, number, string | null]> = [
    ["before half time", 12 * HOUR - 1, null],
    ["at half time", 12 * HOUR, "halfway"],
    ["late, between half time and 90%", 20 * HOUR, "halfway"],
    ["at 90%", Math.round(24 * HOUR * 0.9), "nearly-due"],
    ["at the deadline", 24 * HOUR, "due"],
    ["a day late", 48 * HOUR, "overdue:1"],
    ["three and a half days late (the missed ones are skipped)", 24 * HOUR + 3.5 * 24 * HOUR, "overdue:3"],
  ];
  for (const [name, offset, expected] of cases)
    it(name, () => {
      const due = reminderDueAt(followUp, T0 + offset);
      assert.equal(
        due === null ? null : due.kind === "overdue" ? `overdue:${due.daysOverdue}` : due.kind,
        expected,
      );
    });
});
