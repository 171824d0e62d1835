import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_OUTCOME_WRITE_POLICY,
  nextOutcomeWriteInMs,
  outcomeWriteDelayMs,
} from "./outcome-write-retry.js";

describe("retrying a job's outcome write while the lease lasts", () => {
  it("waits 250 ms, doubling, up to 4 s", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 40].map((failures) => outcomeWriteDelayMs(failures)),
      [250, 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000],
    );
    assert.equal(outcomeWriteDelayMs(0), 250);
  });

  const cases: Array<[what: string, failures: number, leaseLeftMs: number, leaseMs: number, next?: number]> =
    [
      ["just after the claim", 1, 59_000, 60_000, 250],
      ["many failures in", 9, 40_000, 60_000, 4_000],
      ["near the end of a minute's lease: only up to 5 s before it ends", 9, 6_000, 60_000, 1_000],
      ["5 s before the end of a minute's lease", 1, 5_000, 60_000, undefined],
      ["after the lease ended", 1, -10, 60_000, undefined],
      ["a short lease: a quarter of it is the margin", 1, 600, 2_000, 100],
      ["a short lease, in its last quarter", 1, 500, 2_000, undefined],
      ["a lease left that is not a number", 1, Number.NaN, 60_000, undefined],
    ];
  for (const [what, failures, leaseLeftMs, leaseMs, next] of cases) {
    it(`${what}: ${next === undefined ? "stops" : `tries again in ${next} ms`}`, () => {
      assert.equal(
        nextOutcomeWriteInMs({ failures, leaseLeftMs, leaseMs }, DEFAULT_OUTCOME_WRITE_POLICY),
        next,
      );
    });
  }
});
