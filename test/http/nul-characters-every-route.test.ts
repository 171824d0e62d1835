import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import { findNulCharacters, NUL_CHARACTER } from "../../src/http/json-body.js";
import { describeEachDialect } from "../support/dialects.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";

interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, Schema>;
  readonly additionalProperties?: Schema | boolean;
  readonly patternProperties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly format?: string;
}
interface Operation {
  readonly tags?: readonly string[];
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Text with a NUL where a person or a script might have pasted one. */
const TEXT = "nul\u0000here";

/**
 * A body in the shape the schema describes, every free text (a value or a record's key) holding a
 * NUL: literals stay literals, numbers their minimum, a union its first branch that is not null,
 * times a time. `fixed` gives some fields a value of their own (an ingest body's routing key).
 */
function bodyOf(schema: Schema | undefined, fixed: Record<string, string>, depth = 0): unknown {
  if (!schema || depth > 12) return TEXT;
  if (schema.format === "date-time") return "2021-01-01T00:00:00Z";
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return bodyOf(union.find((b) => b.type !== "null") ?? union[0], fixed, depth + 1);
  const type = [schema.type ?? "string"].flat().find((t) => t !== "null") ?? "null";
  switch (type) {
    case "object": {
      const fields = Object.entries(schema.properties ?? {}).map(([k, v]) => [
        k,
        fixed[k] ?? bodyOf(v, fixed, depth + 1),
      ]);
      const values = [
        ...Object.values(schema.patternProperties ?? {}),
        ...(typeof schema.additionalProperties === "object" ? [schema.additionalProperties] : []),
      ];
      if (fields.length === 0 && values.length > 0) fields.push([TEXT, bodyOf(values[0], fixed, depth + 1)]);
      return Object.fromEntries(fields);
    }
    case "array":
      return [bodyOf(schema.items, fixed, depth + 1)];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return TEXT;
  }
}

/** Which integration each ingest route takes, by its path. */
const INGEST_KINDS: Array<[RegExp, IntegrationKind]> = [
  [/^\/integrations\/alertmanager/, "alertmanager"],
  [/^\/integrations\/webhook/, "webhook"],
  [/\/api\/v2\/alerts$/, "prometheus"],
  [/^\/v2\//, "pagerduty"],
];

/**
 * Every route that takes a JSON body, as /openapi.json lists them, sent a body whose text holds NUL:
 * none answers 5xx on either store; each one outside ingest names exactly the fields that hold it, and
 * each ingest route, sent its integration's key, stores the events (cleaned) as ever.
 */
describeEachDialect("a NUL in the body of every JSON route", (dialect) => {
  let s: ResponseScenario;
  let adminKey: string;
  const keys = new Map<IntegrationKind, string>();
  let operations: Array<{ method: string; path: string; op: Operation }>;

  before(async () => {
    s = await startResponseScenario(dialect);
    const dee = await s.person("admin", "Dee");
    adminKey = (await createApiKey(s.fb.running.deps, dee.caller, { name: "dee", role: "admin" })).token;
    for (const [, kind] of INGEST_KINDS) {
      const made = await createIntegration(s.fb.running.deps, setupCaller, { serviceId: s.serviceId, kind });
      keys.set(kind, made.key);
    }
    const doc = (await s.fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.["application/json"])
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  after(() => s.close());

  /** The request: a real incident and service where the path names one (any other id is not looked up first). */
  const requestFor = (method: string, path: string, op: Operation) => {
    const schema = op.requestBody?.content?.["application/json"]?.schema;
    const kind = op.tags?.includes("ingest") ? INGEST_KINDS.find(([p]) => p.test(path))?.[1] : undefined;
    const key = kind && keys.get(kind);
    const payload = bodyOf(schema, key ? { routing_key: key, href: "https://example.net/runbook" } : {});
    const url = path
      .replaceAll("{key}", key ?? "")
      .replaceAll("{ref}", "1")
      .replaceAll(/\{[^}]+\}/g, s.serviceId);
    return { method: method as "POST", url, payload, key, ingest: op.tags?.includes("ingest") ?? false };
  };

  it("finds the routes in the document", () => {
    assert.ok(operations.length >= 60, `${operations.length} routes with a JSON body`);
    assert.equal(operations.filter(({ op }) => op.tags?.includes("ingest")).length, 8);
  });

  it("answers none of them with a 5xx, names each NUL outside ingest and stores it on ingest", async () => {
    const failures: string[] = [];
    for (const { method, path, op } of operations) {
      const { url, payload, key, ingest } = requestFor(method, path, op);
      const res = await s.fb.http.inject({
        method: method as "POST",
        url,
        headers: { authorization: `Bearer ${key ?? adminKey}`, "content-type": "application/json" },
        payload: JSON.stringify(payload),
      });
      const said = `${method} ${path}: ${res.statusCode} ${res.body.slice(0, 300)}`;
      if (ingest) {
        if (res.statusCode >= 300) failures.push(said);
        continue;
      }
      const expected = findNulCharacters(payload).map((p) => ({ path: p, message: NUL_CHARACTER }));
      const errors = res.statusCode === 400 ? (res.json() as { errors?: unknown }).errors : undefined;
      if (res.statusCode >= 500 || (expected.length > 0 && !isDeepStrictEqual(errors, expected)))
        failures.push(said);
    }
    assert.deepEqual(failures, []);
  });
});
