import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verifySlackSignature, type SlackSignatureInput } from "./verify-signature.js";

// Fixed vector: createHmac("sha256", SECRET).update(`v0:${TIMESTAMP}:${BODY}`).digest("hex"), computed once.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = "1531420618";
const BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Foncall&text=who";
const SIGNATURE = "v0=d0a526bad560e0e07188c6f491fc8d5a93d26e549d0f29783ec9a4b5e767ecbf";
const NOW = Number(TIMESTAMP);

const valid: SlackSignatureInput = {
  signingSecret: SECRET,
  timestampHeader: TIMESTAMP,
  signatureHeader: SIGNATURE,
  rawBody: BODY,
  nowSeconds: NOW,
};

describe("verifySlackSignature", () => {
  const cases: Array<[name: string, change: Partial<SlackSignatureInput>, expected: boolean]> = [
    ["the fixed vector", {}, true],
    ["the fixed vector as bytes", { rawBody: Buffer.from(BODY) }, true],
    ["the fixed vector 300 s later", { nowSeconds: NOW + 300 }, true],
    ["the fixed vector 300 s earlier", { nowSeconds: NOW - 300 }, true],
    ["a stale timestamp (301 s old)", { nowSeconds: NOW + 301 }, false],
    ["a future timestamp (301 s ahead)", { nowSeconds: NOW - 301 }, false],
    ["a wrong signature", { signatureHeader: `v0=${"0".repeat(64)}` }, false],
    ["a wrong secret", { signingSecret: "another-secret" }, false],
    ["a tampered body", { rawBody: BODY.replace("who", "all") }, false],
    ["a body re-encoded after parsing", { rawBody: decodeURIComponent(BODY) }, false],
    ["a signature without v0=", { signatureHeader: SIGNATURE.slice(3) }, false],
    ["a v1 signature", { signatureHeader: SIGNATURE.replace("v0=", "v1=") }, false],
    ["a short signature", { signatureHeader: SIGNATURE.slice(0, -2) }, false],
    ["a long signature", { signatureHeader: `${SIGNATURE}00` }, false],
    ["a non-hex signature", { signatureHeader: `v0=${"g".repeat(64)}` }, false],
    ["an empty signature", { signatureHeader: "" }, false],
    ["a missing signature", { signatureHeader: undefined }, false],
    ["a missing timestamp", { timestampHeader: null }, false],
    ["a non-numeric timestamp", { timestampHeader: "15314206l8" }, false],
    ["a negative timestamp", { timestampHeader: "-1531420618" }, false],
    ["an empty secret", { signingSecret: "" }, false],
    ["a NaN clock", { nowSeconds: Number.NaN }, false],
  ];
  for (const [name, change, expected] of cases) {
    it(`${expected ? "accepts" : "rejects"} ${name}`, () => {
      assert.equal(verifySlackSignature({ ...valid, ...change }), expected);
    });
  }
});
