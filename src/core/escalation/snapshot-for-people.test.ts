import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { snapshotForPeople } from "./policy.js";

describe("the escalation of a page by hand to chosen people", () => {
  const at = new Date("2021-01-01T00:00:00.000Z");
  const snapshot = snapshotForPeople(
    [
      { id: "u-ada", name: "Ada" },
      { id: "u-bob", name: "Bob" },
    ],
    7,
    at,
  );

  it("is one step paging them all, with the given timeout and no repeat", () => {
    assert.deepEqual(snapshot.steps, [
      {
        delayMinutes: 7,
        targets: [
          { kind: "user", userId: "u-ada" },
          { kind: "user", userId: "u-bob" },
        ],
      },
    ]);
    assert.equal(snapshot.repeatCount, 0);
  });

  it("names no stored policy, and says who was chosen", () => {
    assert.equal(snapshot.policyId, "");
    assert.equal(snapshot.policyName, "Chosen by hand: Ada, Bob");
    assert.equal(snapshot.policyUpdatedAt, "2021-01-01T00:00:00.000Z");
  });
});
