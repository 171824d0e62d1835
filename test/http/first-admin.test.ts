import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ensureFirstAdmin, type FirstAdminOutcome } from "../../src/app/setup/ensure-first-admin.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

type SignInLink = Extract<FirstAdminOutcome, { kind: "sign-in-link" }>;

function linkOf(outcome: FirstAdminOutcome): SignInLink {
  assert.equal(outcome.kind, "sign-in-link");
  return outcome as SignInLink;
}

const claim = (fb: TestFirebreak, token: string, email: string, password = "the owner's password") =>
  fb.http.inject({
    method: "POST",
    url: "/api/v1/auth/claim-link",
    payload: { token, email, name: "The Owner", password },
  });

describe("the first admin", () => {
  describe("on a fresh server without configured credentials", () => {
    let fb: TestFirebreak;
    before(async () => {
      fb = await startTestFirebreak();
    });
    after(() => fb.close());

    it("issues a one-time sign-in link", () => {
      const link = linkOf(fb.running.firstAdmin);
      assert.match(link.token, /^fbl_.{40,}$/);
      assert.ok(link.expiresAt.getTime() > Date.now());
    });

    it("rejects a made-up token with 401", async () => {
      assertProblem(await claim(fb, "fbl_made-up", "owner@example.com"), 401, "UNAUTHENTICATED");
    });

    it("validates the claim's fields before spending the link", async () => {
      const link = linkOf(fb.running.firstAdmin);
      const problem = assertProblem(await claim(fb, link.token, "not-an-email", "short"), 400, "VALIDATION");
      assert.deepEqual(problem.errors?.map((e) => e.path).sort(), ["/email", "/password"]);
    });

    it("lets the link be claimed once, signing the new admin in, and answers a second claim with 401", async () => {
      const link = linkOf(fb.running.firstAdmin);
      const first = await claim(fb, link.token, "Owner@Example.com");
      assert.equal(first.statusCode, 200, first.body);
      const body = first.json() as {
        user: { email: string; role: string; hasPassword: boolean };
        csrfToken: string;
      };
      assert.deepEqual(
        { email: body.user.email, role: body.user.role, hasPassword: body.user.hasPassword },
        { email: "owner@example.com", role: "admin", hasPassword: true },
      );
      const cookie = first.cookies.find((c) => c.name === "firebreak_session");
      assert.ok(cookie?.httpOnly);

      const session = await fb.http.inject({
        method: "GET",
        url: "/api/v1/api-keys",
        headers: { cookie: `firebreak_session=${cookie.value}` },
      });
      assert.equal(session.statusCode, 200, "the claimed account is an admin");

      const second = await claim(fb, link.token, "someone-else@example.com");
      assertProblem(second, 401, "UNAUTHENTICATED");
      assert.equal(second.headers["set-cookie"], undefined);

      const signedIn = await fb.signIn("owner@example.com", "the owner's password");
      assert.ok(signedIn.csrfToken);
    });

    it("does not issue a new link once the admin is claimed", async () => {
      assert.deepEqual(await ensureFirstAdmin(fb.running.deps, {}), { kind: "already-set-up" });
    });
  });

  describe("restarting while the first admin is unclaimed", () => {
    let fb: TestFirebreak;
    before(async () => {
      fb = await startTestFirebreak();
    });
    after(() => fb.close());

    it("issues a fresh link and keeps the older one; using either voids the other", async () => {
      const old = linkOf(fb.running.firstAdmin);
      const fresh = linkOf(await ensureFirstAdmin(fb.running.deps, {}));
      assert.notEqual(fresh.token, old.token);

      const claimed = await claim(fb, old.token, "owner@example.com");
      assert.equal(claimed.statusCode, 200, claimed.body);
      const voided = assertProblem(
        await claim(fb, fresh.token, "someone-else@example.com"),
        401,
        "UNAUTHENTICATED",
      );
      assert.equal(voided.detail, "a sign-in link was already used for this account");
      assert.deepEqual(await ensureFirstAdmin(fb.running.deps, {}), { kind: "already-set-up" });
    });
  });

  describe("from FIREBREAK_ADMIN_EMAIL and FIREBREAK_ADMIN_PASSWORD", () => {
    let fb: TestFirebreak;
    const email = "ops@example.com";
    const password = "configured admin password";
    before(async () => {
      fb = await startTestFirebreak({
        env: { FIREBREAK_ADMIN_EMAIL: "  OPS@example.com ", FIREBREAK_ADMIN_PASSWORD: password },
      });
    });
    after(() => fb.close());

    it("creates that admin instead of a link", () => {
      assert.deepEqual(fb.running.firstAdmin, { kind: "created-from-config", email });
    });

    it("lets the configured admin sign in and act as admin", async () => {
      const { cookie } = await fb.signIn(email, password);
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().user.email, email);
      assert.equal(res.json().actor.role, "admin");
    });

    it("creates exactly one user, and leaves it alone on the next start", async () => {
      const key = await fb.apiKey("admin");
      const users = (
        await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(key) })
      ).json() as { email: string }[];
      assert.deepEqual(
        users.map((u) => u.email),
        [email],
      );
      const again = await ensureFirstAdmin(fb.running.deps, { email, password: "a different password" });
      assert.deepEqual(again, { kind: "already-set-up" });
      await fb.signIn(email, password);
    });
  });
});
