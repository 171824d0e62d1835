import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack rejects requests older than five minutes, and so do we (replay window, ecosystem §4.3). */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface SlackSignatureInput {
  readonly signingSecret: string;
  /** X-Slack-Request-Timestamp: unix seconds. */
  readonly timestampHeader: string | null | undefined;
  /** X-Slack-Signature: `v0=<hex>`. */
  readonly signatureHeader: string | null | undefined;
  /** The raw, undecoded body bytes (form-encoded for commands and interactions). */
  readonly rawBody: string | Uint8Array;
  readonly nowSeconds: number;
}

/**
 * True when the request came from Slack: fresh timestamp and `v0=HMAC-SHA256(secret, "v0:ts:body")`,
 * compared in constant time. False on any malformed input; callers answer 401 with no detail.
 */
export function verifySlackSignature(input: SlackSignatureInput): boolean {
  const { signingSecret, timestampHeader, signatureHeader, rawBody, nowSeconds } = input;
  if (typeof signingSecret !== "string" || signingSecret === "") return false;
  if (typeof timestampHeader !== "string" || !/^\d{1,12}$/.test(timestampHeader)) return false;
  if (
    !Number.isFinite(nowSeconds) ||
    Math.abs(nowSeconds - Number(timestampHeader)) > SLACK_SIGNATURE_TOLERANCE_SECONDS
  ) {
    return false;
  }
  if (typeof signatureHeader !== "string") return false;
  const match = /^v0=([0-9a-f]{64})$/i.exec(signatureHeader);
  if (match?.[1] === undefined) return false;
  const given = Buffer.from(match[1], "hex");
  const expected = createHmac("sha256", signingSecret)
    .update(`v0:${timestampHeader}:`)
    .update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
