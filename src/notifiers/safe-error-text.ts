/**
 * Turns what a receiver said into text that is safe to put in a NotifyError: short, one line, and
 * without secrets. Receivers echo more than you would think (a 404 page that repeats the request
 * path, which in a webhook URL *is* the token), so every channel redacts the parts of its URL and
 * its tokens before anything reaches a message.
 */

import { oneLine } from "../core/clean-text.js";
import { regExpLiteral } from "../core/regexp-literal.js";

export const SNIPPET_MAX_CHARS = 200;
const REDACTED = "<secret>";
// Shorter strings are too likely to be ordinary words ("api", "v1") to be worth redacting.
const MIN_SECRET_CHARS = 4;
const MIN_PATH_SEGMENT_CHARS = 6;

/** The parts of a URL that may carry a credential: path, query, each long segment, user info. */
export function secretsOfUrl(rawUrl: string): string[] {
  const found = [rawUrl];
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return found;
  }
  found.push(url.href, url.pathname + url.search, url.search.slice(1), url.username, url.password);
  if (url.pathname !== "/") found.push(url.pathname);
  for (const segment of url.pathname.split("/")) {
    if (segment.length >= MIN_PATH_SEGMENT_CHARS) found.push(segment);
  }
  for (const [name, value] of url.searchParams) found.push(value, `${name}=${value}`);
  return found;
}

function variantsOf(secret: string): string[] {
  const variants = [secret];
  try {
    variants.push(decodeURIComponent(secret));
  } catch {
    // not percent-encoded text: the secret itself is enough
  }
  variants.push(encodeURIComponent(secret));
  return variants;
}

/** Replaces every occurrence of each secret (also percent-encoded or decoded, any case). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const all = [...new Set(secrets.flatMap(variantsOf))]
    .filter((s) => s.length >= MIN_SECRET_CHARS)
    // longest first, so a secret that contains another one is removed whole
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of all) result = result.replace(new RegExp(regExpLiteral(secret), "gi"), REDACTED);
  return result;
}

/** One line, at most `maxChars`, secrets removed: what may be quoted from a receiver's answer. */
export function sanitizeSnippet(
  text: string,
  secrets: readonly string[],
  maxChars = SNIPPET_MAX_CHARS,
): string {
  let line = text;
  if (/^\s*</.test(line)) line = line.replace(/<[^>]*>/g, " ");
  line = redactSecrets(oneLine(line), secrets);
  return truncateChars(line, maxChars);
}

/** The length of text in code points (an emoji is one), as truncateChars counts it. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Cuts to at most `maxChars` code points, ending with "…" when it cut. */
export function truncateChars(text: string, maxChars: number): string {
  if (charCount(text) <= maxChars) return text;
  const chars = Array.from(text);
  if (maxChars <= 1) return chars.slice(0, maxChars).join("");
  return chars.slice(0, maxChars - 1).join("") + "…";
}

/** A short error code from a library error (`ECONNREFUSED`), or nothing when it has none we trust. */
export function errorCodeOf(err: unknown): string | undefined {
  for (
    let current: unknown = err, depth = 0;
    current !== undefined && current !== null && depth < 4;
    depth++
  ) {
    if (typeof current === "object" && "code" in current) {
      const code = (current as { code: unknown }).code;
      if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    }
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}
