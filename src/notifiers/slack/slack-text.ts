/**
 * Text for Slack, within its limits. Slack states its limits in "characters" without saying which;
 * lengths here are UTF-16 code units (`.length`), never fewer than code points, so text fits either
 * way. Cuts fall between graphemes: never inside a surrogate pair, an emoji sequence or an entity.
 */

import { escapeMrkdwn } from "../../core/notifications/slack-mrkdwn.js";

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Plain text cut to at most `maxChars`, ending with "…" when it cut. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return cutGraphemes(text, maxChars, (g) => g);
}

/** Escapes for mrkdwn and cuts *after* escaping, so an entity is either whole or left out. */
export function mrkdwn(text: string, maxChars: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= maxChars) return escaped;
  return cutGraphemes(text, maxChars, escapeMrkdwn);
}

function cutGraphemes(text: string, maxChars: number, render: (grapheme: string) => string): string {
  if (maxChars < ELLIPSIS.length) return "";
  const room = maxChars - ELLIPSIS.length;
  let out = "";
  for (const { segment } of graphemes.segment(text)) {
    const piece = render(segment);
    if (out.length + piece.length > room) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

/**
 * A URL for `<url|label>`: a `|` would end the URL early and `<` `>` the link, so they are
 * percent-encoded (RFC 3986 allows none of them unencoded); `&` is escaped as everywhere in mrkdwn.
 */
export const mrkdwnLinkUrl = (url: string): string =>
  url.replace(/[|<>]/g, (ch) => encodeURIComponent(ch)).replace(/&/g, "&amp;");

const LINK_LABEL_CHARS = 200;

/**
 * `<url|label>`, or the label alone when the link would be longer than `maxChars`: a cut URL
 * leads somewhere else. Slack has no escape for "|" in a label, so it becomes a look-alike.
 */
export function mrkdwnLink(url: string, label: string, maxChars: number): string {
  const text = mrkdwn(label.replace(/\|/g, "¦"), LINK_LABEL_CHARS);
  const link = `<${mrkdwnLinkUrl(url)}|${text}>`;
  return link.length <= maxChars ? link : text;
}
