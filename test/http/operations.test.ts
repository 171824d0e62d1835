import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

describe("operations endpoints", () => {
  let fb: TestFirebreak;
  before(async () => {
    fb = await startTestFirebreak();
  });
  after(() => fb.close());

  it("answers /healthz with 200 {status: ok} without credentials", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/healthz" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: "ok" });
    assert.ok(res.headers["x-request-id"]);
  });

  it("answers /readyz with 200 once the database is migrated", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/readyz" });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { status: string; checks: Record<string, string> };
    assert.equal(body.status, "ok");
    assert.ok(body.checks.database, "the database check is reported");
  });

  it("serves Prometheus text on /metrics with request durations and job gauges", async () => {
    await fb.http.inject({ method: "GET", url: "/healthz" });
    const res = await fb.http.inject({ method: "GET", url: "/metrics" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(res.body, /^http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} [1-9]/m);
    assert.match(res.body, /^# TYPE firebreak_jobs gauge$/m);
    assert.match(res.body, /^firebreak_jobs\{state="queued"\} \d+$/m);
    assert.match(res.body, /^firebreak_jobs_urgent_waiting \d+$/m);
  });

  it("reports the job queue to an admin, urgent jobs waiting for a slot included", async () => {
    const key = await fb.apiKey("admin");
    const res = await fb.http.inject({
      method: "GET",
      url: "/api/v1/system/jobs",
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as Record<string, number>;
    assert.deepEqual(Object.keys(body).sort(), ["failed", "overdue", "queued", "running", "urgentWaiting"]);
    assert.equal(body.urgentWaiting, 0);
    const viewer = await fb.apiKey("viewer");
    const denied = await fb.http.inject({
      method: "GET",
      url: "/api/v1/system/jobs",
      headers: { authorization: `Bearer ${viewer}` },
    });
    assert.equal(denied.statusCode, 403);
  });

  it("labels unmatched requests in metrics without the raw path", async () => {
    await fb.http.inject({ method: "GET", url: "/some/random/path-12345" });
    const res = await fb.http.inject({ method: "GET", url: "/metrics" });
    assert.ok(!res.body.includes("path-12345"), "raw paths would make the label set unbounded");
    assert.match(res.body, /route="unmatched"/);
  });

  it("publishes an OpenAPI 3.1 document that lists /api/v1/users", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/openapi.json" });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    };
    assert.match(doc.openapi, /^3\.1\./);
    assert.ok(doc.paths["/api/v1/users"], "lists /api/v1/users");
    assert.ok(doc.paths["/api/v1/users"]?.get && doc.paths["/api/v1/users"]?.post, "with GET and POST");
    assert.ok(doc.paths["/api/v1/users/{id}"]?.patch);
    assert.equal(doc.paths["/openapi.json"], undefined, "the document does not list itself");
  });

  it("serves the interactive API docs at /docs", async () => {
    let res = await fb.http.inject({ method: "GET", url: "/docs" });
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      const location = String(res.headers.location);
      res = await fb.http.inject({
        method: "GET",
        url: new URL(location, "http://localhost/docs/").pathname,
      });
    }
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /text\/html/);
    assert.match(res.body, /swagger/i);
  });

  it("answers the build information on /api/v1/status without credentials", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/api/v1/status" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().name, "firebreak");
    assert.match(res.json().version as string, /^\d+\.\d+\.\d+/);
  });
});
