import { nonBlankString } from "./json-input.js";

export interface EventLink {
  readonly href: string;
  readonly text: string | null;
}

const MAX_HREF_LENGTH = 4096;
const MAX_TEXT_LENGTH = 256;

/**
 * A link the console may render, or null. Only absolute http(s) URLs pass: a `javascript:` or relative
 * URL from a sender is kept in the details (as text) but never becomes a clickable link.
 */
export function httpLink(href: unknown, text: unknown): EventLink | null {
  const url = nonBlankString(href);
  if (url === null || url.length > MAX_HREF_LENGTH || !isHttpUrl(url)) return null;
  const label = nonBlankString(text);
  return { href: url, text: label === null ? null : label.slice(0, MAX_TEXT_LENGTH) };
}

/** True for an absolute `http:` or `https:` URL. */
export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** The links that are not null, first occurrence of each href kept. */
export function uniqueLinks(links: readonly (EventLink | null | undefined)[]): EventLink[] {
  const seen = new Set<string>();
  const result: EventLink[] = [];
  for (const link of links) {
    if (link === null || link === undefined || seen.has(link.href)) continue;
    seen.add(link.href);
    result.push(link);
  }
  return result;
}
