import { NotifyError } from "./contract.js";
import { errorCodeOf, sanitizeSnippet, secretsOfUrl } from "./safe-error-text.js";

export const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = "Firebreak";
const MAX_SUCCESS_BODY_BYTES = 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 4 * 1024;

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
}

export interface HttpPostResponse {
  readonly status: number;
  readonly headers: Headers;
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
  const where = `${request.channel} (${hostOf(request.url)})`;
  const secrets = [...secretsOfUrl(request.url), ...(request.secrets ?? [])];
  if (request.signal.aborted) throw cancelled(where);

  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  let status: number;
  let headers: Headers;
  let bodyText: string;
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "User-Agent": USER_AGENT, ...request.headers },
      body: request.body,
      redirect: "manual",
      signal,
    });
    status = response.status;
    headers = response.headers;
    const ok = status >= 200 && status < 300;
    bodyText = await readBodyText(response, ok ? MAX_SUCCESS_BODY_BYTES : MAX_ERROR_BODY_BYTES);
  } catch (err) {
    if (request.signal.aborted) throw cancelled(where);
    if (timeout.aborted) {
      throw new NotifyError(`${where}: no response within ${formatSeconds(timeoutMs)}`, {
        retryable: true,
        reason: "timeout",
      });
    }
    // The library's error is not attached as `cause`: some carry the URL (e.g. "Failed to parse URL from …").
    const code = errorCodeOf(err);
    throw new NotifyError(`${where}: network error${code === undefined ? "" : ` (${code})`}`, {
      retryable: true,
      reason: "network",
    });
  }
  if (status >= 200 && status < 300) return { status, headers, bodyText };
  throw statusError(where, status, headers, bodyText, secrets, request.retryAfterFromBody);
}

function statusError(
  where: string,
  status: number,
  headers: Headers,
  bodyText: string,
  secrets: readonly string[],
  retryAfterFromBody: ((bodyText: string) => number | undefined) | undefined,
): NotifyError {
  const snippet = sanitizeSnippet(bodyText, secrets);
  const message = `${where}: HTTP ${status}${snippet === "" ? "" : `: ${snippet}`}`;
  if (status === 429) {
    const retryAfterSeconds =
      retryAfterFromBody?.(bodyText) ?? parseRetryAfterSeconds(headers.get("retry-after"), Date.now());
    return new NotifyError(message, {
      retryable: true,
      reason: "rate_limited",
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (status === 408 || status >= 500) return new NotifyError(message, { retryable: true, reason: "server" });
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

async function readBodyText(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
    bytes += Math.min(value.byteLength, room);
    if (bytes >= maxBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text + decoder.decode();
}

const cancelled = (where: string): NotifyError =>
  new NotifyError(`${where}: stopped waiting (the caller cancelled or its deadline passed)`, {
    retryable: true,
    reason: "timeout",
  });

const formatSeconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
