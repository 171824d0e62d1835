import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireRole } from "./actor.js";
import { isRole, roleAllows, weakerRole, type Role } from "./roles.js";

describe("roles", () => {
  const table: Array<[held: Role, required: Role, allowed: boolean]> = [
    ["viewer", "viewer", true],
    ["viewer", "responder", false],
    ["viewer", "admin", false],
    ["responder", "viewer", true],
    ["responder", "responder", true],
    ["responder", "admin", false],
    ["admin", "viewer", true],
    ["admin", "responder", true],
    ["admin", "admin", true],
  ];
  for (const [held, required, allowed] of table) {
    it(`${held} ${allowed ? "may" : "may not"} do what needs ${required}`, () => {
      assert.equal(roleAllows(held, required), allowed);
      const actor = { kind: "user", id: "u1", role: held, label: "ada@example.com" } as const;
      if (allowed) requireRole(actor, required);
      else assert.throws(() => requireRole(actor, required), { code: "FORBIDDEN" });
    });
  }

  it("knows its roles and picks the weaker of two", () => {
    assert.equal(isRole("admin"), true);
    assert.equal(isRole("root"), false);
    assert.equal(weakerRole("admin", "viewer"), "viewer");
    assert.equal(weakerRole("responder", "admin"), "responder");
  });
});
