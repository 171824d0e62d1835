import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestOptions,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { NotifyError } from "./contract.js";
import { heldBackError, sharedReceiverGate, type GateOutcome, type ReceiverGate } from "./receiver-gate.js";
import { errorCodeOf, sanitizeSnippet, secretsOfUrl } from "./safe-error-text.js";
import { startStallTolerantTimer } from "./stall-tolerant-timer.js";

export const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = "Firebreak";
const MAX_SUCCESS_BODY_BYTES = 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 4 * 1024;

// node:http with pooled keep-alive sockets: fetch (undici, web streams, AbortSignal.any) cost ~170 µs
// of CPU per notification, too much for thousands a second.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

export interface HttpPostRequest {
  /** Names the receiver in errors ("Slack webhook"); the URL itself never appears in them. */
  readonly channel: string;
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly timeoutMs?: number;
  /** More strings that must never appear in an error (tokens, topics); the URL's parts always are. */
  readonly secrets?: readonly string[];
  /** Reads the delay from a 429 body when the receiver puts it there (Discord's `retry_after`). */
  readonly retryAfterFromBody?: (bodyText: string) => number | undefined;
  /** Holds back sends to a receiver that stopped answering; the process's shared one by default. */
  readonly gate?: ReceiverGate;
}

export interface HttpPostResponse {
  readonly status: number;
  /** Case-insensitive lookup; repeated headers come joined with ", ". */
  readonly headers: { get(name: string): string | null };
  /** The body as text, at most 1 MiB. */
  readonly bodyText: string;
}

/** The receiver's host, the most of a URL an error or a description may show. */
export function hostOf(rawUrl: string): string {
  try {
    return new URL(rawUrl).host || "unknown host";
  } catch {
    return "unknown host";
  }
}

/**
 * POSTs and classifies the outcome: resolves on 2xx, otherwise throws a NotifyError that says
 * whether trying again can help. Redirects are not followed (a webhook that moved is a config
 * problem, and following one would resend the body and headers to wherever it points).
 */
export async function httpPost(request: HttpPostRequest): Promise<HttpPostResponse> {
  if (request.signal.aborted) throw cancelled(whereOf(request));
  let target: URL;
  try {
    target = new URL(request.url);
  } catch (err) {
    throw networkError(whereOf(request), err);
  }
  const isHttps = target.protocol === "https:";
  // Like fetch: no other scheme, and no credentials in the URL.
  if ((!isHttps && target.protocol !== "http:") || target.username !== "" || target.password !== "")
    throw networkError(whereOf(request), undefined);

  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hostname = target.hostname;
  const options: RequestOptions = {
    method: "POST",
    hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
    port: target.port === "" ? undefined : target.port,
    path: target.pathname + target.search,
    headers: {
      "User-Agent": USER_AGENT,
      ...request.headers,
      "Content-Length": Buffer.byteLength(request.body),
    },
  };
  const origin = `${target.protocol}//${target.host}`;
  const gate = request.gate ?? sharedReceiverGate;
  const heldBack = gate.enter(origin);
  if (heldBack) throw heldBackError(whereOf(request), heldBack);
  const outcome = await exchange(options, isHttps, request.body, request.signal, timeoutMs);
  gate.settle(origin, gateOutcomeOf(outcome));
  switch (outcome.kind) {
    case "response": {
      const { status, bodyText } = outcome;
      const headers = new ResponseHeaders(outcome.headers);
      if (status >= 200 && status < 300) return { status, headers, bodyText };
      throw statusError(request, status, headers, bodyText);
    }
    case "cancelled":
      throw cancelled(whereOf(request));
    case "timeout": {
      const stalled =
        outcome.stalledMs === undefined
          ? ""
          : `; this process was stalled ${formatSeconds(Math.round(outcome.stalledMs))} meanwhile`;
      throw new NotifyError(`${whereOf(request)}: no response within ${formatSeconds(timeoutMs)}${stalled}`, {
        retryable: true,
        reason: "timeout",
      });
    }
    case "network":
      throw networkError(whereOf(request), outcome.error);
  }
}

type Outcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly bodyText: string;
    }
  /** stalledMs: how long this process was seen not running past the timer's due time, if it was. */
  | { readonly kind: "timeout"; readonly stalledMs?: number }
  | { readonly kind: "cancelled" }
  | { readonly kind: "network"; readonly error: unknown; readonly beforeSending?: true };

/** What an exchange says of the receiver's health: any answer, even a 500, means it is there. */
function gateOutcomeOf(outcome: Outcome): GateOutcome {
  if (outcome.kind === "response") return "reachable";
  // This process was not running: the receiver's silence meanwhile says nothing of its health.
  if (outcome.kind === "timeout" && outcome.stalledMs !== undefined) return "abandoned";
  if (outcome.kind === "cancelled" || (outcome.kind === "network" && outcome.beforeSending))
    return "abandoned";
  return "unreachable";
}

/**
 * One POST with one timer and one abort listener for the whole exchange. Every path either reads
 * the response to its end (the socket goes back to the pool) or destroys request and response.
 * Its timeout does not count a stall of this process (see stall-tolerant-timer.ts).
 */
