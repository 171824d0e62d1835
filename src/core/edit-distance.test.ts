import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance } from "./edit-distance.js";

describe("edit distance (optimal string alignment)", () => {
  const cases: Array<[string, string, number]> = [
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["secret", "secret", 0],
    // One insertion, deletion, substitution, swap of neighbours each.
    ["secret", "secrett", 1],
    ["secrett", "secret", 1],
    ["topic", "tupic", 1],
    ["incidnets", "incidents", 1],
    ["sate", "state", 1],
    ["ab", "ba", 1],
    ["kitten", "sitting", 3],
    // Optimal string alignment edits no substring twice: "ca" → "abc" is 3, not 2 as in full Damerau.
    ["ca", "abc", 3],
    // Case counts: callers lower-case first.
    ["URL", "url", 3],
  ];
  for (const [a, b, distance] of cases)
    it(`"${a}" → "${b}" is ${distance}`, () => assert.equal(editDistance(a, b), distance));

  it("is symmetric", () => {
    for (const [a, b] of cases) assert.equal(editDistance(a, b), editDistance(b, a));
  });
});
