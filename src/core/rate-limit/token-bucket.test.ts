import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { takeTokens } from "./token-bucket.js";

const T0 = Date.parse("2021-01-01T00:00:00Z");

describe("token bucket", () => {
  it("allows a minute's worth at once, then refuses, then refills over time", () => {
    let r = takeTokens(undefined, 120, 120, T0);
    assert.equal(r.allowed, true);
    r = takeTokens(r.bucket, 120, 1, T0);
    assert.deepEqual(r.allowed ? "allowed" : r.retryAfterSeconds, 1);
    r = takeTokens(r.bucket, 120, 1, T0 + 500);
    assert.equal(r.allowed, true, "two tokens a second at 120 per minute");
    r = takeTokens(r.bucket, 120, 60, T0 + 500);
    assert.equal(r.allowed ? 0 : r.retryAfterSeconds, 30);
  });
  it("never holds more than its capacity", () => {
    const r = takeTokens({ tokens: 10, updatedAtMs: T0 }, 60, 61, T0 + 3_600_000);
    assert.equal(r.allowed, true, "an oversized batch passes when the bucket is full");
    assert.equal(r.bucket.tokens, 0);
  });
});
