// GET /api/v1/auth/setup: whether a fresh install still waits for its first admin to open the setup
// link the server printed, for the sign-in page to say so. Anyone may ask; the answer never carries
// the link or anything of the account.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FirstAdminOutcome } from "../../src/app/setup/ensure-first-admin.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

const tokenOf = (outcome: FirstAdminOutcome): string => {
  assert.equal(outcome.kind, "sign-in-link");
  return (outcome as Extract<FirstAdminOutcome, { kind: "sign-in-link" }>).token;
};

describe("whether setup is pending, as anyone may read it", () => {
  const started: TestFirebreak[] = [];
  after(async () => {
    for (const fb of started) await fb.close();
  });
  const setup = async (fb: TestFirebreak) => {
    const res = await fb.http.inject({ method: "GET", url: "/api/v1/auth/setup" });
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };

  it("is pending on a fresh install until the first admin claims the link, then done", async () => {
    const fb = await startTestFirebreak({ startEngine: false });
    started.push(fb);
    const token = tokenOf(fb.running.firstAdmin);
    const before = await setup(fb);
    assert.deepEqual(before.json(), { setupPending: true });
    assert.ok(!before.body.includes(token), "never the token");

    const claimed = await fb.http.inject({
      method: "POST",
      url: "/api/v1/auth/claim-link",
      payload: { token, email: "owner@example.com", name: "The Owner", password: "the owner's password" },
    });
    assert.equal(claimed.statusCode, 200, claimed.body);
    assert.deepEqual((await setup(fb)).json(), { setupPending: false });
  });

  it("is done at once when FIREBREAK_ADMIN_EMAIL and FIREBREAK_ADMIN_PASSWORD made the admin", async () => {
    const fb = await startTestFirebreak({
      startEngine: false,
      env: { FIREBREAK_ADMIN_EMAIL: "ops@example.com", FIREBREAK_ADMIN_PASSWORD: "a long enough password" },
    });
    started.push(fb);
    assert.equal(fb.running.firstAdmin.kind, "created-from-config");
    assert.deepEqual((await setup(fb)).json(), { setupPending: false });
  });
});
