import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { describeEachDialect } from "../support/dialects.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { assertProblem } from "./problem-assertions.js";

/**
 * Many API clients send `Content-Type: application/json` on every request, a DELETE's too: an empty
 * body with it is no body, as without the header. A route that needs a body still says so.
 */
describeEachDialect("an empty body with a JSON Content-Type", (dialect) => {
  let s: ResponseScenario;
  let adminKey: string;

  before(async () => {
    s = await startResponseScenario(dialect);
    const dee = await s.person("admin", "Dee");
    adminKey = (await createApiKey(s.fb.running.deps, dee.caller, { name: "dee", role: "admin" })).token;
  });
  after(() => s.close());

  const send = (
    method: "POST" | "DELETE",
    url: string,
    payload: string | undefined,
    contentType: string | undefined = "application/json",
  ) =>
    s.fb.http.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(contentType !== undefined && { "content-type": contentType }),
      },
      ...(payload !== undefined && { payload }),
    });

  const vendor = async (name: string) => {
    const res = await s.fb.http.inject({
      method: "POST",
      url: "/api/v1/vendors",
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { name },
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };

  const bodiesOfNothing: Array<[label: string, payload: string, contentType: string]> = [
    ["nothing", "", "application/json"],
    ["nothing, with a charset", "", "application/json; charset=utf-8"],
    ["a line break", "\r\n", "application/json"],
  ];
  for (const [label, payload, contentType] of bodiesOfNothing)
    it(`DELETE with ${label} and ${contentType} deletes`, async () => {
      const id = await vendor(`Acme ${label} ${contentType}`);
      const res = await send("DELETE", `/api/v1/vendors/${id}`, payload, contentType);
      assert.equal(res.statusCode, 204, res.body);
      const again = await send("DELETE", `/api/v1/vendors/${id}`, payload, contentType);
      assertProblem(again, 404, "NOT_FOUND");
    });

  it("a POST whose route takes no body acts", async () => {
    const incident = await s.openIncident("EmptyJsonAck");
    const res = await send("POST", `/api/v1/incidents/${incident.id}/acknowledge`, "");
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { state: string }).state, "acknowledged");
  });

  it("a route that needs a body says it is required, as without the header", async () => {
    for (const [payload, contentType] of [
      ["", "application/json"],
      [" ", "application/json"],
      [undefined, undefined],
    ] as const) {
      const problem = assertProblem(
        await send("POST", "/api/v1/teams", payload, contentType),
        400,
        "VALIDATION",
      );
      assert.equal(problem.detail, "the request body is required");
      assert.deepEqual(problem.errors, [{ path: "/", message: "is required" }]);
    }
    // A body that is there but not an object is still said as such.
    const notAnObject = assertProblem(await send("POST", "/api/v1/teams", "[]"), 400, "VALIDATION");
    assert.equal(notAnObject.detail, "the request body must be an object");
    // JSON that is not JSON is still refused as such.
    assertProblem(await send("POST", "/api/v1/teams", "{"), 400, "VALIDATION");
  });

  it("a route that takes a missing body as its default still does", async () => {
    const created = await s.fb.http.inject({
      method: "POST",
      url: "/api/v1/schedules",
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { name: `Empty body ${dialect}`, timeZone: "UTC" },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = (created.json() as { id: string }).id;
    // "Take over myself until the current shift ends": the route made the missing body {}, and its use
    // case asks an API key (not a person signed in) whom the take-over is for.
    const res = await send("POST", `/api/v1/schedules/${id}/take-over`, "");
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(
      problem.errors?.map((e) => e.path),
      ["/userId"],
    );
  });

  it("an ingest endpoint's parser says what it needs, as without the header", async () => {
    const res = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}`,
      headers: { "content-type": "application/json" },
      payload: "",
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    // As for a request without any body: the parser's words, not Fastify's "Body cannot be empty".
    assert.equal(problem.detail, "the request body must be a JSON object");
  });
});
