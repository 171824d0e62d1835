import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { alertmanagerFingerprint } from "./fingerprint.js";
import { fnv1a64Hex } from "./fnv1a64.js";

/** The textbook definition, written independently: FNV-1a 64 over one byte string, BigInt all the way. */
function referenceFingerprint(labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .map((name) => Buffer.from(name, "utf8"))
    .sort(Buffer.compare);
  const bytes: number[] = [];
  for (const name of names) {
    bytes.push(...name, 0xff, ...Buffer.from(labels[name.toString("utf8")] as string, "utf8"), 0xff);
  }
  let hash = 14695981039346656037n;
  for (const byte of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 1099511628211n);
  return hash.toString(16).padStart(16, "0");
}

const decimalToHex = (decimal: string): string => BigInt(decimal).toString(16).padStart(16, "0");

describe("alertmanagerFingerprint", () => {
  // Vectors from prometheus/common model/signature_test.go (decimal there, %016x here).
  const upstream: Array<[labels: Record<string, string>, decimal: string]> = [
    [{}, "14695981039346656037"],
    [{ name: "garland, briggs", fear: "love is not enough" }, "5799056148416392346"],
    [{ "first-label": "first-label-value" }, "5146282821936882169"],
    [{ "first-label": "first-label-value", "second-label": "second-label-value" }, "3195800080984914717"],
    [
      {
        "first-label": "first-label-value",
        "second-label": "second-label-value",
        "third-label": "third-label-value",
      },
      "13843036195897128121",
    ],
  ];
  for (const [labels, decimal] of upstream) {
    it(`matches prometheus/common for ${JSON.stringify(labels)}`, () => {
      assert.equal(alertmanagerFingerprint(labels), decimalToHex(decimal));
    });
  }

  it("gives the FNV-64 offset basis for the empty label set", () => {
    assert.equal(alertmanagerFingerprint({}), "cbf29ce484222325");
  });

  it("does not depend on the order the labels were written in", () => {
    const a = alertmanagerFingerprint({ alertname: "DiskFull", instance: "db-7:9100", severity: "critical" });
    const b = alertmanagerFingerprint({ severity: "critical", instance: "db-7:9100", alertname: "DiskFull" });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{16}$/);
  });

  it("separates name from value, so moving a character across the boundary changes it", () => {
    assert.notEqual(alertmanagerFingerprint({ ab: "c" }), alertmanagerFingerprint({ a: "bc" }));
  });

  it("sorts names by UTF-8 bytes as Go does, not by UTF-16 code units", () => {
    // U+FFFD sorts after U+1F600 in UTF-16 (0xFFFD > 0xD83D) but before it in UTF-8 (EF… < F0…).
    const labels = { "\u{1F600}": "smile", "\uFFFD": "replacement", a: "1" };
    assert.equal(alertmanagerFingerprint(labels), referenceFingerprint(labels));
  });

  it("hashes non-ASCII text as UTF-8", () => {
    const labels = { alertname: "Größe", région: "île-de-france" };
    assert.equal(alertmanagerFingerprint(labels), referenceFingerprint(labels));
  });

  it("agrees with the straightforward definition for any label set", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })), (labels) => {
        assert.equal(alertmanagerFingerprint(labels), referenceFingerprint(labels));
      }),
      { numRuns: 300 },
    );
  });
});

describe("fnv1a64Hex", () => {
  // Published FNV-1a 64 test vectors (isthe.com/chongo/tech/comp/fnv).
  const vectors: Array<[text: string, hex: string]> = [
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
  ];
  for (const [text, hex] of vectors) {
    it(`hashes ${JSON.stringify(text)} to ${hex}`, () => assert.equal(fnv1a64Hex(text), hex));
  }

  it("agrees with BigInt FNV-1a over the UTF-8 bytes for any text, ASCII or not, lone surrogates too", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-ascii" }), (text, ascii) => {
        for (const candidate of [text, ascii + text, text + ascii]) {
          let hash = 14695981039346656037n;
          for (const byte of Buffer.from(candidate, "utf8"))
            hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 1099511628211n);
          assert.equal(fnv1a64Hex(candidate), hash.toString(16).padStart(16, "0"));
        }
      }),
      { numRuns: 500 },
    );
  });
});
