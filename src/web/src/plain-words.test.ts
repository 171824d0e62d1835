import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plainWords } from "./plain-words";

describe("plain words for the server's schema messages", () => {
  const cases: Array<[string, string]> = [
    ["must NOT have more than 200 characters", "must be at most 200 characters"],
    ["must NOT have fewer than 1 characters", "must not be empty"],
    ["must NOT have fewer than 10 characters", "must be at least 10 characters"],
    ["must NOT have more than 20 items", "must have at most 20 entries"],
    ["must be >= 1", "must be at least 1"],
    ["must be <= 1440", "must be at most 1440"],
    ["must be integer", "must be a whole number"],
    ['must match pattern "^[a-z0-9-]+$"', "is not in the expected form"],
    ['must match format "uri"', "must be a valid uri"],
    // A detail names every field; each message in it is reworded.
    [
      "/name: must NOT have more than 200 characters; /description: must NOT have more than 5000 characters",
      "/name: must be at most 200 characters; /description: must be at most 5000 characters",
    ],
    // The server's own words stay as they are.
    ["must be 1 to 200 characters", "must be 1 to 200 characters"],
    ["a service named Checkout API already exists", "a service named Checkout API already exists"],
  ];
  for (const [said, meant] of cases) {
    it(`“${said}”`, () => assert.equal(plainWords(said), meant));
  }
});
