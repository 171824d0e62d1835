import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isoTimestamp, isUnsetTime, parseOptionalTimestamp, parseTimestamp } from "./parse-timestamp.js";

describe("parseTimestamp", () => {
  const valid: Array<[input: string, iso: string]> = [
    ["2025-03-02T09:14:05.318Z", "2025-03-02T09:14:05.318Z"],
    ["2025-03-02T09:14:05Z", "2025-03-02T09:14:05.000Z"],
    ["2025-03-02T09:14:05.318123456Z", "2025-03-02T09:14:05.318Z"], // Go's nanoseconds, cut to ms
    ["2025-03-02T09:14:05.9Z", "2025-03-02T09:14:05.900Z"],
    ["2025-03-02T11:14:05+02:00", "2025-03-02T09:14:05.000Z"],
    ["2025-03-02T04:44:05.5-04:30", "2025-03-02T09:14:05.500Z"],
    ["2015-07-17T08:42:58.315+0000", "2015-07-17T08:42:58.315Z"], // PagerDuty's own example style
    ["2025-03-02T10:14:05+01", "2025-03-02T09:14:05.000Z"],
    ["2025-03-02 09:14:05z", "2025-03-02T09:14:05.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
  ];
  for (const [input, iso] of valid) {
    it(`reads ${input}`, () => assert.equal(parseTimestamp(input)?.toISOString(), iso));
  }

  const invalid: unknown[] = [
    "",
    "2025-03-02",
    "2025-03-02T09:14:05", // no offset: ambiguous
    "2025-13-02T09:14:05Z",
    "2025-02-29T00:00:00Z",
    "2025-03-02T24:00:00Z",
    "2025-03-02T09:60:00Z",
    "2025-03-02T09:14:60Z",
    "2025-03-02T09:14:05+24:00",
    "yesterday",
    " 2025-03-02T09:14:05Z",
    1740906845318,
    null,
    {},
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.equal(parseTimestamp(input), null));
  }
});

describe("Go's zero time", () => {
  it("is unset, and parseOptionalTimestamp reads it as not given", () => {
    const zero = parseTimestamp("0001-01-01T00:00:00Z");
    assert.ok(zero !== null && isUnsetTime(zero));
    assert.equal(parseOptionalTimestamp("0001-01-01T00:00:00Z"), null);
    assert.equal(parseOptionalTimestamp("2025-03-02T09:14:05Z")?.toISOString(), "2025-03-02T09:14:05.000Z");
  });
});

/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in milliseconds. */
const YEAR_0 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

describe("isoTimestamp", () => {
  it("prints what toISOString prints, for any instant", () => {
    const edges = [YEAR_0 - 1, YEAR_0, -62_135_596_800_000, -1, 0, 1, YEAR_10000 - 1, YEAR_10000];
    for (const ms of edges) assert.equal(isoTimestamp(new Date(ms)), new Date(ms).toISOString());
    assert.throws(() => isoTimestamp(new Date(NaN)), RangeError);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }),
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
        ),
        (ms) => {
          assert.equal(isoTimestamp(new Date(ms)), new Date(ms).toISOString());
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
