import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NotifyError } from "./contract.js";
import { httpPost, parseRetryAfterSeconds } from "./http-post.js";
import { rejectionOf, startCaptureServer, type CaptureServer } from "./notifier-test-kit.test.js";
import { redactSecrets, sanitizeSnippet, truncateChars } from "./safe-error-text.js";

describe("httpPost", () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());

  const post = (overrides: Partial<Parameters<typeof httpPost>[0]> = {}) =>
    httpPost({
      channel: "Test hook",
      url: `${server.baseUrl}/hook`,
      body: "{}",
      signal: new AbortController().signal,
      ...overrides,
    });

  it("returns status, headers and body on 2xx", async () => {
    server.respondWith({ status: 201, body: '{"ok":true}', headers: { "X-Id": "7" } });
    const response = await post();
    assert.equal(response.status, 201);
    assert.equal(response.bodyText, '{"ok":true}');
    assert.equal(response.headers.get("x-id"), "7");
  });

  it("quotes at most 200 sanitized characters of an error body", async () => {
    server.respondWith({
      status: 400,
      body: `<html><body><h1>Bad\r\nrequest</h1>${"x".repeat(5000)}</body></html>`,
    });
    const err = await rejectionOf(post());
    assert.ok(err instanceof NotifyError);
    const snippet = err.message.replace(/^Test hook \(127\.0\.0\.1:\d+\): HTTP 400: /, "");
    assert.ok(snippet.startsWith("Bad request xxx"), snippet);
    assert.equal(Array.from(snippet).length, 200);
    assert.ok(snippet.endsWith("…"));
  });

  it("does not follow redirects: a moved webhook is a permanent client error", async () => {
    server.requests.length = 0;
    server.respondWith({ status: 302, headers: { Location: `${server.baseUrl}/elsewhere` } });
    const err = await rejectionOf(post());
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [false, "client"]);
    assert.equal(server.requests.length, 1);
  });

  it("takes the 429 delay from the body when the channel knows where it is", async () => {
    server.respondWith({ status: 429, body: '{"retry_after": 2.5}', headers: { "Retry-After": "60" } });
    const err = await rejectionOf(
      post({ retryAfterFromBody: (text) => (JSON.parse(text) as { retry_after: number }).retry_after }),
    );
    assert.ok(err instanceof NotifyError);
    assert.equal(err.retryAfterSeconds, 2.5);
  });

  it("gives up after the timeout with a retryable timeout error", async () => {
    server.hang();
    const err = await rejectionOf(post({ timeoutMs: 1 }));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    assert.match(err.message, /no response within 1 ms/);
  });

  it("stops when the caller's signal aborts, retryable", async () => {
    server.hang();
    const controller = new AbortController();
    server.respondWith(() => {
      controller.abort();
      return { status: 200 };
    });
    const err = await rejectionOf(post({ signal: controller.signal }));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    assert.match(err.message, /stopped waiting/);
  });

  it("does not send at all when the signal is already aborted", async () => {
    server.requests.length = 0;
    const err = await rejectionOf(post({ signal: AbortSignal.abort() }));
    assert.ok(err instanceof NotifyError);
    assert.equal(server.requests.length, 0);
  });
});

describe("parseRetryAfterSeconds", () => {
  const NOW_MS = Date.parse("2025-03-02T09:30:00Z");
  const cases: Array<[header: string | null, expected: number | undefined]> = [
    ["7", 7],
    [" 30 ", 30],
    ["1.2", 2],
    ["Sun, 02 Mar 2025 09:30:45 GMT", 45],
    ["Sun, 02 Mar 2025 09:29:00 GMT", 0],
    [null, undefined],
    ["", undefined],
    ["-5", undefined],
    ["soon", undefined],
  ];
  for (const [header, expected] of cases) {
    it(`reads ${JSON.stringify(header)} as ${String(expected)}`, () => {
      assert.equal(parseRetryAfterSeconds(header, NOW_MS), expected);
    });
  }
});

describe("safe error text", () => {
  it("redacts secrets in any case and percent-encoded", () => {
    assert.equal(
      redactSecrets("path /X/Ab%2BCd%2FEf and ab+cd/ef", ["Ab+Cd/Ef"]),
      "path /X/<secret> and <secret>",
    );
  });

  it("ignores secrets too short to be anything but words", () => {
    assert.equal(redactSecrets("the api says no", ["api"]), "the api says no");
  });

  it("collapses a multi-line body into one line", () => {
    assert.equal(sanitizeSnippet("line one\n\tline\u0000two  ", []), "line one line two");
  });

  it("truncates on code points, never splitting an emoji", () => {
    assert.equal(truncateChars("🔴🔴🔴", 2), "🔴…");
  });
});
