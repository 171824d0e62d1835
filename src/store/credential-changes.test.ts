import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialSubjectOf } from "./credential-changes.js";

describe("credential changes on the jobs' NOTIFY channel", () => {
  it("reads the subject of a credential payload", () => {
    assert.deepEqual(credentialSubjectOf("credentials:session:0190-abc"), {
      kind: "session",
      id: "0190-abc",
    });
    assert.deepEqual(credentialSubjectOf("credentials:api_key:k:1"), { kind: "api_key", id: "k:1" });
    assert.deepEqual(credentialSubjectOf("credentials:user:u1"), { kind: "user", id: "u1" });
  });

  it("leaves job wake-ups and anything unknown to the runner", () => {
    for (const payload of ["", "urgent", "credentials:", "credentials:team:t1", "credentials:user"])
      assert.equal(credentialSubjectOf(payload), undefined, payload);
  });
});
