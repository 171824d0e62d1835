import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WORDING } from "../../src/http/validation-wording.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

/**
 * The schema check answers every client (console, CLI, scripts) in plain words, naming every bad
 * field at once; the paths stay the instance paths clients place errors by.
 */
describe("validation problems in plain words", () => {
  let fb: TestFirebreak;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak();
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb.close());

  const send = (method: "GET" | "POST", url: string, payload?: object) =>
    fb.http.inject({ method, url, headers: bearer(adminKey), ...(payload !== undefined && { payload }) });

  it("POST /api/v1/users: a missing name, an unknown role, a number for text and an unknown field", async () => {
    const res = await send("POST", "/api/v1/users", {
      email: "new.person@example.com",
      role: "root",
      password: 12345678901234,
      colour: "red",
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(
      [...(problem.errors ?? [])].sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: "/colour", message: "is not a known field" },
        { path: "/name", message: "is required" },
        { path: "/password", message: "must be text" },
        { path: "/role", message: "must be one of viewer, responder, admin" },
      ],
      // A JSON body is taken as sent: the number is not quietly made the text "12345678901234".
    );
    for (const said of [
      "colour is not a known field",
      "name is required",
      "password must be text",
      "role must be one of viewer, responder, admin",
    ])
      assert.ok(problem.detail.includes(said), `${problem.detail} says ${said}`);
  });

  it("POST /api/v1/api-keys: a name too long, said with its limit", async () => {
    const res = await send("POST", "/api/v1/api-keys", { name: "k".repeat(201), role: "viewer" });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "/name", message: "must be at most 200 characters" }]);
    assert.equal(problem.detail, "name must be at most 200 characters");
  });

  it("POST …/triage: severity and level once each with their choices, a wrong type named", async () => {
    const res = await send("POST", "/api/v1/incidents/1/triage", {
      severity: "SEV9",
      level: "meltdown",
      onCallCanHandle: "perhaps",
      handlerId: "",
    });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [
      { path: "/severity", message: "must be one of SEV1, SEV2, SEV3, SEV4" },
      { path: "/level", message: "must be one of degradation, data-corruption, outage" },
      { path: "/onCallCanHandle", message: "must be true or false" },
      { path: "/handlerId", message: "can't be empty" },
    ]);
    assert.equal(
      problem.detail,
      "severity must be one of SEV1, SEV2, SEV3, SEV4; level must be one of degradation, data-corruption, outage; " +
        "onCallCanHandle must be true or false; handlerId can't be empty",
    );
  });

  it("POST …/reassign: an empty list", async () => {
    const res = await send("POST", "/api/v1/incidents/1/reassign", { userIds: [] });
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "/userIds", message: "needs at least one entry" }]);
  });

  it("GET /api/v1/audit-log: a query parameter, named as one", async () => {
    const res = await send("GET", "/api/v1/audit-log?limit=9999");
    const problem = assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(problem.errors, [{ path: "querystring /limit", message: "must be at most 500" }]);
    assert.equal(problem.detail, "query parameter limit must be at most 500");
  });

  it("says a body that is not an object once, as the request body", async () => {
    for (const url of ["/api/v1/api-keys", "/api/v1/users", "/api/v1/incidents/1/triage"]) {
      const problem = assertProblem(await send("POST", url, ["not", "an object"]), 400, "VALIDATION");
      assert.equal(problem.detail, "the request body must be an object", url);
      assert.deepEqual(problem.errors, [{ path: "/", message: "must be an object" }], url);
    }
  });

  it("never answers in the validator's own words", async () => {
    const bodies: Array<[string, object]> = [
      ["/api/v1/users", { email: 1, name: [], role: 2, password: {}, x: 1 }],
      ["/api/v1/api-keys", ["not", "an object"]],
      ["/api/v1/incidents/1/triage", { severity: 1, level: null, onCallCanHandle: 1, callIn: "x" }],
      ["/api/v1/incidents/1/reassign", { userIds: Array.from({ length: 51 }, () => "") }],
    ];
    for (const [url, payload] of bodies) {
      const res = await send("POST", url, payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.doesNotMatch(
        res.body,
        /must NOT|must have required|equal to|allowed values|must match|additional prop/,
      );
    }
  });

  it("has words for every validation keyword in the API's request schemas", async () => {
    const doc = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as OpenApi;
    const used = new Set<string>();
    for (const operations of Object.values(doc.paths))
      for (const operation of Object.values(operations)) {
        for (const p of operation.parameters ?? []) keywordsOf(p.schema, used);
        for (const content of Object.values(operation.requestBody?.content ?? {}))
          keywordsOf(content.schema, used);
      }
    assert.ok(used.has("maxLength") && used.has("anyOf"), "the walk found the schemas");
    assert.deepEqual(
      [...used].filter((k) => !(k in WORDING)),
      [],
      "keywords without plain words",
    );
  });
});

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ schema?: unknown }>;
        requestBody?: { content?: Record<string, { schema?: unknown }> };
      }
    >
  >;
}

// The keywords ajv reports an error of their own for; the others only hold schemas.
const FAILING_KEYWORDS = new Set([
  ...Object.keys(WORDING),
  "not",
  "if",
  "contains",
  "minContains",
  "maxContains",
  "dependentRequired",
  "dependencies",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "additionalItems",
]);
const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas"];
const SCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"];
const SCHEMAS = ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"];

/** Walks a schema as a validator does, so a property named `format` is not taken for the keyword. */
function keywordsOf(schema: unknown, found: Set<string>): void {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  for (const key of Object.keys(s)) if (FAILING_KEYWORDS.has(key)) found.add(key);
  for (const key of SCHEMA_MAPS)
    for (const sub of Object.values((s[key] as object) ?? {})) keywordsOf(sub, found);
  for (const key of SCHEMA_LISTS) for (const sub of (s[key] as unknown[]) ?? []) keywordsOf(sub, found);
  for (const key of SCHEMAS) {
    const sub = s[key];
    if (Array.isArray(sub)) for (const item of sub) keywordsOf(item, found);
    else keywordsOf(sub, found);
  }
}
