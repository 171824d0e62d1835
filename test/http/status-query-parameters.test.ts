import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { alertmanagerBody, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

/**
 * A misspelt query parameter (`?stat=open` for `state`) on a read of /api/v1 is a 400 that names it
 * and lists what the route takes, so the caller sees the typo instead of an unfiltered answer. The
 * senders of alerts and check-ins, and public reads that other programs fetch, are never refused for
 * a parameter they add.
 */
describe("unknown query parameters", () => {
  let s: ResponseScenario;
  let admin: Client;

  before(async () => {
    s = await startResponseScenario("sqlite");
    admin = client(s.fb, { key: await s.fb.apiKey("admin") });
  });
  after(() => s.close());

  it("on a read of /api/v1: a 400 naming each unknown one and listing the known ones", async () => {
    const problem = assertProblem(
      await admin.get("/api/v1/incidents?stat=open&limit=5&servce=x"),
      400,
      "VALIDATION",
    );
    const message = "is not a known field: this route takes state, service, limit, before";
    assert.deepEqual(problem.errors, [
      { path: "querystring /stat", message },
      { path: "querystring /servce", message },
    ]);
    assert.equal(problem.detail, `query parameter stat ${message}; query parameter servce ${message}`);
  });

  it("on a read that takes none: says so", async () => {
    for (const url of [
      "/api/v1/channels?name=checkout",
      "/api/v1/teams?x=1",
      "/api/v1/system/jobs?verbose=1",
    ]) {
      const problem = assertProblem(await admin.get(url), 400, "VALIDATION");
      assert.match(problem.detail ?? "", /is not a known field: this route takes no query parameters$/, url);
    }
  });

  it("on HEAD as on GET", async () => {
    const res = await s.fb.http.inject({
      method: "HEAD",
      url: "/api/v1/incidents?stat=open",
      headers: { authorization: `Bearer ${await s.fb.apiKey("viewer")}` },
    });
    assert.equal(res.statusCode, 400);
  });

  it("still answers the parameters a route declares", async () => {
    for (const url of [
      "/api/v1/incidents?state=triggered&limit=5",
      "/api/v1/audit-log?limit=1&entityType=service",
    ]) {
      const res = await admin.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    }
  });

  it("never refuses an alert sender or a check-in for a parameter it adds", async () => {
    const alert = await s.fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${s.integrationKey}?source=prod&foo=1`,
      payload: alertmanagerBody("QueryParameters", "0123456789abcdef", s.clock.now()),
    });
    assert.ok(alert.statusCode < 300, alert.body);
    const made = await admin.post(`/api/v1/services/${s.serviceId}/integrations`, { kind: "heartbeat" });
    const { key } = made.json() as { key: string };
    for (const method of ["GET", "POST"] as const) {
      const checkIn = await s.fb.http.inject({ method, url: `/heartbeat/${key}?host=db-7&ts=1` });
      assert.ok(checkIn.statusCode < 300, `${method}: ${checkIn.body}`);
    }
  });

  it("leaves the public build information and calendar feeds taking what other programs add", async () => {
    const status = await s.fb.http.inject({ method: "GET", url: "/api/v1/status?stat=open" });
    assert.equal(status.statusCode, 200, status.body);
    const feed = await s.fb.http.inject({ method: "GET", url: "/api/v1/calendars/nope.ics?nocache=1" });
    assertProblem(feed, 404, "NOT_FOUND");
  });
});
