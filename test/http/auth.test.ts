import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FakeClock, MINUTE, SECOND } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

const signIn = (fb: TestFirebreak, email: string, password: string, headers: Record<string, string> = {}) =>
  fb.http.inject({ method: "POST", url: "/api/v1/auth/sign-in", headers, payload: { email, password } });

describe("sign-in, sessions and API keys", () => {
  let fb: TestFirebreak;
  let clock: FakeClock;
  let adminKey: string;

  before(async () => {
    clock = new FakeClock();
    fb = await startTestFirebreak({ clock });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb.close());

  describe("sign-in", () => {
    it("sets an httpOnly, SameSite=Lax session cookie and returns the user and a CSRF token", async () => {
      const user = await fb.user("responder");
      const res = await signIn(fb, user.email, user.password);
      assert.equal(res.statusCode, 200, res.body);
      const cookie = res.cookies.find((c) => c.name === "firebreak_session");
      assert.ok(cookie, "a firebreak_session cookie is set");
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, "Lax");
      assert.equal(cookie.path, "/");
      assert.ok(cookie.value.length >= 32, "the session token is long and random");
      const body = res.json() as { user: { email: string; role: string }; csrfToken: string };
      assert.equal(body.user.email, user.email);
      assert.equal(body.user.role, "responder");
      assert.ok(body.csrfToken.length >= 32);
      assert.ok(!res.body.includes(cookie.value), "the session token is only in the cookie");
      assert.ok(!res.body.includes("passwordHash"));
    });

    it("accepts the email in any case and with surrounding spaces", async () => {
      const user = await fb.user("viewer", "Mixed.Case@example.com");
      const res = await signIn(fb, "  MIXED.case@EXAMPLE.com ", user.password);
      assert.equal(res.statusCode, 200, res.body);
    });

    it("answers a wrong password with 401 and a message that does not tell whether the email exists", async () => {
      const user = await fb.user("viewer");
      const wrongPassword = assertProblem(
        await signIn(fb, user.email, "not the password at all"),
        401,
        "UNAUTHENTICATED",
      );
      const unknownEmail = assertProblem(
        await signIn(fb, "nobody-here@example.com", "not the password at all"),
        401,
        "UNAUTHENTICATED",
      );
      assert.equal(wrongPassword.detail, unknownEmail.detail);
      assert.equal(wrongPassword.title, unknownEmail.title);
      assert.doesNotMatch(wrongPassword.detail, /not found|no such|unknown|exist/i);
    });

    it("answers a disabled user's correct password like a wrong one", async () => {
      const user = await fb.user("viewer");
      const patched = await fb.http.inject({
        method: "PATCH",
        url: `/api/v1/users/${user.id}`,
        headers: bearer(adminKey),
        payload: { disabled: true },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const disabled = assertProblem(await signIn(fb, user.email, user.password), 401, "UNAUTHENTICATED");
      const wrong = assertProblem(
        await signIn(fb, user.email, "not the password at all"),
        401,
        "UNAUTHENTICATED",
      );
      assert.equal(disabled.detail, wrong.detail);
    });

    it("sets no cookie when sign-in fails", async () => {
      const user = await fb.user("viewer");
      const res = await signIn(fb, user.email, "not the password at all");
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers["set-cookie"], undefined);
    });

    it("answers an empty password with 400 naming /password", async () => {
      const user = await fb.user("viewer");
      const problem = assertProblem(await signIn(fb, user.email, ""), 400, "VALIDATION");
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        ["/password"],
      );
    });
  });

  describe("throttling failed sign-ins (10 per 15 minutes per address and email)", () => {
    it("answers the 11th attempt with 429 and Retry-After, even with the right password, until the window ends", async () => {
      const user = await fb.user("viewer");
      for (let attempt = 1; attempt <= 10; attempt++) {
        const res = await signIn(fb, user.email, `wrong password ${attempt}`);
        assert.equal(res.statusCode, 401, `attempt ${attempt} is still judged on its merits`);
      }
      const limited = await signIn(fb, user.email, user.password);
      assertProblem(limited, 429, "RATE_LIMITED");
      assert.equal(limited.headers["retry-after"], "900");
      assert.equal(limited.headers["set-cookie"], undefined);

      clock.advance(10 * MINUTE);
      const later = await signIn(fb, user.email, user.password);
      assertProblem(later, 429, "RATE_LIMITED");
      assert.equal(later.headers["retry-after"], "300");

      clock.advance(5 * MINUTE);
      const afterWindow = await signIn(fb, user.email, user.password);
      assert.equal(afterWindow.statusCode, 200, afterWindow.body);
    });

    it("counts each email separately, so one locked account does not lock another from the same address", async () => {
      const victim = await fb.user("viewer");
      const other = await fb.user("viewer");
      for (let attempt = 1; attempt <= 10; attempt++) await signIn(fb, victim.email, "wrong password!");
      assertProblem(await signIn(fb, victim.email, victim.password), 429, "RATE_LIMITED");
      assert.equal((await signIn(fb, other.email, other.password)).statusCode, 200);
    });

    it("forgets earlier failures after a successful sign-in", async () => {
      const user = await fb.user("viewer");
      for (let attempt = 1; attempt <= 9; attempt++) await signIn(fb, user.email, "wrong password!");
      assert.equal((await signIn(fb, user.email, user.password)).statusCode, 200);
      for (let attempt = 1; attempt <= 9; attempt++) await signIn(fb, user.email, "wrong password!");
      assert.equal(
        (await signIn(fb, user.email, user.password)).statusCode,
        200,
        "nine fresh failures do not reach the limit",
      );
    });
  });

  describe("sessions", () => {
    it("identifies the signed-in user on GET /api/v1/auth/session", async () => {
      const user = await fb.user("responder");
      const { cookie, csrfToken } = await fb.signIn(user.email, user.password);
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as {
        actor: { kind: string; id: string; role: string };
        user: { email: string };
        csrfToken: string;
      };
      assert.deepEqual(
        { kind: body.actor.kind, id: body.actor.id, role: body.actor.role },
        { kind: "user", id: user.id, role: "responder" },
      );
      assert.equal(body.user.email, user.email);
      assert.equal(body.csrfToken, csrfToken);
    });

    it("invalidates the session on sign-out, so the old cookie no longer works", async () => {
      const user = await fb.user("viewer");
      const { cookie, csrfToken } = await fb.signIn(user.email, user.password);
      const out = await fb.http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-out",
        headers: { cookie, "x-csrf-token": csrfToken },
      });
      assert.equal(out.statusCode, 204, out.body);
      const cleared = out.cookies.find((c) => c.name === "firebreak_session");
      assert.ok(cleared, "sign-out clears the cookie");
      assert.equal(cleared.value, "");

      const replayed = await fb.http.inject({
        method: "GET",
        url: "/api/v1/auth/session",
        headers: { cookie },
      });
      assertProblem(replayed, 401, "UNAUTHENTICATED");
    });

    it("ends the sessions of a user who is disabled", async () => {
      const user = await fb.user("responder");
      const { cookie } = await fb.signIn(user.email, user.password);
      assert.equal(
        (await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: { cookie } })).statusCode,
        200,
      );

      const patched = await fb.http.inject({
        method: "PATCH",
        url: `/api/v1/users/${user.id}`,
        headers: bearer(adminKey),
        payload: { disabled: true },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.ok(patched.json().disabledAt);

      assertProblem(
        await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: { cookie } }),
        401,
        "UNAUTHENTICATED",
      );
    });

    it("expires a session after its lifetime (14 days)", async () => {
      const user = await fb.user("viewer");
      const { cookie } = await fb.signIn(user.email, user.password);
      clock.advance(14 * 24 * 60 * MINUTE - SECOND);
      assert.equal(
        (await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } }))
          .statusCode,
        200,
      );
      clock.advance(SECOND);
      assertProblem(
        await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } }),
        401,
        "UNAUTHENTICATED",
      );
    });

    it("lets a stale cookie still reach public routes such as sign-in", async () => {
      const user = await fb.user("viewer");
      const res = await signIn(fb, user.email, user.password, {
        cookie: "firebreak_session=fbs_stale-and-unknown",
      });
      assert.equal(res.statusCode, 200, res.body);
    });
  });

  describe("API keys", () => {
    const createKey = async (role: string) => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/api-keys",
        headers: bearer(adminKey),
        payload: { name: `key for ${role}`, role },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.headers["cache-control"], "no-store");
      return res.json() as { key: string; apiKey: { id: string; prefix: string; role: string } };
    };

    it("authenticates with a created key, scoped to the key's role", async () => {
      const { key, apiKey } = await createKey("responder");
      assert.match(key, /^fbk_/);
      assert.ok(key.startsWith(apiKey.prefix));
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: bearer(key) });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().actor.kind, "api_key");
      assert.deepEqual(res.json().actor.role, "responder");
      assertProblem(
        await fb.http.inject({ method: "GET", url: "/api/v1/api-keys", headers: bearer(key) }),
        403,
        "FORBIDDEN",
      );
    });

    it("answers a revoked key with 401", async () => {
      const { key, apiKey } = await createKey("viewer");
      assert.equal(
        (await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(key) })).statusCode,
        200,
      );
      const revoked = await fb.http.inject({
        method: "DELETE",
        url: `/api/v1/api-keys/${apiKey.id}`,
        headers: bearer(adminKey),
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.ok(revoked.json().revokedAt);
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(key) });
      assertProblem(res, 401, "UNAUTHENTICATED");
      assert.ok(res.headers["www-authenticate"]);
    });

    it("answers revoking an unknown key with 404", async () => {
      assertProblem(
        await fb.http.inject({
          method: "DELETE",
          url: "/api/v1/api-keys/no-such-key",
          headers: bearer(adminKey),
        }),
        404,
        "NOT_FOUND",
      );
    });

    it("records when a key was last used", async () => {
      const { key, apiKey } = await createKey("viewer");
      const lastUsed = async () => {
        const keys = (
          await fb.http.inject({ method: "GET", url: "/api/v1/api-keys", headers: bearer(adminKey) })
        ).json() as {
          id: string;
          lastUsedAt: string | null;
        }[];
        return keys.find((k) => k.id === apiKey.id)?.lastUsedAt;
      };
      assert.equal(await lastUsed(), null);

      clock.advance(MINUTE);
      const usedAt = clock.now().toISOString();
      assert.equal(
        (await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: bearer(key) })).statusCode,
        200,
      );
      assert.equal(await lastUsed(), usedAt);

      clock.advance(2 * MINUTE);
      const laterUse = clock.now().toISOString();
      await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: bearer(key) });
      assert.equal(await lastUsed(), laterUse);
    });

    it("never lists the key itself or its hash", async () => {
      const { key } = await createKey("viewer");
      const list = await fb.http.inject({
        method: "GET",
        url: "/api/v1/api-keys",
        headers: bearer(adminKey),
      });
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(key));
      assert.doesNotMatch(list.body, /tokenHash|token_hash/);
    });
  });
});
