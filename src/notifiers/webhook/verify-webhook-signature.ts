import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Firebreak's outgoing webhook signature. Receivers can copy this function: it depends on
 * node:crypto only.
 *
 *   X-Firebreak-Timestamp: <unix seconds>
 *   X-Firebreak-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
 *
 * Deduplicate on the body's `idempotencyKey` (signed), not on the Idempotency-Key header (not signed).
 */
export const WEBHOOK_SIGNATURE_VERSION = "v1";

export function signWebhookBody(secret: string, timestampSeconds: number, rawBody: string): string {
  const hex = createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`).digest("hex");
  return `${WEBHOOK_SIGNATURE_VERSION}=${hex}`;
}

/**
 * True when `signatureHeader` holds a v1 signature of `timestamp.rawBody` under `secret` and the
 * timestamp is within `toleranceSeconds` of `nowSeconds` (either side). The header may list several
 * signatures separated by commas (e.g. while a secret rotates); any valid one is enough. Compared in
 * constant time; false on any malformed input.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number,
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (typeof secret !== "string" || secret === "" || typeof signatureHeader !== "string") return false;
  const timestampText = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(timestampText)) return false;
  const timestampSeconds = Number(timestampText);
  if (!Number.isFinite(nowSeconds) || Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds)
    return false;

  const expected = createHmac("sha256", secret)
    .update(`${timestampText}.`)
    .update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody)
    .digest();
  let valid = false;
  for (const part of signatureHeader.split(",")) {
    const match = /^\s*v1=([0-9a-f]{64})\s*$/i.exec(part);
    if (match?.[1] === undefined) continue;
    const given = Buffer.from(match[1], "hex");
    // no early exit: every listed signature costs the same
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
