import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { NotifyError } from "./contract.js";
import { httpPost, parseRetryAfterSeconds } from "./http-post.js";
import { ReceiverGate } from "./receiver-gate.js";
import {
  refusedBaseUrl,
  rejectionOf,
  startCaptureServer,
  type CaptureServer,
} from "./notifier-test-kit.test.js";
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

/** A bare server on 127.0.0.1 that counts connections and tells each handler which request of its connection it is. */
interface RawServer {
  readonly baseUrl: string;
  readonly connections: number;
  readonly closedConnections: number;
  readonly requests: number;
  close(): Promise<void>;
}

type RawHandler = (req: IncomingMessage, res: ServerResponse, nthOnConnection: number) => void;

async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const perSocket = new WeakMap<Socket, number>();
  const counts = { connections: 0, closedConnections: 0, requests: 0 };
  const server = createServer((req, res) => {
    counts.requests++;
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    handler(req, res, nth);
  });
  server.on("connection", (socket: Socket) => {
    counts.connections++;
    socket.on("close", () => counts.closedConnections++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get connections() {
      return counts.connections;
    },
    get closedConnections() {
      return counts.closedConnections;
    },
    get requests() {
      return counts.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const answer =
  (status: number, body = "ok"): RawHandler =>
  (req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(status).end(body));
  };

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 2000; !condition();) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("httpPost over keep-alive connections", () => {
  const servers: RawServer[] = [];
  const serve = async (handler: RawHandler): Promise<RawServer> => {
    const server = await startRawServer(handler);
    servers.push(server);
    return server;
  };
  after(() => Promise.all(servers.map((s) => s.close())));

  const postTo = (url: string, overrides: Partial<Parameters<typeof httpPost>[0]> = {}) =>
    httpPost({ channel: "Test hook", url, body: "{}", signal: new AbortController().signal, ...overrides });

  it("sends User-Agent, the caller's headers and the body's length in UTF-8 bytes", async () => {
    let seen: { headers: IncomingMessage["headers"]; body: string } | undefined;
    const server = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        res.end("ok");
      });
    });
    const body = '{"title":"Café 🔴"}';
    await postTo(`${server.baseUrl}/hook`, { body, headers: { "X-Custom": "yes" } });
    assert.ok(seen);
    assert.equal(seen.headers["user-agent"], "Firebreak");
    assert.equal(seen.headers["x-custom"], "yes");
    assert.equal(seen.headers["content-length"], String(Buffer.byteLength(body)));
    assert.equal(seen.body, body);
  });

  it("reuses one connection for sequential posts, error answers included", async () => {
    const server = await serve((req, res, nth) => answer(nth === 3 ? 400 : 200, "fine")(req, res, nth));
    const url = `${server.baseUrl}/hook`;
    for (let i = 1; i <= 5; i++) {
      if (i === 3) assert.ok((await rejectionOf(postTo(url))) instanceof NotifyError);
      else assert.equal((await postTo(url)).bodyText, "fine");
    }
    assert.equal(server.requests, 5);
    assert.equal(server.connections, 1);
  });

  it("opens a new connection when the server has closed the idle one", async () => {
    const server = await serve((req, res) => {
      req.resume();
      req.on("end", () => res.end("ok", () => setTimeout(() => req.socket.destroy(), 5)));
    });
    const url = `${server.baseUrl}/hook`;
    await postTo(url);
    await waitFor("the server to close the connection", () => server.closedConnections === 1);
    assert.equal((await postTo(url)).status, 200);
    assert.equal(server.connections, 2);
  });

  it("retries once on a new connection when a reused one is reset before any answer", async () => {
    // The race keep-alive clients must handle: the server drops the idle connection as the next request arrives.
    const server = await serve((req, res, nth) => {
      if (nth === 2) req.socket.destroy();
      else answer(200)(req, res, nth);
    });
    const url = `${server.baseUrl}/hook`;
    await postTo(url);
    assert.equal((await postTo(url)).status, 200);
    assert.deepEqual([server.requests, server.connections], [3, 2]);
  });

  it("does not retry a reset on a fresh connection", async () => {
    const server = await serve((req) => req.socket.destroy());
    const err = await rejectionOf(postTo(`${server.baseUrl}/hook`));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "network"]);
    assert.match(err.message, /network error \(ECONNRESET\)$/);
    assert.equal(server.requests, 1);
  });

  const partialAnswers: Array<
    [name: string, answerPart: (req: IncomingMessage, res: ServerResponse) => void]
  > = [
    ["the status line", (req) => req.socket.end("HTTP/1.1 20")],
    [
      "the head",
      (req, res) => {
        res.writeHead(200, { "Content-Length": "100" });
        res.write("partial", () => req.socket.end());
      },
    ],
  ];
  for (const [name, answerPart] of partialAnswers) {
    it(`does not retry once part of the answer (${name}) has arrived`, async () => {
      const server = await serve((req, res, nth) =>
        nth === 1 ? answer(200)(req, res, nth) : answerPart(req, res),
      );
      const url = `${server.baseUrl}/hook`;
      await postTo(url);
      const err = await rejectionOf(postTo(url));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "network"]);
      assert.deepEqual([server.requests, server.connections], [2, 1]);
    });
  }

  it("times out while the body is still arriving and closes the connection", async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { "Content-Length": "100" });
      res.write("slow");
    });
    const err = await rejectionOf(postTo(`${server.baseUrl}/hook`, { timeoutMs: 200 }));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    assert.equal(err.message, `Test hook (${new URL(server.baseUrl).host}): no response within 200 ms`);
    await waitFor("the connection to close", () => server.closedConnections === 1);
  });

  it("stops at once when the caller aborts, closes the connection and leaves no listener behind", async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());
    const err = await rejectionOf(postTo(`${server.baseUrl}/hook`, { signal: controller.signal }));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    assert.match(err.message, /stopped waiting/);
    await waitFor("the connection to close", () => server.closedConnections === 1);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
  });

  it("removes its abort listener after success and after an error answer", async () => {
    const server = await serve((req, res, nth) => answer(nth === 1 ? 200 : 500)(req, res, nth));
    const signal = new AbortController().signal;
    await postTo(`${server.baseUrl}/hook`, { signal });
    await rejectionOf(postTo(`${server.baseUrl}/hook`, { signal }));
    assert.equal(getEventListeners(signal, "abort").length, 0);
  });

  it("keeps at most 1 MiB of a 2xx body and 4 KiB of an error body", async () => {
    const big = "a".repeat(2 * 1024 * 1024);
    const statuses = [200, 429, 200];
    const server = await serve((req, res, nth) => answer(statuses.shift() ?? 500, big)(req, res, nth));
    const url = `${server.baseUrl}/hook`;
    assert.equal((await postTo(url)).bodyText.length, 1024 * 1024);
    let errorBody = "";
    const err = await rejectionOf(postTo(url, { retryAfterFromBody: (text) => void (errorBody = text) }));
    assert.ok(err instanceof NotifyError);
    assert.equal(err.reason, "rate_limited");
    assert.equal(errorBody.length, 4 * 1024);
    // The cut-off bodies were not read to the end, so those connections were closed, not pooled.
    assert.equal((await postTo(url)).status, 200);
    assert.equal(server.connections, 3);
  });

  it("decodes UTF-8 split across chunks and drops a byte-order mark, like TextDecoder", async () => {
    const bytes = Buffer.from("\uFEFFé🔴", "utf8");
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { "Content-Length": String(bytes.length) });
      res.write(bytes.subarray(0, 4), () => setTimeout(() => res.end(bytes.subarray(4)), 10));
    });
    assert.equal((await postTo(`${server.baseUrl}/hook`)).bodyText, "é🔴");
  });

  it("does not follow a 307 redirect, which would resend the body", async () => {
    const target = await serve(answer(200));
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(307, { Location: `${target.baseUrl}/elsewhere` }).end();
    });
    const err = await rejectionOf(postTo(`${server.baseUrl}/hook`));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [false, "client"]);
    assert.match(err.message, /HTTP 307/);
    assert.equal(target.requests, 0);
  });

  it("reports a refused connection by its code, without the URL or a cause", async () => {
    const base = await refusedBaseUrl();
    const err = await rejectionOf(postTo(`${base}/hooks/T0PATHSECRET99?token=QUERYSECRET77`));
    assert.ok(err instanceof NotifyError);
    assert.deepEqual([err.retryable, err.reason], [true, "network"]);
    assert.equal(err.message, `Test hook (${new URL(base).host}): network error (ECONNREFUSED)`);
    assert.equal(err.cause, undefined);
  });

  const unusable: Array<[name: string, url: string, headers?: Record<string, string>]> = [
    ["a URL that does not parse", "not a url/T0PATHSECRET99"],
    ["another scheme", "ftp://files.example.com/T0PATHSECRET99"],
    ["a data: URL", "data:text/plain,T0PATHSECRET99"],
    ["credentials in the URL", "http://user:T0PATHSECRET99@127.0.0.1:9/hook"],
    [
      "a header value that cannot be sent",
      "http://127.0.0.1:9/hook",
      { "X-Token": "T0PATHSECRET99\r\nX: y" },
    ],
  ];
  for (const [name, url, headers] of unusable) {
    it(`turns ${name} into a network error without the secret`, async () => {
      const err = await rejectionOf(postTo(url, headers === undefined ? {} : { headers }));
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.retryable, err.reason], [true, "network"]);
      assert.match(err.message, /^Test hook \(.*\): network error/);
      assert.ok(!err.message.includes("T0PATHSECRET99"), err.message);
      assert.equal(err.cause, undefined);
    });
  }
});

