import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createLogger } from "../../src/server/logger.js";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

/** Asserts that a secret appears nowhere in an answer: not in its body, not in any header. */
function assertSecretFree(res: LightMyRequestResponse, secret: string): void {
  assert.ok(secret.length >= 16, "a real secret, long enough not to match by chance");
  assert.ok(!res.body.includes(secret), `the body holds the secret: ${res.body.slice(0, 500)}`);
  const headers = JSON.stringify(res.headers);
  assert.ok(!headers.includes(secret), `a header holds the secret: ${headers}`);
}

// Errors the router raises before any route runs (bad percent-encoding, a path segment too long) are
// answered in the format the sender reads, and never repeat the key or token of the path or query.
describe("router errors: no secrets, no huge paths", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let adminKey: string;
  let calendarToken: string;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "router-errors",
      kinds: ["webhook", "alertmanager", "prometheus", "heartbeat"],
    });
    adminKey = await fb.apiKey("admin");
    const person = await fb.user("responder");
    const { cookie } = await fb.signIn(person.email, person.password);
    const feed = await fb.http.inject({
      method: "GET",
      url: "/api/v1/me/calendar-feed",
      headers: { cookie },
    });
    assert.equal(feed.statusCode, 200, feed.body);
    calendarToken = /\/calendars\/(fbc_[^/.]+)\.ics$/.exec(feed.json<{ url: string }>().url)?.[1] ?? "";
    assert.ok(calendarToken, feed.body);
  });
  after(() => fb.close());

  const keyOf = (kind: "webhook" | "alertmanager" | "prometheus" | "heartbeat") => ingest.keys[kind] ?? "";

  describe("bad percent-encoding is a 400 that shows the path without its secret", () => {
    const cases = () => [
      { url: `/integrations/webhook/${keyOf("webhook")}%zz`, secret: keyOf("webhook") },
      { url: `/heartbeat/${keyOf("heartbeat")}%zz`, secret: keyOf("heartbeat") },
      { url: `/integrations/alertmanager/${keyOf("alertmanager")}%C0%AF`, secret: keyOf("alertmanager") },
      { url: `/api/v1/calendars/${calendarToken}%zz.ics`, secret: calendarToken },
    ];

    it("in problem+json: detail and instance say <secret> where the key was", async () => {
      for (const { url, secret } of cases()) {
        const res = await fb.http.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/json" },
          payload: "{}",
        });
        const problem = assertProblem(res, 400, "VALIDATION");
        assertSecretFree(res, secret);
        assert.match(problem.instance ?? "", /\/<secret>$/, url);
        assert.match(problem.detail, /^the path \/\S+\/<secret> is not valid: each % must start an escape/);
      }
    });

    it("in plain text on /int/<key>/api/v2/alerts, which Alertmanager and Prometheus log", async () => {
      const key = keyOf("prometheus");
      const res = await fb.http.inject({
        method: "POST",
        url: `/int/${key}%zz/api/v2/alerts`,
        headers: { "content-type": "application/json" },
        payload: "[]",
      });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers["content-type"]), /^text\/plain/);
      assertSecretFree(res, key);
      assert.match(res.body, /^the path \/int\/<secret>\/api\/v2\/alerts is not valid/);
    });

    it("never repeats a secret of the query string either", async () => {
      const token = "fbsp_query-secret-0123456789";
      const res = await fb.http.inject({ method: "GET", url: `/status/acme%zz?token=${token}` });
      const problem = assertProblem(res, 400, "VALIDATION");
      assertSecretFree(res, token);
      assert.equal(problem.instance, "/status/acme%zz");
    });
  });

  describe("a path segment over the router's limit is a 414 that does not echo the path", () => {
    it("says URI too long in few words, without the key", async () => {
      const key = keyOf("heartbeat");
      const res = await fb.http.inject({ method: "POST", url: `/heartbeat/${key}${"a".repeat(5000)}` });
      const problem = assertProblem(res, 414, "URI_TOO_LONG");
      assert.equal(problem.title, "URI too long");
      assert.equal(problem.type, "urn:firebreak:problem:uri-too-long");
      assert.equal(
        problem.detail,
        "a segment of the path is longer than the 1024 characters this server takes",
      );
      assert.equal(problem.instance, "/heartbeat/<secret>");
      assertSecretFree(res, key);
      assert.ok(res.body.length < 1024, `a short answer, not the path again: ${res.body.length} bytes`);
    });

    it("cuts a long path that holds no secret to a few hundred characters", async () => {
      const res = await fb.http.inject({ method: "GET", url: `/api/v1/services/${"b".repeat(5000)}` });
      const problem = assertProblem(res, 414, "URI_TOO_LONG");
      assert.ok((problem.instance ?? "").length <= 201, problem.instance);
      assert.ok(problem.instance?.startsWith("/api/v1/services/bbb"));
      assert.ok(res.body.length < 1024, `${res.body.length} bytes`);
    });

    it("answers Alertmanager's API in plain text", async () => {
      const key = keyOf("prometheus");
      const res = await fb.http.inject({
        method: "POST",
        url: `/int/${key}${"a".repeat(2000)}/api/v2/alerts`,
        headers: { "content-type": "application/json" },
        payload: "[]",
      });
      assert.equal(res.statusCode, 414);
      assert.match(String(res.headers["content-type"]), /^text\/plain/);
      assert.equal(res.body, "a segment of the path is longer than the 1024 characters this server takes\n");
      assertSecretFree(res, key);
    });
  });

  describe("an integration's id and action in the API are shown as sent: they are no secrets", () => {
    it("names the action in a 404's instance and in the request log", async () => {
      const id = "01HZX0DELETEDINTEGRATION00";
      for (const action of ["rotate-key", "enable", "disable"]) {
        const res = await fb.http.inject({
          method: "POST",
          url: `/api/v1/integrations/${id}/${action}`,
          headers: bearer(adminKey),
        });
        const problem = assertProblem(res, 404, "NOT_FOUND");
        assert.equal(problem.instance, `/api/v1/integrations/${id}/${action}`);
      }
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      });
      const logger = createLogger({ logLevel: "info" }, destination);
      logger.info({ req: { method: "POST", url: `/api/v1/integrations/${id}/rotate-key` } }, "request");
      logger.info({ req: { method: "POST", url: `/integrations/webhook/${keyOf("webhook")}` } }, "request");
      assert.match(lines[0] ?? "", new RegExp(`"url":"/api/v1/integrations/${id}/rotate-key"`));
      assert.match(lines[1] ?? "", /"url":"\/integrations\/webhook\/<secret>"/);
    });

    it("still cuts the key of an ingest path whose prefix is percent-encoded (the router decodes it)", async () => {
      const key = keyOf("heartbeat");
      const res = await fb.http.inject({ method: "PUT", url: `/h%65artbeat/${key}` });
      const problem = assertProblem(res, 405, "METHOD_NOT_ALLOWED");
      assertSecretFree(res, key);
      assert.equal(problem.instance, "/heartbeat/<secret>");
    });
  });
});
