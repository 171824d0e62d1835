// Helpers for the notifier tests: a capturing HTTP receiver on 127.0.0.1, the status-code table
// (Alertmanager's RetryTests) and the secret-leak check (AssertNotifyLeaksNoSecret). No tests of its
// own; the .test.ts suffix keeps it out of the build and lets it use node:http and node:assert.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { NotifyError, type NotifyFailureReason, type SendContext } from "./contract.js";

export const REFERENCE_OPENED_AT = new Date("2025-03-02T09:25:11.000Z");

export function sampleMessage(overrides: Partial<IncidentMessage> = {}): IncidentMessage {
  return {
    incidentId: "inc_01HZX4",
    incidentNumber: 42,
    event: "triggered",
    title: "Checkout p99 latency above 2s",
    state: "triggered",
    level: "page",
    serviceName: "checkout",
    openedAt: REFERENCE_OPENED_AT,
    recipientName: null,
    incidentUrl: "https://firebreak.example.net/incidents/inc_01HZX4",
    acknowledgeUrl: "https://firebreak.example.net/a/ack-token",
    resolveUrl: "https://firebreak.example.net/a/resolve-token",
    details: [
      { label: "p99", value: "2.31s (threshold 2s)" },
      { label: "region", value: "eu-1" },
    ],
    links: [{ href: "https://runbooks.example.net/latency", text: "Runbook" }],
    ...overrides,
  };
}

export const sendContext = (
  idempotencyKey = "notify:inc_01HZX4:chan:1",
  signal = new AbortController().signal,
): SendContext => ({
  idempotencyKey,
  signal,
});

export interface CapturedRequest {
  readonly method: string;
  /** Path and query, as the client sent them. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CannedResponse {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CaptureServer {
  /** Base URL, `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly baseUrl: string;
  readonly requests: CapturedRequest[];
  /** What the next requests get; or a function deciding per request. */
  respondWith(response: CannedResponse | ((request: CapturedRequest) => CannedResponse)): void;
  /** Requests stay unanswered until the server closes (for timeouts). */
  hang(): void;
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let responder: (request: CapturedRequest) => CannedResponse | "hang" = () => ({ status: 200, body: "ok" });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const captured = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(captured);
      const response = responder(captured);
      if (response === "hang") return;
      res.writeHead(response.status, response.headers ?? {});
      res.end(response.status === 204 ? undefined : (response.body ?? ""));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respondWith(response) {
      responder = typeof response === "function" ? response : () => response;
    },
    hang() {
      responder = () => "hang";
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port that was just free). */
export async function refusedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export type ExpectedOutcome =
  "ok" | { retryable: boolean; reason: NotifyFailureReason; retryAfterSeconds?: number };

/** Status code → what the notifier must conclude (Alertmanager's RetryTests, plus our reasons). */
export const STATUS_CASES: ReadonlyArray<readonly [status: number, expected: ExpectedOutcome]> = [
  [200, "ok"],
  [204, "ok"],
  [400, { retryable: false, reason: "client" }],
  [401, { retryable: false, reason: "auth" }],
  [403, { retryable: false, reason: "auth" }],
  [404, { retryable: false, reason: "client" }],
  [408, { retryable: true, reason: "server" }],
  // 425 Too Early: the same request may be sent again later (RFC 8470 §5.2).
  [425, { retryable: true, reason: "server" }],
  [429, { retryable: true, reason: "rate_limited", retryAfterSeconds: 7 }],
  [500, { retryable: true, reason: "server" }],
  [502, { retryable: true, reason: "server" }],
  // Retry-After is honoured on any retryable answer, a 503 in particular (RFC 9110 §10.2.3).
  [503, { retryable: true, reason: "server", retryAfterSeconds: 7 }],
];

/** More of the table: permanent refusals a receiver also gives (410: the hook is gone), and 504. */
export const MORE_STATUS_CASES: ReadonlyArray<readonly [status: number, expected: ExpectedOutcome]> = [
  [202, "ok"],
  [409, { retryable: false, reason: "client" }],
  [410, { retryable: false, reason: "client" }],
  [413, { retryable: false, reason: "client" }],
  [422, { retryable: false, reason: "client" }],
  [504, { retryable: true, reason: "server" }],
];

export const describeOutcome = (expected: ExpectedOutcome): string =>
  expected === "ok" ? "succeeds" : `${expected.retryable ? "retryable" : "permanent"} ${expected.reason}`;

/**
 * Answers with `status` (Retry-After: 7 on 429 and 503; `successBody` on 2xx) and checks what `send`
 * concluded. Error bodies carry a recognisable text, to prove the snippet is quoted.
 */
export async function checkStatusCase(
  server: CaptureServer,
  send: () => Promise<unknown>,
  status: number,
  expected: ExpectedOutcome,
  successBody = "ok",
): Promise<void> {
  server.respondWith({
    status,
    body: status < 300 ? successBody : `receiver says ${status}`,
    headers: status === 429 || status === 503 ? { "Retry-After": "7" } : {},
  });
  if (expected === "ok") {
    await send();
    return;
  }
  const err = await rejectionOf(send());
  assert.ok(err instanceof NotifyError, `expected NotifyError, got ${String(err)}`);
  assert.equal(err.retryable, expected.retryable);
  assert.equal(err.reason, expected.reason);
  assert.equal(err.retryAfterSeconds, expected.retryAfterSeconds);
  assert.match(err.message, new RegExp(`\\b${status}\\b`));
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("expected the send to fail");
}

/** Like Alertmanager's AssertNotifyLeaksNoSecret: the error, however printed, holds none of the secrets. */
export function assertNoSecretLeak(err: unknown, secrets: readonly string[]): void {
  assert.ok(err instanceof NotifyError, `expected NotifyError, got ${String(err)}`);
  const renderings = [err.message, String(err), JSON.stringify(err), err.stack ?? "", inspectCauses(err)];
  for (const secret of secrets) {
    for (const text of renderings) {
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `secret ${secret} leaked in: ${text}`);
    }
  }
}

function inspectCauses(err: Error): string {
  const parts: string[] = [];
  for (let cause: unknown = err.cause; cause !== undefined && cause !== null;) {
    parts.push(String(cause), JSON.stringify(cause) ?? "");
    cause = typeof cause === "object" ? (cause as { cause?: unknown }).cause : undefined;
  }
  return parts.join("\n");
}

export const assertDescribeHidesSecrets = (description: string, secrets: readonly string[]): void => {
  for (const secret of secrets)
    assert.ok(!description.includes(secret), `describe() shows ${secret}: ${description}`);
};

export const jsonBody = (request: CapturedRequest | undefined): Record<string, unknown> => {
  assert.ok(request, "no request captured");
  return JSON.parse(request.body) as Record<string, unknown>;
};
