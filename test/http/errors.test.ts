import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../src/core/errors.js";
import { logMappedError, mapError } from "../../src/http/problem.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

const BODY_LIMIT = 2048;

const validUser = (overrides: Record<string, unknown> = {}) => ({
  email: "new.person@example.com",
  name: "New Person",
  role: "viewer",
  password: "a long enough password",
  ...overrides,
});

describe("HTTP errors are RFC 9457 problems, mapped once at the edge", () => {
  let fb: TestFirebreak;
  let adminKey: string;
  let viewerKey: string;

  before(async () => {
    fb = await startTestFirebreak({ env: { FIREBREAK_BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    adminKey = await fb.apiKey("admin");
    viewerKey = await fb.apiKey("viewer");
  });
  after(() => fb.close());

  describe("authentication and roles", () => {
    it("answers a request without credentials with 401 and a WWW-Authenticate challenge", async () => {
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/users" });
      const problem = assertProblem(res, 401, "UNAUTHENTICATED");
      assert.match(String(res.headers["www-authenticate"]), /^Bearer /);
      assert.equal(problem.instance, "/api/v1/users");
    });

    it("answers an unknown API key with 401", async () => {
      const res = await fb.http.inject({
        method: "GET",
        url: "/api/v1/users",
        headers: bearer("fbk_not-a-real-key"),
      });
      assertProblem(res, 401, "UNAUTHENTICATED");
      assert.ok(res.headers["www-authenticate"]);
    });

    it("answers an Authorization header that is not a bearer token with 401", async () => {
      const res = await fb.http.inject({
        method: "GET",
        url: "/api/v1/users",
        headers: { authorization: "Basic dXNlcjpwYXNz" },
      });
      assertProblem(res, 401, "UNAUTHENTICATED");
    });

    it("answers a viewer key calling POST /api/v1/users (admin only) with 403", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(viewerKey),
        payload: validUser(),
      });
      const problem = assertProblem(res, 403, "FORBIDDEN");
      assert.match(problem.detail, /admin/);
    });

    it("answers a viewer key calling GET /api/v1/api-keys (admin only) with 403", async () => {
      const res = await fb.http.inject({
        method: "GET",
        url: "/api/v1/api-keys",
        headers: bearer(viewerKey),
      });
      assertProblem(res, 403, "FORBIDDEN");
    });

    it("lets the same viewer key read what viewers may read", async () => {
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(viewerKey) });
      assert.equal(res.statusCode, 200);
      assert.ok(Array.isArray(res.json()));
    });

    it("marks the 403 of a key that acts for no person with its own problem type, for clients to act on", async () => {
      const post = (url: string, payload: object) =>
        fb.http.inject({ method: "POST", url, headers: bearer(adminKey), payload });
      assert.equal((await post("/api/v1/services", { name: "keyless-triage" })).statusCode, 201);
      const paged = await post("/api/v1/incidents", { service: "keyless-triage", summary: "disk full" });
      assert.equal(paged.statusCode, 201, paged.body);
      const { id } = paged.json() as { id: string };
      // fb.apiKey makes keys as the system, not as a person: triage belongs to people.
      const res = await post(`/api/v1/incidents/${id}/triage`, {
        severity: "SEV2",
        level: "degradation",
        onCallCanHandle: true,
      });
      const problem = assertProblem(res, 403, "FORBIDDEN");
      assert.equal(problem.type, "urn:firebreak:problem:acts-for-no-person");
      assert.equal(problem.title, "Forbidden");
      assert.match(problem.detail, /^API key .+ acts for no person: incident roles belong to people/);
      // Any other 403 keeps its code's type.
      const viewer = await fb.http.inject({
        method: "GET",
        url: "/api/v1/api-keys",
        headers: bearer(viewerKey),
      });
      assert.equal(assertProblem(viewer, 403, "FORBIDDEN").type, "urn:firebreak:problem:forbidden");
    });

    it("checks credentials on a percent-encoded API path as on the plain one", async () => {
      const res = await fb.http.inject({ method: "GET", url: "/%61pi/v1/users" });
      assertProblem(res, 401, "UNAUTHENTICATED");
      // The route-level check (not only the handler) must have run: it sends the challenge text.
      assert.match(res.json().detail as string, /Authorization: Bearer/);
    });
  });

  describe("validation names the field", () => {
    it("answers POST /api/v1/users with a malformed email with 400 naming /email", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: validUser({ email: "not-an-email" }),
      });
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        ["/email"],
      );
      assert.match(problem.errors?.[0]?.message ?? "", /email/);
    });

    it("answers a missing field with 400 naming that field", async () => {
      const { name: _omitted, ...withoutName } = validUser();
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: withoutName,
      });
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(problem.errors, [{ path: "/name", message: "is required" }]);
    });

    it("names every bad field at once", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: validUser({ email: "nope", password: "short" }),
      });
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(problem.errors?.map((e) => e.path).sort(), ["/email", "/password"]);
    });

    it("names a field the schema does not know", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: validUser({ colour: "red" }),
      });
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(problem.errors, [{ path: "/colour", message: "is not a known field" }]);
    });

    it("names a bad query parameter with its location", async () => {
      const res = await fb.http.inject({
        method: "GET",
        url: "/api/v1/audit-log?limit=lots",
        headers: bearer(adminKey),
      });
      const problem = assertProblem(res, 400, "VALIDATION");
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        ["querystring /limit"],
      );
    });

    it("does not create anything when the request is refused", async () => {
      await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: validUser({ email: "broken" }),
      });
      const users = (
        await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(adminKey) })
      ).json() as { email: string }[];
      assert.ok(!users.some((u) => u.email === "broken"));
    });
  });

  describe("unknown routes", () => {
    it("answers an unknown path with 404 problem+json", async () => {
      const res = await fb.http.inject({ method: "GET", url: "/no/such/thing" });
      const problem = assertProblem(res, 404, "NOT_FOUND");
      assert.equal(problem.instance, "/no/such/thing");
    });

    it("never echoes a key from the path in a problem's instance", async () => {
      const key = "k3y-that-is-a-secret";
      for (const url of [
        `/integrations/alertmanager/${key}`,
        `/integrations/webhook/${key}`,
        `/heartbeat/${key}`,
      ]) {
        const res = await fb.http.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/json" },
          payload: "{not json",
        });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`);
        assert.ok(!res.body.includes(key), `${url}: ${res.body}`);
        if (res.headers["content-type"]?.toString().startsWith("application/problem+json"))
          assert.match(String(res.json<{ instance?: string }>().instance), /\/<secret>$/);
      }
    });

    it("answers an unknown /api/v1 path with 404, not 401, even without credentials", async () => {
      const res = await fb.http.inject({ method: "GET", url: "/api/v1/no-such-resource" });
      assertProblem(res, 404, "NOT_FOUND");
    });

    it("answers an unknown /api/v1 path with 404 problem+json even when the client prefers HTML", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/no-such-resource",
        headers: { ...bearer(adminKey), accept: "text/html" },
        payload: {},
      });
      assertProblem(res, 404, "NOT_FOUND");
    });

    it("answers a method a known path does not take with 405, naming the ones it does", async () => {
      const res = await fb.http.inject({
        method: "PUT",
        url: "/api/v1/users",
        headers: bearer(adminKey),
        payload: {},
      });
      const problem = assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      assert.equal(res.headers.allow, "GET, HEAD, POST");
      assert.equal(problem.detail, "PUT is not allowed on /api/v1/users; it takes GET, HEAD, POST");
    });
  });

  describe("bodies", () => {
    it("answers a body larger than FIREBREAK_BODY_LIMIT_BYTES with 413", async () => {
      const payload = JSON.stringify(validUser({ name: "x".repeat(BODY_LIMIT * 2) }));
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: { ...bearer(adminKey), "content-type": "application/json" },
        payload,
      });
      assertProblem(res, 413, "PAYLOAD_TOO_LARGE");
    });

    it("accepts a body just under the limit", async () => {
      const payload = JSON.stringify(validUser({ email: "under.limit@example.com", name: "y".repeat(150) }));
      assert.ok(payload.length < BODY_LIMIT);
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: { ...bearer(adminKey), "content-type": "application/json" },
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
    });

    it("answers malformed JSON with 400, not 500", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: { ...bearer(adminKey), "content-type": "application/json" },
        payload: '{"email": "a@example.com", "name": ',
      });
      assertProblem(res, 400, "VALIDATION");
    });

    it("answers malformed JSON on the public sign-in route with 400", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "content-type": "application/json" },
        payload: "{not json",
      });
      assertProblem(res, 400, "VALIDATION");
    });

    it("answers valid JSON with a prototype-poisoning key with 400 naming the key, not 'not valid JSON'", async () => {
      const cases: Array<[payload: string, field: string, path: string]> = [
        [
          `{"__proto__": {"x": 1}, ${JSON.stringify(validUser({ email: "proto@example.com" })).slice(1)}`,
          "__proto__",
          "/__proto__",
        ],
        [
          '{"name": "P", "team": {"constructor": {"prototype": {"x": 1}}}}',
          "team.constructor.prototype",
          "/team/constructor/prototype",
        ],
        ['{"list": [{"\\u005f_proto__": null}]}', "list[0].__proto__", "/list/0/__proto__"],
      ];
      const why = "is a forbidden key: keys that could change an object's prototype are refused";
      for (const [payload, field, path] of cases) {
        const res = await fb.http.inject({
          method: "POST",
          url: "/api/v1/users",
          headers: { ...bearer(adminKey), "content-type": "application/json" },
          payload,
        });
        const problem = assertProblem(res, 400, "VALIDATION");
        assert.equal(problem.detail, `${field} ${why}`);
        assert.deepEqual(problem.errors, [{ path, message: why }]);
      }
      const users = (
        await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(adminKey) })
      ).json() as { email: string }[];
      assert.ok(!users.some((u) => u.email === "proto@example.com"), "the refused body created nothing");
    });

    it("still calls malformed JSON not valid JSON", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "content-type": "application/json" },
        payload: '{"__proto__": ',
      });
      assert.match(assertProblem(res, 400, "VALIDATION").detail, /not valid JSON/);
    });

    it("answers a text/plain body with 415", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: { ...bearer(adminKey), "content-type": "text/plain" },
        payload: JSON.stringify(validUser({ email: "plain.text@example.com" })),
      });
      assert.equal(
        assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail,
        "send the body as JSON with the header Content-Type: application/json (got text/plain)",
      );
      const users = (
        await fb.http.inject({ method: "GET", url: "/api/v1/users", headers: bearer(adminKey) })
      ).json() as { email: string }[];
      assert.ok(!users.some((u) => u.email === "plain.text@example.com"), "the refused body created nothing");
    });

    it("answers a text/plain body where forms are taken too with 415 naming both", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/slack/commands",
        headers: { "content-type": "text/plain" },
        payload: "command=/firebreak",
      });
      assert.equal(
        assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail,
        "send the body as JSON with the header Content-Type: application/json, or as a form with " +
          "Content-Type: application/x-www-form-urlencoded (got text/plain)",
      );
    });

    it("answers an XML body with 415", async () => {
      const res = await fb.http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        headers: { "content-type": "application/xml" },
        payload: "<signIn/>",
      });
      assert.equal(
        assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail,
        "send the body as JSON with the header Content-Type: application/json (got application/xml)",
      );
    });
  });

  describe("CSRF on cookie sessions", () => {
    it("refuses a cookie-session POST without x-csrf-token with 403 and accepts it with the token", async () => {
      const admin = await fb.user("admin");
      const { cookie, csrfToken } = await fb.signIn(admin.email, admin.password);

      const refused = await fb.http.inject({
        method: "POST",
        url: "/api/v1/teams",
        headers: { cookie },
        payload: { name: "Payments" },
      });
      const problem = assertProblem(refused, 403, "FORBIDDEN");
      assert.match(problem.detail, /x-csrf-token/);

      const wrong = await fb.http.inject({
        method: "POST",
        url: "/api/v1/teams",
        headers: { cookie, "x-csrf-token": `${csrfToken}x` },
        payload: { name: "Payments" },
      });
      assertProblem(wrong, 403, "FORBIDDEN");

      const teamsBefore = (
        await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: { cookie } })
      ).json() as unknown[];
      assert.equal(teamsBefore.length, 0, "the refused requests created nothing; a GET needs no CSRF token");

      const accepted = await fb.http.inject({
        method: "POST",
        url: "/api/v1/teams",
        headers: { cookie, "x-csrf-token": csrfToken },
        payload: { name: "Payments" },
      });
      assert.equal(accepted.statusCode, 201, accepted.body);
      assert.equal(accepted.json().name, "Payments");
    });

    it("requires the CSRF token on a percent-encoded API path too", async () => {
      const admin = await fb.user("admin");
      const { cookie } = await fb.signIn(admin.email, admin.password);
      const res = await fb.http.inject({
        method: "POST",
        url: "/%61pi/v1/auth/sign-out",
        headers: { cookie },
      });
      assertProblem(res, 403, "FORBIDDEN");
      const still = await fb.http.inject({ method: "GET", url: "/api/v1/auth/session", headers: { cookie } });
      assert.equal(still.statusCode, 200, "the session survives the refused sign-out");
    });
  });

  describe("request ids", () => {
    it("echoes a well-formed incoming x-request-id on success and on error", async () => {
      const ok = await fb.http.inject({
        method: "GET",
        url: "/healthz",
        headers: { "x-request-id": "trace-abc.123" },
      });
      assert.equal(ok.headers["x-request-id"], "trace-abc.123");
      const failed = await fb.http.inject({
        method: "GET",
        url: "/api/v1/users",
        headers: { "x-request-id": "trace-def.456" },
      });
      assert.equal(assertProblem(failed, 401, "UNAUTHENTICATED").requestId, "trace-def.456");
    });

    it("replaces an incoming x-request-id that is not safe to log", async () => {
      const res = await fb.http.inject({
        method: "GET",
        url: "/healthz",
        headers: { "x-request-id": "bad id\twith spaces" },
      });
      const id = String(res.headers["x-request-id"]);
      assert.notEqual(id, "bad id\twith spaces");
      assert.match(id, /^[0-9a-f-]{36}$/);
    });
  });
});

describe("what the error mapper logs", () => {
  const cases: Array<[name: string, err: unknown, expected: Array<[level: string, message: string]>]> = [
    ["a bug (500) is an error", new Error("boom"), [["error", "unexpected error in /x"]]],
    [
      "a database that cannot be reached (503) is a warning that says why",
      new AppError("UNAVAILABLE", "the database cannot be reached; try again"),
      [["warn", "answered 503 in /x: the database cannot be reached; try again"]],
    ],
    ["a client's mistake (404) is not logged", new AppError("NOT_FOUND", "no such incident"), []],
  ];
  for (const [name, err, expected] of cases) {
    it(name, () => {
      const logged: Array<[string, string]> = [];
      const log = {
        error: (_fields: object, message: string) => void logged.push(["error", message]),
        warn: (_fields: object, message: string) => void logged.push(["warn", message]),
      };
      logMappedError(log, mapError(err, "req-1"), err, "in /x");
      assert.deepEqual(logged, expected);
    });
  }
});
