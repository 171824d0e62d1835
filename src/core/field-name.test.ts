import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldErrorsSentence, fieldName } from "./field-name.js";

describe("field errors as a person reads them", () => {
  const cases: Array<[string, string]> = [
    ["/name", "name"],
    ["/steps/0/delayMinutes", "steps[0].delayMinutes"],
    ["querystring /limit", "query parameter limit"],
    ["/", "the request body"],
    ["params /", "the path"],
  ];
  for (const [path, said] of cases) it(`${path} is "${said}"`, () => assert.equal(fieldName(path), said));

  it("a message that reads on follows the name; any other comes after a colon", () => {
    assert.equal(
      fieldErrorsSentence([
        { path: "/end", message: "must be after start" },
        { path: "/timeZone", message: "is not a time zone" },
        { path: "/layers/0/rotation", message: "an imported layer has no rotation to change" },
      ]),
      "end must be after start; timeZone is not a time zone; layers[0].rotation: an imported layer has no rotation to change",
    );
    assert.equal(fieldErrorsSentence([]), "");
  });
});
