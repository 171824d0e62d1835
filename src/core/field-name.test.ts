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
    ["/alerts/1/labels/team name", "alerts[1].labels.team name"],
    ["/0/summary", "[0].summary"],
    ["/labels/a~1b~0c", "labels.a/b~c"],
    ["", "the request body"],
    // Not a pointer: the name as given, never "the request body".
    ["FIREBREAK_ADMIN_EMAIL", "FIREBREAK_ADMIN_EMAIL"],
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

  it("says a sentence once, however many times it is found", () => {
    assert.equal(
      fieldErrorsSentence([
        { path: "/0", message: "must be an object" },
        { path: "/0", message: "must be an object" },
        { path: "/1", message: "must be an object" },
      ]),
      "[0] must be an object; [1] must be an object",
    );
  });
});
