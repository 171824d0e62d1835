import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { ensureFirstAdmin } from "../../src/app/setup/ensure-first-admin.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

describe("keys, sessions and the first admin, hardened", () => {
  let fb: TestFirebreak;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak();
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb.close());

  it("a key never grants more than its creator holds now, and dies with a disabled creator", async () => {
    await fb.user("admin"); // so that the creator is not the last admin
    const creator = await fb.user("admin");
    const token = (
      await createApiKey(
        fb.running.deps,
        { actor: { kind: "user", id: creator.id, role: "admin", label: creator.email }, requestId: null },
        { name: "theirs", role: "admin" },
      )
    ).token;
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/api/v1/api-keys", headers: bearer(token) })).statusCode,
      200,
    );

    const demoted = await fb.http.inject({
      method: "PATCH",
      url: `/api/v1/users/${creator.id}`,
      headers: bearer(adminKey),
      payload: { role: "viewer" },
    });
    assert.equal(demoted.statusCode, 200, demoted.body);
    assertProblem(
      await fb.http.inject({ method: "GET", url: "/api/v1/api-keys", headers: bearer(token) }),
      403,
      "FORBIDDEN",
    );
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(token) })).statusCode,
      200,
      "still a viewer",
    );

    await fb.http.inject({
      method: "PATCH",
      url: `/api/v1/users/${creator.id}`,
      headers: bearer(adminKey),
      payload: { disabled: true },
    });
    assertProblem(
      await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(token) }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("changing one's password signs out every other session and keeps this one", async () => {
    const person = await fb.user("responder");
    const here = await fb.signIn(person.email, person.password);
    const elsewhere = await fb.signIn(person.email, person.password);
    const res = await fb.http.inject({
      method: "POST",
      url: "/api/v1/me/password",
      headers: { cookie: here.cookie, "x-csrf-token": here.csrfToken },
      payload: { currentPassword: person.password, newPassword: "a brand new passphrase" },
    });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie: here.cookie } }))
        .statusCode,
      200,
    );
    assertProblem(
      await fb.http.inject({
        method: "GET",
        url: "/api/v1/auth/session",
        headers: { cookie: elsewhere.cookie },
      }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("public routes ignore a leftover Authorization header", async () => {
    const res = await fb.http.inject({
      method: "GET",
      url: "/healthz",
      headers: { authorization: "Basic Zm9vOmJhcg==" },
    });
    assert.equal(res.statusCode, 200);
  });

  it("an enum error names the field once, with the choices", async () => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: bearer(adminKey),
      payload: { name: "x", role: "root" },
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "/role", message: "must be one of viewer, responder, admin" }]);
  });
});

describe("the first admin's link while other users exist", () => {
  it("is issued again until the owner claims the account", async () => {
    const fb = await startTestFirebreak();
    try {
      assert.equal(fb.running.firstAdmin.kind, "sign-in-link");
      await fb.user("responder");
      const again = await ensureFirstAdmin(fb.running.deps, {});
      assert.equal(again.kind, "sign-in-link", "a responder made by the CLI does not lock the owner out");
    } finally {
      await fb.close();
    }
  });
});
