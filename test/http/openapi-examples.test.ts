import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { IntegrationKind } from "../../src/core/alerts/records.js";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { bearer } from "./problem-assertions.js";
import { swaggerExampleBody, type Operation } from "./swagger-example.js";

interface Document {
  paths: Record<string, Record<string, Operation>>;
}

/** The integration kind whose key each ingest path takes. */
const KIND_BY_PATH: Array<[RegExp, IntegrationKind]> = [
  [/^\/integrations\/alertmanager/, "alertmanager"],
  [/^\/integrations\/webhook/, "webhook"],
  [/\/api\/v2\/alerts$/, "prometheus"],
  [/^\/v2\//, "pagerduty"],
  [/^\/heartbeat\//, "heartbeat"],
];

// /docs's "Try it out" sends the body Swagger UI builds from /openapi.json; with only the key filled
// in (in the path, the bearer token or routing_key, as a person does), each route must accept it.
describeEachDialect("the example bodies /docs sends are accepted", (dialect) => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let document: Document;

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "openapi examples",
      kinds: KIND_BY_PATH.map(([, kind]) => kind),
    });
    document = (await fb.http.inject({ method: "GET", url: "/openapi.json" })).json() as Document;
  });
  after(() => fb?.close());

  /** Sends the operation's example as Swagger UI would, with the key of its kind where a person puts one. */
  const tryItOut = async (path: string, operation: Operation, headers: Record<string, string> = {}) => {
    const kind = KIND_BY_PATH.find(([pattern]) => pattern.test(path))?.[1];
    const key = kind === undefined ? "" : (ingest.keys[kind] ?? "");
    let body = swaggerExampleBody(operation, document as unknown as Record<string, unknown>);
    if (typeof body === "object" && body !== null && "routing_key" in body)
      body = { ...body, routing_key: key };
    const bySecurity = operation.security?.some((s) => "integrationKey" in s) ? bearer(key) : {};
    return fb.http.inject({
      method: "POST",
      url: path.replace("{key}", encodeURIComponent(key)),
      headers: {
        ...headers,
        ...bySecurity,
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  };

  it("every ingest POST route takes its example (Alertmanager, API v2, PagerDuty, webhook, heartbeat)", async () => {
    const ingestPosts = Object.entries(document.paths).flatMap(([path, operations]) =>
      operations.post?.tags?.includes("ingest") ? [[path, operations.post] as const] : [],
    );
    const paths = ingestPosts.map(([path]) => path).sort();
    assert.deepEqual(paths, [
      "/api/v2/alerts",
      "/heartbeat/{key}",
      "/int/{key}/api/v2/alerts",
      "/integrations/alertmanager",
      "/integrations/alertmanager/{key}",
      "/integrations/webhook",
      "/integrations/webhook/{key}",
      "/v2/change/enqueue",
      "/v2/enqueue",
    ]);
    for (const [path, operation] of ingestPosts) {
      const res = await tryItOut(path, operation);
      assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${path}: ${res.statusCode} ${res.body}`);
    }
  });

  it("the JSON webhook's example links to an absolute URL and says a severity, not 'string'", () => {
    const example = swaggerExampleBody(document.paths["/integrations/webhook/{key}"]!.post!) as {
      links: Array<{ href: string }>;
      severity: string;
    };
    assert.match(example.links[0]!.href, /^https:\/\//);
    assert.notEqual(example.severity, "string");
  });

  it("POST /api/v1/services and then POST /api/v1/incidents take theirs", async () => {
    const admin = bearer(await fb.apiKey("admin"));
    const service = await tryItOut("/api/v1/services", document.paths["/api/v1/services"]!.post!, admin);
    assert.equal(service.statusCode, 201, service.body);
    // The incident's example pages the service the services example made.
    const page = await tryItOut("/api/v1/incidents", document.paths["/api/v1/incidents"]!.post!, admin);
    assert.equal(page.statusCode, 201, page.body);
  });
});
