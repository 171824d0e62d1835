import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../src/core/errors.js";
import { mapError, UNAVAILABLE_RETRY_AFTER_SECONDS } from "../../src/http/problem.js";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { whileAnotherWriterHoldsTheLock } from "../support/sqlite-write-lock.js";
import { assertProblem, bearer } from "./problem-assertions.js";

// A 503 says when to come back: senders that honour Retry-After (PagerDuty clients, HTTP libraries,
// load balancers) wait a few seconds instead of hammering a database that is restarting.

describe("Retry-After on 503 answers", () => {
  it("the one mapper adds it to UNAVAILABLE, keeps an error's own, and adds none elsewhere", () => {
    const header = (err: unknown) => mapError(err, "r").headers["retry-after"];
    assert.equal(header(new AppError("UNAVAILABLE", "the database cannot be reached; try again")), "5");
    assert.equal(UNAVAILABLE_RETRY_AFTER_SECONDS, 5);
    assert.equal(header(new AppError("UNAVAILABLE", "later", { retryAfterSeconds: 30 })), "30");
    assert.equal(header(new AppError("RATE_LIMITED", "slow down", { retryAfterSeconds: 7 })), "7");
    assert.equal(header(new AppError("CONFLICT", "again")), undefined);
    assert.equal(header(new Error("boom")), undefined);
  });

  describe("sqlite: every format, while another process holds the write lock", () => {
    let fb: TestFirebreak;
    let ingest: IngestService;
    let adminKey: string;

    before(async () => {
      fb = await startTestFirebreak({ startEngine: false });
      ingest = await createIngestService(fb.running.deps, {
        name: "retry-after",
        kinds: ["prometheus", "pagerduty", "alertmanager"],
      });
      adminKey = await fb.apiKey("admin");
    });
    after(() => fb?.close());

    const firing = { labels: { alertname: "Busy" }, startsAt: "2026-12-04T00:00:00Z" };
    const requests = () => [
      {
        format: "problem+json (REST API)",
        url: "/api/v1/services",
        payload: { name: "made while busy" },
        headers: bearer(adminKey),
        body: /"code":"UNAVAILABLE"/,
      },
      {
        format: "problem+json (Alertmanager webhook)",
        url: `/integrations/alertmanager/${ingest.keys.alertmanager}`,
        payload: {
          version: "4",
          groupKey: "{}:{}",
          status: "firing",
          receiver: "firebreak",
          alerts: [{ status: "firing", fingerprint: "fp-busy", ...firing }],
        },
        body: /"code":"UNAVAILABLE"/,
      },
      {
        format: "PagerDuty's body",
        url: "/v2/enqueue",
        payload: {
          routing_key: ingest.keys.pagerduty,
          event_action: "trigger",
          dedup_key: "busy",
          payload: { summary: "busy", source: "test", severity: "critical" },
        },
        body: /^\{"status":"error","message":"the database is busy/,
      },
      {
        format: "Alertmanager API v2's text",
        url: `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        payload: [firing],
        body: /^the database is busy with another writer; try again\n$/,
      },
    ];

    it("problem+json, PagerDuty's body and Alertmanager's text all carry Retry-After", async () => {
      const store = fb.running.config.store;
      const file = store.kind === "sqlite" ? store.file : "";
      await whileAnotherWriterHoldsTheLock(fb.running.store.handle.db, file, async () => {
        for (const { format, body, ...request } of requests()) {
          const res = await fb.http.inject({ method: "POST", ...request });
          assert.equal(res.statusCode, 503, `${format}: ${res.body}`);
          assert.match(res.body, body, format);
          assert.equal(res.headers["retry-after"], "5", format);
          if (format.startsWith("problem+json")) assertProblem(res, 503, "UNAVAILABLE");
        }
      });
    });
  });
});
