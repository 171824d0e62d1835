import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { InjectOptions } from "fastify";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem } from "./problem-assertions.js";

// A check-in needs no body, and cron jobs send whatever their HTTP client sends: `curl -X POST -d ''`
// (a form), a log tail as text, no Content-Type at all. Each is a check-in; only the key matters.
describe("a heartbeat check-in, whatever the method, Content-Type and body", () => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  const clock = new FakeClock();

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false, clock });
    ingest = await createIngestService(fb.running.deps, { name: "nightly-backup", kinds: ["heartbeat"] });
  });
  after(() => fb.close());

  const lastCheckIn = async () =>
    (
      await fb.running.deps.uow.read((tx) => tx.integrations.findByKey(ingest.keys.heartbeat!))
    )?.lastCheckInAt?.toISOString();

  /** Sends the check-in at a new instant and asserts it was recorded then. */
  const assertCheckedIn = async (request: Omit<InjectOptions, "url">) => {
    const at = clock.advance(MINUTE).toISOString();
    const res = await fb.http.inject({ ...request, url: `/heartbeat/${ingest.keys.heartbeat}` });
    assert.equal(res.statusCode, 200, res.body);
    if (request.method !== "HEAD") assert.deepEqual(res.json(), { status: "ok" });
    assert.equal(await lastCheckIn(), at, "the check-in is recorded");
  };

  const cases: Array<[string, Omit<InjectOptions, "url">]> = [
    ["GET", { method: "GET" }],
    ["HEAD", { method: "HEAD" }],
    ["POST with no body", { method: "POST" }],
    [
      "POST as curl -X POST -d '' sends it (an empty form)",
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" },
    ],
    [
      "POST of a form with fields",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "status=0&host=db-7",
      },
    ],
    [
      "POST of a log tail as text/plain",
      {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        payload: "backup done\n42 files, 3.1 GB\n",
      },
    ],
    ["POST of text with no Content-Type", { method: "POST", payload: "exit 0\n" }],
    [
      "POST of bytes as application/octet-stream",
      {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        payload: Buffer.from([0, 255, 1, 254]),
      },
    ],
    [
      "POST of JSON",
      { method: "POST", headers: { "content-type": "application/json" }, payload: '{"status":"ok"}' },
    ],
    [
      "POST of broken JSON (the body is not read)",
      { method: "POST", headers: { "content-type": "application/json" }, payload: '{"status":' },
    ],
    [
      "POST of JSON with a key the JSON parser refuses",
      { method: "POST", headers: { "content-type": "application/json" }, payload: '{"__proto__":{}}' },
    ],
    [
      "POST of a 2 MiB log: over the API's body limit, within the ingest endpoints'",
      { method: "POST", headers: { "content-type": "text/plain" }, payload: "log line\n".repeat(233_017) },
    ],
    [
      "POST with a Content-Type that is no media type",
      { method: "POST", headers: { "content-type": "log" }, payload: "done" },
    ],
  ];
  for (const [name, request] of cases) it(name, () => assertCheckedIn(request));

  // A cron job posting its whole log must not be refused: a refused check-in pages a false miss.
  it("POST of a 6 MiB log with an odd Content-Type: over every body limit, still a check-in", () =>
    assertCheckedIn({
      method: "POST",
      headers: { "content-type": "application/x-cron-log; charset=whatever" },
      payload: "x".repeat(6 * 1024 * 1024),
    }));

  it("still answers an unknown key with 404, whatever the body", async () => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/heartbeat/no-such-key",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assertProblem(res, 404, "NOT_FOUND");
  });

  it("leaves the other ingest endpoints' 415 for a form as it was", async () => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/integrations/webhook/any-key",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(
      assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE").detail,
      "send the body as JSON with the header Content-Type: application/json (got application/x-www-form-urlencoded)",
    );
  });
});

describe("a heartbeat check-in over a real socket", () => {
  it("drains a 6 MiB chunked body of an odd Content-Type and counts the check-in", async () => {
    const fb = await startTestFirebreak({ listen: true, startEngine: false });
    try {
      const ingest = await createIngestService(fb.running.deps, { name: "log-poster", kinds: ["heartbeat"] });
      const chunk = new Uint8Array(64 * 1024).fill(0x78);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 6 * 1024 * 1024) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${fb.baseUrl}/heartbeat/${ingest.keys.heartbeat}`, {
        method: "POST",
        headers: { "content-type": "cron/log+weird" },
        body,
        duplex: "half",
      } as RequestInit);
      assert.equal(res.status, 200, await res.clone().text());
      assert.deepEqual(await res.json(), { status: "ok" });
      assert.equal(sent, 6 * 1024 * 1024, "the whole body was read");
      const integration = await fb.running.deps.uow.read((tx) =>
        tx.integrations.findByKey(ingest.keys.heartbeat!),
      );
      assert.ok(integration?.lastCheckInAt, "the check-in is recorded");
    } finally {
      await fb.close();
    }
  });
});