function exchange(
  options: RequestOptions,
  isHttps: boolean,
  body: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    let active: ClientRequest | undefined;
    let response: IncomingMessage | undefined;

    const settle = (outcome: Outcome): void => {
      settled = true;
      timer.clear();
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const stop = (outcome: Extract<Outcome, { kind: "timeout" | "cancelled" }>): void => {
      if (settled) return;
      settle(outcome);
      response?.destroy();
      active?.destroy();
    };
    const onAbort = (): void => stop({ kind: "cancelled" });
    const timer = startStallTolerantTimer(
      (stalledMs) => stop(stalledMs === undefined ? { kind: "timeout" } : { kind: "timeout", stalledMs }),
      timeoutMs,
    );
    signal.addEventListener("abort", onAbort);

    const send = (agent: HttpAgent | false): void => {
      let req: ClientRequest;
      try {
        req = (isHttps ? httpsRequest : httpRequest)({ ...options, agent });
      } catch (err) {
        // invalid header name or value
        settle({ kind: "network", error: err, beforeSending: true });
        return;
      }
      active = req;
      let bytesReadBefore = -1;
      if (req.reusedSocket) req.once("socket", (socket: Socket) => (bytesReadBefore = socket.bytesRead));

      req.on("error", (err) => {
        if (settled || req !== active) return;
        // A pooled socket the server closed meanwhile: retry once on a new one (as Node's docs advise),
        // but only if not a byte of the answer arrived.
        if (
          agent !== false &&
          response === undefined &&
          req.reusedSocket &&
          errorCodeOf(err) === "ECONNRESET" &&
          req.socket?.bytesRead === bytesReadBefore
        ) {
          send(false);
          return;
        }
        settle({ kind: "network", error: err });
        response?.destroy();
      });

      req.on("response", (res: IncomingMessage) => {
        if (settled || req !== active) {
          res.destroy();
          return;
        }
        response = res;
        const status = res.statusCode ?? 0;
        const maxBytes = status >= 200 && status < 300 ? MAX_SUCCESS_BODY_BYTES : MAX_ERROR_BODY_BYTES;
        const chunks: Buffer[] = [];
        let bytes = 0;
        const done = (): void =>
          settle({ kind: "response", status, headers: res.headers, bodyText: decodeUtf8(chunks, bytes) });
        res.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = maxBytes - bytes;
          if (chunk.length <= room) {
            chunks.push(chunk);
            bytes += chunk.length;
            return;
          }
          chunks.push(chunk.subarray(0, room));
          bytes = maxBytes;
          done();
          res.destroy();
        });
        res.on("end", () => {
          if (!settled) done();
        });
        res.on("error", (err) => {
          if (!settled) settle({ kind: "network", error: err });
        });
        res.on("close", () => {
          if (!settled) settle({ kind: "network", error: undefined });
        });
      });

      req.end(body);
    };
    send(isHttps ? httpsAgent : httpAgent);
  });
}

/** Like TextDecoder: invalid bytes become U+FFFD and a leading byte-order mark is dropped. */
function decodeUtf8(chunks: readonly Buffer[], bytes: number): string {
  if (bytes === 0) return "";
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes)).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Response headers without building a web `Headers`: IncomingMessage already lower-cases the names. */
class ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === "string" ? value : value.join(", ");
  }
}

const whereOf = (request: HttpPostRequest): string => `${request.channel} (${hostOf(request.url)})`;

// The library's error is not attached as `cause`: some carry the URL or a header value.
function networkError(where: string, err: unknown): NotifyError {
  const code = errorCodeOf(err);
  return new NotifyError(`${where}: network error${code === undefined ? "" : ` (${code})`}`, {
    retryable: true,
    reason: "network",
  });
}

function statusError(
  request: HttpPostRequest,
  status: number,
  headers: HttpPostResponse["headers"],
  bodyText: string,
): NotifyError {
  // Only errors need the secrets, so the URL is taken apart only here.
  const secrets = [...secretsOfUrl(request.url), ...(request.secrets ?? [])];
  const where = whereOf(request);
  const snippet = sanitizeSnippet(bodyText, secrets);
  const message = `${where}: HTTP ${status}${snippet === "" ? "" : `: ${snippet}`}`;
  if (status === 429) {
    const retryAfterSeconds =
      request.retryAfterFromBody?.(bodyText) ??
      parseRetryAfterSeconds(headers.get("retry-after"), Date.now());
    return new NotifyError(message, {
      retryable: true,
      reason: "rate_limited",
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  // 425 Too Early asks for the same request again later (RFC 8470 §5.2), like a timeout or a 5xx.
  if (status === 408 || status === 425 || status >= 500) {
    // A 503 says how long the receiver expects to be unavailable the same way (RFC 9110 §10.2.3).
    const retryAfterSeconds = parseRetryAfterSeconds(headers.get("retry-after"), Date.now());
    return new NotifyError(message, {
      retryable: true,
      reason: "server",
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (status === 401 || status === 403) return new NotifyError(message, { retryable: false, reason: "auth" });
  return new NotifyError(message, { retryable: false, reason: "client" });
}

/** Retry-After as whole seconds (rounded up): delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterSeconds(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text));
  if (!/[a-z]/i.test(text)) return undefined;
  const atMs = Date.parse(text);
  if (Number.isNaN(atMs)) return undefined;
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}

const cancelled = (where: string): NotifyError =>
  new NotifyError(`${where}: stopped waiting (the caller cancelled or its deadline passed)`, {
    retryable: true,
    reason: "timeout",
  });

const formatSeconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
