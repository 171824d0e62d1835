import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { retryDelayByAgeMs, retryDelayMs } from "./retry-backoff.js";

const POLICY = { baseMs: 1_000, capMs: 30_000 };

describe("retry backoff", () => {
  const cases: Array<[attempt: number, random01: number, expectedMs: number]> = [
    [1, 0, 500],
    [1, 0.999, 1_000],
    [2, 0, 1_000],
    [3, 0, 2_000],
    [3, 0.5, 3_000],
    [5, 0, 8_000],
    [6, 0, 15_000],
    [6, 0.999, 29_985],
    [20, 0, 15_000],
    [1_000, 0.5, 22_500],
    [0, 0, 500],
  ];
  for (const [attempt, random01, expectedMs] of cases) {
    it(`attempt ${attempt} with jitter ${random01} waits ${expectedMs} ms`, () => {
      assert.equal(retryDelayMs(attempt, random01, POLICY), expectedMs);
    });
  }

  it("never waits less than half the capped exponential, nor more than all of it", () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(POLICY.capMs, POLICY.baseMs * 2 ** (attempt - 1));
      for (const r of [0, 0.25, 0.5, 0.75, 0.9999]) {
        const d = retryDelayMs(attempt, r, POLICY);
        assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${attempt}, r ${r}: ${d}`);
      }
    }
  });

  describe("by the job's age, for an attempt given back", () => {
    const byAge: Array<[ageMs: number, random01: number, expectedMs: number]> = [
      [0, 0, 500],
      [1_000, 0.999, 1_000],
      [1_999, 0, 500],
      [2_000, 0, 1_000],
      [10_000, 0, 4_000],
      [60_000, 0.5, 15_000 * 1.5],
      [3_600_000, 0, 15_000],
      [-5_000, 0, 500],
    ];
    for (const [ageMs, random01, expectedMs] of byAge) {
      it(`a job ${ageMs} ms old with jitter ${random01} waits ${expectedMs} ms`, () => {
        assert.equal(retryDelayByAgeMs(ageMs, random01, POLICY), expectedMs);
      });
    }

    it("waits between a quarter and all of the job's age once past the first delay, until the cap", () => {
      for (const ageMs of [2_000, 3_000, 5_000, 9_000, 15_000]) {
        for (const r of [0, 0.5, 0.9999]) {
          const d = retryDelayByAgeMs(ageMs, r, POLICY);
          assert.ok(d >= ageMs / 4 && d <= ageMs, `age ${ageMs}, r ${r}: ${d}`);
        }
      }
    });
  });
});
