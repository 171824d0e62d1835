import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bodyTooLargeDetail, encodingsOf, limitSize, roughSize } from "./request-body.js";

describe("request bodies: limits and encodings in words", () => {
  it("says a limit as it is set: MiB, KiB, else exact bytes", () => {
    assert.equal(limitSize(5 * 1024 * 1024), "5 MiB");
    assert.equal(limitSize(512 * 1024), "512 KiB");
    assert.equal(limitSize(1_500_000), "1500000 bytes");
  });

  it("says a body's size to a tenth", () => {
    assert.equal(roughSize(6_100_000), "5.8 MiB");
    assert.equal(roughSize(2048), "2 KiB");
    assert.equal(roughSize(900), "900 bytes");
  });

  it("names the limit, its setting when there is one, and the declared size when larger", () => {
    assert.equal(
      bodyTooLargeDetail({ bytes: 1024 * 1024, setting: "FIREBREAK_BODY_LIMIT_BYTES" }),
      "the body is larger than this endpoint takes (1 MiB; FIREBREAK_BODY_LIMIT_BYTES)",
    );
    assert.equal(
      bodyTooLargeDetail({ bytes: 5 * 1024 * 1024 }, 6_100_000),
      "the body is larger than this endpoint takes (5 MiB); it is 5.8 MiB",
    );
    // A Content-Length at or under the limit (a chunked body counted as it came) says no size.
    assert.equal(
      bodyTooLargeDetail({ bytes: 64 * 1024 }, 10),
      "the body is larger than this endpoint takes (64 KiB)",
    );
  });

  it("names the codings other than identity, as sent, on one line", () => {
    assert.equal(encodingsOf(undefined), undefined);
    assert.equal(encodingsOf(""), undefined);
    assert.equal(encodingsOf("identity"), undefined);
    assert.equal(encodingsOf(" Identity , "), undefined);
    assert.equal(encodingsOf("gzip"), "gzip");
    assert.equal(encodingsOf("identity, x-gzip, br"), "x-gzip, br");
    assert.equal(encodingsOf("a".repeat(100)), `${"a".repeat(60)}…`);
  });
});