describe("httpPost to a receiver that stopped answering", () => {
  const POLICY = { failuresToOpen: 3, firstOpenMs: 10_000, maxOpenMs: 60_000, trialTimeoutMs: 60_000 };
  let silent: RawServer;
  let alive: RawServer;
  before(async () => {
    silent = await startRawServer((req) => req.resume()); // reads the request, never answers
    alive = await startRawServer(answer(500));
  });
  after(async () => {
    await silent.close();
    await alive.close();
  });

  const gateAt = (clock: { ms: number }) => new ReceiverGate(POLICY, () => clock.ms);
  // A silent receiver's sends time out after 20 ms; one that answers gets 10 s, so that a loaded
  // machine (CI) cannot turn its answer into a timeout.
  const postTo = (baseUrl: string, gate: ReceiverGate, timeoutMs = 20) =>
    httpPost({
      channel: "Chat hook",
      url: `${baseUrl}/hook`,
      body: "{}",
      signal: new AbortController().signal,
      timeoutMs,
      gate,
    });
  const ANSWERED_MS = 10_000;

  it("holds sends back after failuresToOpen timeouts in a row, without connecting, then lets one trial go", async () => {
    const clock = { ms: Date.parse("2026-12-05T03:00:00Z") };
    const gate = gateAt(clock);
    const before = silent.requests;
    for (let i = 0; i < 3; i++) {
      const err = await rejectionOf(postTo(silent.baseUrl, gate));
      assert.ok(err instanceof NotifyError && err.reason === "timeout", String(err));
    }
    const held = await rejectionOf(postTo(silent.baseUrl, gate));
    assert.ok(held instanceof NotifyError);
    assert.deepEqual([held.retryable, held.reason, held.retryAfterSeconds], [true, "not_tried", 10]);
    assert.match(
      held.message,
      /^Chat hook \(127\.0\.0\.1:\d+\): not tried: the last 3 sends got no answer; next try in 10 s$/,
    );
    await waitFor("the three timed-out requests", () => silent.requests === before + 3);

    clock.ms += 10_000;
    const trial = await rejectionOf(postTo(silent.baseUrl, gate));
    assert.ok(trial instanceof NotifyError && trial.reason === "timeout", String(trial));
    await waitFor("the trial request", () => silent.requests === before + 4);
    const again = await rejectionOf(postTo(silent.baseUrl, gate));
    assert.ok(again instanceof NotifyError);
    assert.deepEqual([again.reason, again.retryAfterSeconds], ["not_tried", 20]); // a failed trial doubles the wait
  });

  it("counts refused connections as no answer too", async () => {
    const gate = gateAt({ ms: 0 });
    const refused = await refusedBaseUrl();
    for (let i = 0; i < 3; i++) {
      const err = await rejectionOf(postTo(refused, gate));
      assert.ok(err instanceof NotifyError && err.reason === "network", String(err));
    }
    const held = await rejectionOf(postTo(refused, gate));
    assert.ok(held instanceof NotifyError && held.reason === "not_tried", String(held));
  });

  it("keeps sending to a receiver that answers, even with errors, and to other receivers while one is held back", async () => {
    const gate = gateAt({ ms: 0 });
    for (let i = 0; i < 3; i++) await rejectionOf(postTo(silent.baseUrl, gate));
    const before = alive.requests;
    for (let i = 0; i < 5; i++) {
      const err = await rejectionOf(postTo(alive.baseUrl, gate, ANSWERED_MS));
      assert.ok(err instanceof NotifyError && err.reason === "server", String(err));
    }
    assert.equal(alive.requests, before + 5);
    const held = await rejectionOf(postTo(silent.baseUrl, gate));
    assert.ok(held instanceof NotifyError && held.reason === "not_tried", String(held));
  });

  it("a trial that gets any answer lets every send through again", async () => {
    const clock = { ms: 0 };
    const gate = gateAt(clock);
    const flaky = await startRawServer((req, res) =>
      flakyAnswers ? answer(503)(req, res, 1) : req.resume(),
    );
    let flakyAnswers = false;
    try {
      for (let i = 0; i < 3; i++) await rejectionOf(postTo(flaky.baseUrl, gate));
      flakyAnswers = true;
      clock.ms += 10_000;
      const trial = await rejectionOf(postTo(flaky.baseUrl, gate, ANSWERED_MS));
      assert.ok(trial instanceof NotifyError && trial.reason === "server", String(trial));
      const next = await rejectionOf(postTo(flaky.baseUrl, gate, ANSWERED_MS));
      assert.ok(next instanceof NotifyError && next.reason === "server", String(next));
    } finally {
      await flaky.close();
    }
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
