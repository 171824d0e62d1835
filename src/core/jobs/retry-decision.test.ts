import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  countsAsAttempt,
  HELD_BACK_ALLOWANCE_MS,
  wasNotAttempted,
  wasRecordPending,
  willRetry,
} from "./retry-decision.js";

const NOW = new Date("2026-03-29T01:30:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const heldBack = Object.assign(new Error("not tried"), { notAttempted: true });
const timedOut = new Error("timed out");
/** Sent (or failed for good); only writing that is left. */
const recordPending = Object.assign(new Error("sent, but recording it failed"), {
  notAttempted: true,
  recordPending: true,
});

describe("held-back sends and attempts", () => {
  const cases: Array<[name: string, error: unknown, enqueuedAt: Date | undefined, counts: boolean]> = [
    ["a send that was tried", timedOut, ago(1_000), true],
    ["a held-back send, enqueued a minute ago", heldBack, ago(60_000), false],
    ["a held-back send, just inside the allowance", heldBack, ago(HELD_BACK_ALLOWANCE_MS - 1), false],
    ["a held-back send, at the end of the allowance", heldBack, ago(HELD_BACK_ALLOWANCE_MS), true],
    ["a held-back send whose job age is unknown", heldBack, undefined, true],
    ["an outcome whose record is pending", recordPending, ago(60_000), false],
    [
      "an outcome whose record is pending, past the allowance",
      recordPending,
      ago(2 * HELD_BACK_ALLOWANCE_MS),
      false,
    ],
    ["an outcome whose record is pending, job age unknown", recordPending, undefined, false],
    [
      "notAttempted that is not literally true",
      Object.assign(new Error(), { notAttempted: "yes" }),
      ago(0),
      true,
    ],
    ["a thrown string", "boom", ago(0), true],
  ];
  for (const [name, error, enqueuedAt, counts] of cases) {
    it(`${name}: ${counts ? "counts" : "does not count"} as an attempt`, () => {
      assert.equal(countsAsAttempt(error, enqueuedAt, NOW), counts);
    });
  }

  it("a held-back send is retried even on the last attempt, within the allowance", () => {
    const last = { attempt: 12, maxAttempts: 12, enqueuedAt: ago(30 * 60_000) };
    assert.equal(willRetry(heldBack, last, NOW), true);
    assert.equal(willRetry(timedOut, last, NOW), false);
    assert.equal(willRetry(heldBack, { ...last, enqueuedAt: ago(HELD_BACK_ALLOWANCE_MS) }, NOW), false);
    assert.equal(willRetry(timedOut, { ...last, attempt: 11 }, NOW), true);
  });

  it("an outcome whose record is pending is retried even on the last attempt, past the allowance", () => {
    const last = { attempt: 12, maxAttempts: 12, enqueuedAt: ago(2 * HELD_BACK_ALLOWANCE_MS) };
    assert.equal(willRetry(recordPending, last, NOW), true);
    assert.equal(willRetry(heldBack, last, NOW), false);
  });

  it("reads the marker from any object", () => {
    assert.equal(wasNotAttempted(heldBack), true);
    assert.equal(wasNotAttempted(null), false);
    assert.equal(wasNotAttempted(undefined), false);
    assert.equal(wasRecordPending(recordPending), true);
    assert.equal(wasRecordPending(heldBack), false);
    assert.equal(wasRecordPending(Object.assign(new Error(), { recordPending: "yes" })), false);
  });
});
