import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

interface Schema {
  readonly description?: string;
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
}
interface Response {
  readonly description?: string;
  readonly content?: Record<string, { schema?: Schema & { $ref?: string } }>;
}
interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly Record<string, unknown>[];
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> };
  readonly responses?: Record<string, Response>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * Probes and fixed answers that take anything and so can refuse nothing: no client error to document.
 * A new route without a 4xx fails the test until it documents one (or, if it truly has none, joins here).
 */
const ANSWERS_ANYONE = [
  "GET /healthz",
  "GET /readyz",
  "GET /metrics",
  "GET /api/v1/status",
  "GET /api/v2/status",
  // The sign-in page's "is setup still pending?": public, no parameters, nothing to refuse.
  "GET /api/v1/auth/setup",
];

/** The alert path: where alerts come in, how they page, and what people do with incidents. */
const ALERT_PATH_TAGS = [
  "ingest",
  "services",
  "integrations",
  "maintenance windows",
  "escalation policies",
  "incidents",
  "action links",
];

/** Endpoints that speak their sender's protocol, so their errors keep its format (ADR 0005's exceptions). */
const OWN_ERROR_FORMAT = /^(\/int\/\{key\})?\/api\/v2\/|^\/v2\/|^\/actions\//;

/** Fields of a body (each branch of a union, each item of an array) that do not say what they are. */
function undescribedFields(schema: Schema | undefined, at = ""): string[] {
  if (!schema) return [];
  if (schema.anyOf) return schema.anyOf.flatMap((branch) => undescribedFields(branch, at));
  if (schema.items) return undescribedFields(schema.items, `${at}[]`);
  const isTag = (field: Schema) => field.const !== undefined || field.enum?.length === 1;
  return Object.entries(schema.properties ?? {})
    .filter(([, field]) => !field.description && !isTag(field))
    .map(([name]) => `${at}/${name}`);
}

describe("the OpenAPI document, as a user reads it", () => {
  let fb: TestFirebreak;
  let operations: Array<{ name: string; path: string; op: Operation }>;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    const res = await fb.http.inject({ method: "GET", url: "/openapi.json" });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as Document;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })),
    );
  });
  after(() => fb?.close());

  const onAlertPath = () =>
    operations.filter(({ op }) => op.tags?.some((tag) => ALERT_PATH_TAGS.includes(tag)));

  it("every operation has a summary", () => {
    assert.ok(operations.length > 100, `${operations.length} operations`);
    assert.deepEqual(
      operations.filter(({ op }) => !op.summary?.trim()).map((o) => o.name),
      [],
    );
  });

  it("every operation documents at least one client error (4xx), but the probes that answer anyone", () => {
    const without = operations
      .filter(({ op }) => !Object.keys(op.responses ?? {}).some((status) => status.startsWith("4")))
      .map((o) => o.name);
    assert.deepEqual(without.sort(), [...ANSWERS_ANYONE].sort());
  });

  it("every operation of the alert path says what it does, with a description", () => {
    assert.ok(onAlertPath().length >= 35, `${onAlertPath().length} operations on the alert path`);
    assert.deepEqual(
      onAlertPath()
        .filter(({ op }) => (op.description?.trim().length ?? 0) < 30)
        .map((o) => o.name),
      [],
    );
  });

  it("the alert path's request bodies describe each field", () => {
    const missing = onAlertPath().flatMap(({ name, op }) =>
      undescribedFields(op.requestBody?.content?.["application/json"]?.schema).map((f) => `${name} ${f}`),
    );
    assert.deepEqual(missing, []);
  });

  it("the alert path's answers say when they happen, errors in problem+json but where a sender's protocol rules", () => {
    const problems: string[] = [];
    for (const { name, path, op } of onAlertPath()) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!response.description || response.description === "Default Response")
          problems.push(`${name} ${status}: no description`);
        const isError = Number(status) >= 400;
        const problemJson = response.content?.["application/problem+json"]?.schema?.$ref;
        if (isError && !OWN_ERROR_FORMAT.test(path) && problemJson !== "#/components/schemas/Problem")
          problems.push(`${name} ${status}: not problem+json`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("PagerDuty's endpoints answer in PagerDuty's own shapes", () => {
    for (const path of ["/v2/enqueue", "/v2/change/enqueue"]) {
      const op = operations.find((o) => o.name === `POST ${path}`)?.op;
      assert.ok(op?.responses?.["202"], `${path}: 202`);
      for (const status of ["400", "403", "413", "429", "503"]) {
        const schema: Schema | undefined = op.responses?.[status]?.content?.["application/json"]?.schema;
        assert.deepEqual(
          Object.keys(schema?.properties ?? {}).sort(),
          ["errors", "message", "status"],
          `${path} ${status}`,
        );
      }
    }
  });

  it("ingest endpoints ask for no API key: the integration's key is in the URL, the body or the bearer token", () => {
    const asking = operations
      .filter(({ op }) => op.tags?.includes("ingest"))
      .filter(({ op }) => op.security === undefined || op.security.some((s) => !("integrationKey" in s)))
      .map((o) => o.name);
    assert.deepEqual(asking, []);
  });
});
