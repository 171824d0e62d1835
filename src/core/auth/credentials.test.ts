import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDisplayName, checkEmail, checkPassword, normalizeEmail } from "./credentials.js";

describe("credentials", () => {
  const emails: Array<[input: string, error: string | undefined]> = [
    ["ada@example.com", undefined],
    ["  Ada@Example.COM ", undefined],
    ["", "is required"],
    ["ada", "must be an email address like name@example.com"],
    ["ada@example", "must be an email address like name@example.com"],
    ["a da@example.com", "must be an email address like name@example.com"],
    [`${"a".repeat(250)}@x.io`, "must be at most 254 characters"],
  ];
  for (const [input, error] of emails) {
    it(`email ${JSON.stringify(input.slice(0, 20))} → ${error ?? "ok"}`, () => {
      assert.deepEqual(checkEmail(input), error ? [{ path: "/email", message: error }] : []);
    });
  }

  it("normalises emails to trimmed lower case", () => {
    assert.equal(normalizeEmail("  Ada@Example.COM "), "ada@example.com");
  });

  it("wants passwords of 10 to 1024 characters and names the field", () => {
    assert.deepEqual(checkPassword("short", "/newPassword"), [
      { path: "/newPassword", message: "must be at least 10 characters" },
    ]);
    assert.deepEqual(checkPassword("x".repeat(10)), []);
    assert.deepEqual(checkPassword("x".repeat(1025)), [
      { path: "/password", message: "must be at most 1024 characters" },
    ]);
  });

  it("wants a display name that is not blank", () => {
    assert.deepEqual(checkDisplayName("   "), [{ path: "/name", message: "is required" }]);
    assert.deepEqual(checkDisplayName("Ada"), []);
  });
});
