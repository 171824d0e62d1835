import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planPersonNotifications } from "./plan-person-notifications.js";

const PAGED = new Date("2021-01-01T03:00:00.000Z");
const plus = (m: number) => new Date(PAGED.getTime() + m * 60_000);

describe("planning how to reach a paged person", () => {
  it("follows the rules in time order", () => {
    const plan = planPersonNotifications(
      [
        { contactMethodId: "sms", delayMinutes: 5 },
        { contactMethodId: "push", delayMinutes: 0 },
        { contactMethodId: "call", delayMinutes: 10 },
      ],
      ["push", "sms", "call"],
      PAGED,
    );
    assert.deepEqual(plan, [
      { contactMethodId: "push", at: plus(0) },
      { contactMethodId: "sms", at: plus(5) },
      { contactMethodId: "call", at: plus(10) },
    ]);
  });
  it("uses every contact method at once when there are no rules", () => {
    assert.deepEqual(
      planPersonNotifications([], ["email", "push"], PAGED).map((p) => p.contactMethodId),
      ["email", "push"],
    );
  });
  it("skips rules whose contact method is gone, and duplicates", () => {
    assert.deepEqual(
      planPersonNotifications(
        [
          { contactMethodId: "gone", delayMinutes: 0 },
          { contactMethodId: "email", delayMinutes: 1 },
          { contactMethodId: "email", delayMinutes: 1 },
        ],
        ["email"],
        PAGED,
      ),
      [{ contactMethodId: "email", at: plus(1) }],
    );
  });
});
