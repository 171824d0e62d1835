import { NotifyError } from "../contract.js";
import { sanitizeSnippet } from "../safe-error-text.js";

// Codes nodemailer (or the socket under it) gives when the server could not be reached or dropped us.
const CONNECTION_CODES = new Set([
  "ECONNECTION",
  "ECONNREFUSED",
  "ECONNRESET",
  "ESOCKET",
  "EDNS",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ETLS",
  "EPROTOCOL",
]);

/**
 * What an SMTP error must never show: the URL, the password as written and decoded, and the base64
 * forms AUTH sends, since some servers quote the line they refused
 * ("535 5.7.8 Authentication failed: AGFsaWNlAHMzY3JldA==" is `\0alice\0s3cret`).
 */
export function smtpSecretsOf(smtpUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return [smtpUrl];
  }
  const password = decodedOrAsWritten(url.password);
  const secrets = [smtpUrl, url.password, password];
  if (password !== "") secrets.push(...authBase64Forms(decodedOrAsWritten(url.username), password));
  return [...new Set(secrets)].filter((s) => s !== "");
}

function decodedOrAsWritten(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * AUTH PLAIN's blob (`\0user\0pass`, or with the user as authorization id) and AUTH LOGIN's two
 * lines, in UTF-8 as nodemailer sends them; each also without its `=` padding, which an echo may drop.
 */
function authBase64Forms(user: string, password: string): string[] {
  const sent = [`\0${user}\0${password}`, `${user}\0${user}\0${password}`, user, password];
  return sent.flatMap((text) => {
    const encoded = Buffer.from(text, "utf8").toString("base64");
    return [encoded, encoded.replace(/=+$/, "")];
  });
}

interface SmtpErrorFields {
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly response: string;
}

function fieldsOf(err: unknown): SmtpErrorFields {
  const e = typeof err === "object" && err !== null ? (err as Record<string, unknown>) : {};
  return {
    code: typeof e.code === "string" ? e.code : undefined,
    responseCode: typeof e.responseCode === "number" ? e.responseCode : undefined,
    response: typeof e.response === "string" ? e.response : "",
  };
}

/**
 * Classifies a nodemailer failure: SMTP 4xx is temporary (retry), 5xx permanent, authentication
 * failures say so, and connection problems retry. The library's message is not used (nor attached
 * as `cause`): only the reply code and a redacted snippet of the server's reply.
 */
export function smtpNotifyError(err: unknown, host: string, secrets: readonly string[]): NotifyError {
  const { code, responseCode, response } = fieldsOf(err);
  const where = `email via ${host}`;
  // Every recipient refused: the error's own code is only the last RCPT reply's.
  const rejectedErrors = (err as { rejectedErrors?: unknown } | null)?.rejectedErrors;
  if (Array.isArray(rejectedErrors) && rejectedErrors.length > 0)
    return refusedRecipientsError(rejectedErrors, rejectedErrors.length, host, secrets);
  const isAuth = code === "EAUTH";
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    const snippet = sanitizeSnippet(response, secrets);
    const message = `${where}: SMTP ${responseCode}${snippet === "" ? "" : `: ${snippet}`}`;
    if (responseCode < 500)
      return new NotifyError(message, { retryable: true, reason: isAuth ? "auth" : "server" });
    return new NotifyError(message, { retryable: false, reason: isAuth ? "auth" : "client" });
  }
  if (isAuth) return new NotifyError(`${where}: authentication failed`, { retryable: false, reason: "auth" });
  if (code === "ETIMEDOUT")
    return new NotifyError(`${where}: timed out`, { retryable: true, reason: "timeout" });
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return new NotifyError(`${where}: network error (${code})`, { retryable: true, reason: "network" });
  }
  if (code === "EENVELOPE" || code === "EMESSAGE") {
    return new NotifyError(`${where}: message refused (${code})`, { retryable: false, reason: "client" });
  }
  const safeCode = code !== undefined && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : "";
  return new NotifyError(`${where}: send failed${safeCode}`, { retryable: true, reason: "server" });
}

/**
 * The server refused some recipients at RCPT (the mail went to the others) or all of them. One
 * temporary refusal (4xx) makes it retryable: the retry reaches the accepted ones again, with the
 * same Message-ID, which beats a page that never reaches a person.
 */
export function refusedRecipientsError(
  rejectedErrors: readonly unknown[],
  recipientCount: number,
  host: string,
  secrets: readonly string[],
): NotifyError {
  const refusals = rejectedErrors.map(fieldsOf);
  const temporary = refusals.find((r) => r.responseCode === undefined || r.responseCode < 500);
  const shown = temporary ?? refusals[0];
  const snippet = shown === undefined ? "" : sanitizeSnippet(shown.response, secrets);
  const reply = shown?.responseCode === undefined ? "" : `: SMTP ${shown.responseCode}`;
  const message = `email via ${host}: ${refusals.length} of ${recipientCount} recipients refused${reply}${snippet === "" ? "" : `: ${snippet}`}`;
  return temporary === undefined
    ? new NotifyError(message, { retryable: false, reason: "client" })
    : new NotifyError(message, { retryable: true, reason: "server" });
}
