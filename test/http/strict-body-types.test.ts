import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

/**
 * JSON bodies are taken as sent: a number where text is expected, text where a number or true/false
 * is expected, a single value where a list is expected, or null where null is not allowed is a 400
 * naming the field and the type, not a value quietly converted. Query strings and path parameters are
 * text by nature and keep being read as the numbers and booleans their schemas say.
 */
describe("request bodies are not type-coerced; query strings are", () => {
  let fb: TestFirebreak;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak();
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb.close());

  const send = (method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: unknown) =>
    fb.http.inject({
      method,
      url,
      headers: { ...bearer(adminKey), ...(payload !== undefined && { "content-type": "application/json" }) },
      ...(payload !== undefined && { payload: JSON.stringify(payload) }),
    });

  const refused = async (
    method: "POST" | "PATCH" | "PUT",
    url: string,
    payload: unknown,
    errors: { path: string; message: string }[],
    detail: string,
  ) => {
    const res = await send(method, url, payload);
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, errors, `${method} ${url}`);
    assert.equal(problem.detail, detail);
  };

  it("POST /api/v1/services: a number or null for the name is refused, and no service is made", async () => {
    await refused(
      "POST",
      "/api/v1/services",
      { name: 123 },
      [{ path: "/name", message: "must be text" }],
      "name must be text",
    );
    await refused(
      "POST",
      "/api/v1/services",
      { name: null },
      [{ path: "/name", message: "must be text" }],
      "name must be text",
    );
    const names = ((await send("GET", "/api/v1/services")).json() as { name: string }[]).map((s) => s.name);
    assert.ok(!names.includes("123") && !names.includes(""), `no service made: ${names.join(", ")}`);
  });

  it('PATCH /api/v1/services/:id: 1 or "true" for a boolean, text for a whole number', async () => {
    const created = await send("POST", "/api/v1/services", { name: "strict-types" });
    assert.equal(created.statusCode, 201, created.body);
    const url = `/api/v1/services/${(created.json() as { id: string }).id}`;
    await refused(
      "PATCH",
      url,
      { autoResolve: 1, reopenWindowMinutes: "10" },
      [
        { path: "/autoResolve", message: "must be true or false" },
        { path: "/reopenWindowMinutes", message: "must be a whole number" },
      ],
      "autoResolve must be true or false; reopenWindowMinutes must be a whole number",
    );
    await refused(
      "PATCH",
      url,
      { autoResolve: "true" },
      [{ path: "/autoResolve", message: "must be true or false" }],
      "autoResolve must be true or false",
    );
    // The nullable fields still take null, and the right types still pass.
    const changed = await send("PATCH", url, { autoResolve: false, reopenWindowMinutes: 10, teamId: null });
    assert.equal(changed.statusCode, 200, changed.body);
    const service = changed.json() as { autoResolve: boolean; reopenWindowMinutes: number; teamId: null };
    assert.equal(service.autoResolve, false);
    assert.equal(service.reopenWindowMinutes, 10);
    assert.equal(service.teamId, null);
  });

  it("POST /api/v1/escalation-policies: text for delayMinutes and repeatCount, deep in the body", async () => {
    await refused(
      "POST",
      "/api/v1/escalation-policies",
      {
        name: "strict",
        steps: [{ delayMinutes: "5", targets: [{ kind: "user", userId: "nobody" }] }],
        repeatCount: "0",
      },
      [
        { path: "/steps/0/delayMinutes", message: "must be a whole number" },
        { path: "/repeatCount", message: "must be a whole number" },
      ],
      "steps[0].delayMinutes must be a whole number; repeatCount must be a whole number",
    );
  });

  it("POST …/reassign: one id where a list is expected is not wrapped into a list", async () => {
    await refused(
      "POST",
      "/api/v1/incidents/1/reassign",
      { userIds: "someone" },
      [{ path: "/userIds", message: "must be a list" }],
      "userIds must be a list",
    );
  });

  it('PATCH /api/v1/users/:id: "false" for disabled is refused, not read as false', async () => {
    const user = await fb.user("viewer");
    await refused(
      "PATCH",
      `/api/v1/users/${user.id}`,
      { disabled: "false", name: 42 },
      [
        { path: "/name", message: "must be text" },
        { path: "/disabled", message: "must be true or false" },
      ],
      "name must be text; disabled must be true or false",
    );
  });

  it("GET /api/v1/audit-log: the query string's limit is still read as a number", async () => {
    for (const name of ["audit-a", "audit-b", "audit-c"])
      assert.equal((await send("POST", "/api/v1/services", { name })).statusCode, 201);
    const res = await send("GET", "/api/v1/audit-log?limit=2");
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as unknown[]).length, 2);

    const bad = await send("GET", "/api/v1/audit-log?limit=two");
    const problem = assertProblem(bad, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "querystring /limit", message: "must be a whole number" }]);
    assert.equal(problem.detail, "query parameter limit must be a whole number");
  });

  it("GET /api/v1/trades: the query string's mine=false is still read as false", async () => {
    // Text there would be refused as "must be true or false"; false lists every trade (none yet).
    const res = await send("GET", "/api/v1/trades?mine=false");
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), []);
  });
});
