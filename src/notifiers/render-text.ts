import type { AlertLevel } from "../core/alerts/alert-event.js";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { singleLine, textLines } from "../core/clean-text.js";
import { truncateChars } from "./safe-error-text.js";

/** Words and plain-text layout every channel shares, so INC-42 reads the same in Slack and in mail. */

export const incidentRef = (m: IncidentMessage): string =>
  m.event === "notice" ? "ON-CALL" : `INC-${m.incidentNumber}`;

/** Messages about no incident: a test, or an on-call notice. They carry no buttons and start no thread. */
export const isAboutNoIncident = (m: IncidentMessage): boolean => m.event === "test" || m.event === "notice";

const EVENT_LABELS: Record<IncidentMessage["event"], string> = {
  triggered: "Triggered",
  escalated: "Escalated",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  reopened: "Reopened",
  test: "Test notification",
  notice: "On-call notice",
};
const STATE_LABELS: Record<IncidentMessage["state"], string> = {
  triggered: "Triggered",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};
const LEVEL_LABELS: Record<AlertLevel, string> = { page: "Page", notify: "Notify", ticket: "Ticket" };

export const eventLabel = (m: IncidentMessage): string => EVENT_LABELS[m.event];
export const stateLabel = (m: IncidentMessage): string => STATE_LABELS[m.state];
export const levelLabel = (m: IncidentMessage): string => LEVEL_LABELS[m.level];

/** "INC-42: Checkout p99 latency above 2s" */
export const titleLine = (m: IncidentMessage): string => `${incidentRef(m)}: ${singleLine(m.title)}`;

/** "2025-03-02 09:25 UTC" */
export const formatOpenedAt = (at: Date): string => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Only http(s) links are rendered: alert sources are not trusted to send `javascript:` URLs. */
export function safeHttpUrl(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const percentEncode = (text: string, chars: RegExp): string =>
  text.replace(chars, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * An http(s) URL as the target of a markdown link `[text](url)`, unable to leave the `(…)`: the URL
 * parser already encoded spaces and `<>`; parentheses are encoded here, and brackets and `\` after
 * the host (an IPv6 host keeps its brackets).
 */
function markdownLinkTarget(href: string): string {
  const url = new URL(href);
  const tail = url.pathname + url.search + url.hash;
  const head = url.href.slice(0, url.href.length - tail.length);
  return `${percentEncode(head, /[()]/g)}${percentEncode(tail, /[()[\]\\]/g)}`;
}

/** A markdown link under a label of Firebreak's own ("Acknowledge"); alert text is never a label. */
export const markdownLink = (label: string, href: string): string =>
  `[${label}](${markdownLinkTarget(href)})`;

/**
 * A markdown link to an alert's http(s) URL whose visible text is its host (checked to be plain), so
 * it tells the reader where it leads: under text the alert chose ("Acknowledge", another URL) a link
 * could lead anywhere.
 */
export function markdownHostLink(href: string): string {
  const host = new URL(href).host;
  return markdownLink(/^[a-z0-9.-]+(?::\d+)?$/i.test(host) ? host : "open link", href);
}

export interface IncidentAction {
  readonly kind: "acknowledge" | "resolve";
  readonly label: string;
  readonly url: string;
}

/** The ack/resolve links worth showing: present in the message and still meaningful in its state. */
export function linkActions(m: IncidentMessage): IncidentAction[] {
  const actions: IncidentAction[] = [];
  const ack = m.acknowledgeUrl === null ? null : safeHttpUrl(m.acknowledgeUrl);
  const resolve = m.resolveUrl === null ? null : safeHttpUrl(m.resolveUrl);
  if (ack !== null && m.state === "triggered")
    actions.push({ kind: "acknowledge", label: "Acknowledge", url: ack });
  if (resolve !== null && m.state !== "resolved")
    actions.push({ kind: "resolve", label: "Resolve", url: resolve });
  return actions;
}

/** The incident's links with a label, unsafe ones dropped. */
export function safeLinks(m: IncidentMessage): { href: string; text: string }[] {
  return m.links.flatMap((link) => {
    const href = safeHttpUrl(link.href);
    if (href === null) return [];
    const text = link.text === null ? "" : singleLine(link.text);
    return [{ href, text: text === "" ? href : text }];
  });
}

/** "State: Triggered · Level: Page · Service: checkout" */
export const statusLine = (m: IncidentMessage): string =>
  `State: ${stateLabel(m)} · Level: ${levelLabel(m)} · Service: ${singleLine(m.serviceName)}`;

/** Continuation lines of a detail's value are indented under its label. */
const INDENT = "    ";

/**
 * The plain-text body used by email's text part and ntfy: title, status, facts, then links.
 * `includeTitle: false` for channels that show the title in a field of its own.
 */
export function renderPlainText(m: IncidentMessage, options: { includeTitle?: boolean } = {}): string {
  const lines = options.includeTitle === false ? [] : [`[${eventLabel(m)}] ${titleLine(m)}`];
  lines.push(statusLine(m), `Opened: ${formatOpenedAt(m.openedAt)}`);
  if (m.recipientName !== null) lines.push(`For: ${singleLine(m.recipientName)}`);
  const details = boundedDetails(m.details);
  if (details.length > 0) lines.push("", ...detailLines(details));
  lines.push("", `Open incident: ${m.incidentUrl}`);
  for (const action of linkActions(m)) lines.push(`${action.label}: ${action.url}`);
  lines.push(...linkLines(m));
  return lines.join("\n");
}

/**
 * An incident's details as a channel without limits of its own (email) may show them: the message
 * builder bounds them already; this holds even for a message built elsewhere, so no detail can make
 * a megabyte mail.
 */
export const DETAIL_LIMITS = { rows: 20, labelChars: 100, valueChars: 1000 } as const;

export function boundedDetails(details: IncidentMessage["details"]): IncidentMessage["details"] {
  // Sliced before counting code points: truncateChars walks the whole string.
  const cut = (text: string, max: number) => truncateChars(text.slice(0, max * 2 + 2), max);
  const shown = details.slice(0, DETAIL_LIMITS.rows).map((d) => ({
    label: cut(d.label, DETAIL_LIMITS.labelChars),
    value: cut(d.value, DETAIL_LIMITS.valueChars),
  }));
  const left = details.length - shown.length;
  return left > 0 ? [...shown, { label: "More", value: `${left} more on the incident page` }] : shown;
}

/** "label: value" per detail, a value's later lines indented under its label. */
export function detailLines(details: IncidentMessage["details"]): string[] {
  return details.flatMap((d) => {
    const [first = "", ...rest] = textLines(d.value);
    return [`${singleLine(d.label)}: ${first.trimStart()}`, ...rest.map((l) => (l === "" ? l : INDENT + l))];
  });
}

/** The message's own links as a list under "Links:", after a blank line; none when it has none. */
export function linkLines(m: IncidentMessage): string[] {
  const links = safeLinks(m);
  if (links.length === 0) return [];
  return [
    "",
    "Links:",
    ...links.map((link) => (link.text === link.href ? `- ${link.href}` : `- ${link.text}: ${link.href}`)),
  ];
}

/** Cuts UTF-8 text to at most `maxBytes` bytes on a character boundary, ending with "…" when it cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).byteLength <= maxBytes) return text;
  const ellipsisBytes = 3;
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).byteLength;
    if (bytes + size > maxBytes - ellipsisBytes) break;
    out += ch;
    bytes += size;
  }
  return out + "…";
}
