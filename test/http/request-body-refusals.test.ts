import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

const MIB = 1024 * 1024;
const GZIP_REFUSED = "Content-Encoding gzip is not supported; send the body uncompressed";

// Both refusals come before the store is touched, so one dialect is enough (SQLite, the default).
describe("bodies refused before they are read say why: a Content-Encoding, a size", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "request bodies",
      kinds: ["webhook", "alertmanager", "prometheus", "pagerduty", "heartbeat"],
    });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb?.close());

  const event = () => ({ summary: "Disk almost full", dedup_key: "request-bodies-1" });
  const pagerDutyEvent = () => ({
    routing_key: ingest.keys.pagerduty,
    event_action: "trigger",
    dedup_key: "request-bodies-pd",
    payload: { summary: "Disk almost full", source: "db-7", severity: "critical" },
  });

  const storedAlerts = () =>
    fb.running.deps.uow.read(
      async (tx) => (await tx.alerts.list({ serviceId: ingest.service.id, limit: 100 })).length,
    );

  const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
    fb.http.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json", ...headers },
      payload,
    });

  describe("a body with a Content-Encoding is a 415 naming it, in each route's own format", () => {
    const gzip = { "content-encoding": "gzip" };

    it("the JSON webhook and the Alertmanager webhook: problem+json, gzip or a false gzip header", async () => {
      for (const url of [
        `/integrations/webhook/${ingest.keys.webhook}`,
        `/integrations/alertmanager/${ingest.keys.alertmanager}`,
      ]) {
        const json = JSON.stringify(
          url.includes("webhook/") ? event() : { alerts: [{ labels: { a: "b" } }] },
        );
        for (const payload of [gzipSync(json), json]) {
          const problem = assertProblem(await post(url, payload, gzip), 415, "UNSUPPORTED_MEDIA_TYPE");
          assert.equal(problem.detail, GZIP_REFUSED);
        }
      }
      assert.equal(await storedAlerts(), 0, "nothing was stored");
    });

    it("the key as a bearer token, and other codings, named as sent", async () => {
      const res = await post("/integrations/webhook", gzipSync(JSON.stringify(event())), {
        ...bearer(ingest.keys.webhook!),
        "content-encoding": "br, gzip",
      });
      assert.equal(
        assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail,
        "Content-Encoding br, gzip is not supported; send the body uncompressed",
      );
    });

    it("Alertmanager API v2: plain text", async () => {
      const res = await post(
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        gzipSync(JSON.stringify([{ labels: { alertname: "x" } }])),
        gzip,
      );
      assert.equal(res.statusCode, 415);
      assert.match(String(res.headers["content-type"]), /^text\/plain/);
      assert.equal(res.body, `${GZIP_REFUSED}\n`);
    });

    it("PagerDuty's /v2/enqueue and /v2/change/enqueue: PagerDuty's error body", async () => {
      for (const url of ["/v2/enqueue", "/v2/change/enqueue"]) {
        const res = await post(url, gzipSync(JSON.stringify(pagerDutyEvent())), gzip);
        assert.equal(res.statusCode, 415, res.body);
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        assert.deepEqual(res.json(), {
          status: "invalid event",
          message: "Event object is invalid",
          errors: [GZIP_REFUSED],
        });
      }
      assert.equal(await storedAlerts(), 0, "nothing was stored");
    });

    it("the API: problem+json, and nothing is made", async () => {
      const res = await post("/api/v1/services", gzipSync(JSON.stringify({ name: "gzipped" })), {
        ...bearer(adminKey),
        ...gzip,
      });
      assert.equal(assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail, GZIP_REFUSED);
      const named = await fb.http.inject({
        method: "GET",
        url: "/api/v1/services/gzipped",
        headers: bearer(adminKey),
      });
      assertProblem(named, 404, "NOT_FOUND");
    });

    it("identity is no encoding, a request without a body is not refused, and a check-in's body is not read", async () => {
      const identity = await post(`/integrations/webhook/${ingest.keys.webhook}`, JSON.stringify(event()), {
        "content-encoding": "identity",
      });
      assert.equal(identity.statusCode, 200, identity.body);
      const read = await fb.http.inject({
        method: "GET",
        url: "/api/v1/services",
        headers: { ...bearer(adminKey), ...gzip },
      });
      assert.equal(read.statusCode, 200, read.body);
      const checkIn = await post(`/heartbeat/${ingest.keys.heartbeat}`, gzipSync("backup done"), gzip);
      assert.equal(checkIn.statusCode, 200, checkIn.body);
    });
  });

  describe("a body over the limit is a 413 naming the limit, its setting and the body's size", () => {
    it("ingestion names its fixed 5 MiB: a 6.1 MB array to the JSON webhook", async () => {
      const array = JSON.stringify(
        Array.from({ length: 61_000 }, (_, i) => ({ summary: "x".repeat(80), dedup_key: `big-${i}` })),
      );
      assert.ok(array.length > 6_100_000);
      const res = await post(`/integrations/webhook/${ingest.keys.webhook}`, array);
      const size = `${Math.round((array.length / MIB) * 10) / 10} MiB`;
      assert.equal(
        assertProblem(res, 413, "PAYLOAD_TOO_LARGE").detail,
        `the body is larger than this endpoint takes (5 MiB); it is ${size}`,
      );
      const v2 = await post(`/int/${ingest.keys.prometheus}/api/v2/alerts`, array);
      assert.equal(v2.statusCode, 413);
      assert.equal(v2.body, `the body is larger than this endpoint takes (5 MiB); it is ${size}\n`);
    });

    it("the API names its limit and FIREBREAK_BODY_LIMIT_BYTES: 2 MB to /api/v1/escalation-policies", async () => {
      const res = await post(
        "/api/v1/escalation-policies",
        JSON.stringify({ name: "x".repeat(2_000_000), steps: [] }),
        bearer(adminKey),
      );
      assert.equal(
        assertProblem(res, 413, "PAYLOAD_TOO_LARGE").detail,
        "the body is larger than this endpoint takes (1 MiB; FIREBREAK_BODY_LIMIT_BYTES); it is 1.9 MiB",
      );
    });

    it("a body just over a round limit says its exact size", async () => {
      const payload = JSON.stringify([{ summary: "x".repeat(5 * MIB) }]).slice(0, 5 * MIB + 1);
      const res = await post(`/integrations/webhook/${ingest.keys.webhook}`, payload);
      assert.equal(
        assertProblem(res, 413, "PAYLOAD_TOO_LARGE").detail,
        `the body is larger than this endpoint takes (5 MiB); it is ${5 * MIB + 1} bytes`,
      );
    });
  });
});

describe("ingestion's limit is not the API's setting, even when they are equal", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let adminKey: string;

  before(async () => {
    fb = await startTestFirebreak({
      startEngine: false,
      env: { FIREBREAK_BODY_LIMIT_BYTES: String(5 * 1024 * 1024) },
    });
    ingest = await createIngestService(fb.running.deps, { name: "equal limits", kinds: ["webhook"] });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb?.close());

  it("names FIREBREAK_BODY_LIMIT_BYTES on the API only", async () => {
    const payload = "[" + " ".repeat(6 * MIB) + "]";
    const send = (url: string) =>
      fb.http.inject({
        method: "POST",
        url,
        headers: { ...bearer(adminKey), "content-type": "application/json" },
        payload,
      });
    const api = assertProblem(await send("/api/v1/services"), 413, "PAYLOAD_TOO_LARGE");
    assert.equal(
      api.detail,
      "the body is larger than this endpoint takes (5 MiB; FIREBREAK_BODY_LIMIT_BYTES); it is 6 MiB",
    );
    const webhook = assertProblem(
      await send(`/integrations/webhook/${ingest.keys.webhook}`),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    assert.equal(webhook.detail, "the body is larger than this endpoint takes (5 MiB); it is 6 MiB");
  });
});
