import { createHash } from "node:crypto";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import {
  noticeFacts,
  noticeHeadline,
  noticeIncident,
  noticeLabel,
  noticeLead,
  noticeLink,
  renderNoticeText,
  TEST_HEADLINE,
} from "../render-notice.js";
import {
  boundedDetails,
  eventLabel,
  formatOpenedAt,
  incidentRef,
  isAboutNoIncident,
  levelLabel,
  linkActions,
  renderPlainText,
  safeHttpUrl,
  safeLinks,
  stateLabel,
} from "../render-text.js";
import { multilineText, singleLine } from "../../core/clean-text.js";
import { truncateChars } from "../safe-error-text.js";

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly messageId: string;
  /** The incident's thread root, on every message about the incident after the triggered one. */
  readonly inReplyTo: string | undefined;
  /** The incident's thread root, on every message about the incident. */
  readonly references: string | undefined;
}

const SUBJECT_TITLE_MAX_CHARS = 200;
const STATE_COLORS: Record<IncidentMessage["state"], string> = {
  triggered: "#b42318",
  acknowledged: "#b54708",
  resolved: "#067647",
};

// Message-IDs are dot-atoms: anything outside this set would need quoting, so it is replaced.
const idAtom = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) || "_";

/**
 * `<incident-<id>@firebreak>`: the thread every mail about an incident belongs to. No mail carries it
 * as its own Message-ID: all of them name it in References, and the ones after the triggered mail
 * reply to it (In-Reply-To), so clients thread them under it.
 */
export const threadRootMessageId = (incidentId: string): string =>
  `<incident-${idAtom(incidentId)}@firebreak>`;

/**
 * A mail's own Message-ID, derived from the delivery's idempotency key: a retry of the same delivery
 * carries the same id (mail systems drop the duplicate), and every other delivery a new one. Ids must
 * be unique per message (RFC 5322 §3.6.4): a mailbox that already holds a Message-ID drops a second
 * mail with it (Gmail does), so two pages of one incident to one address (a person's rules at 0 and
 * 5 minutes, or a page and the shared mail channel) must not share one.
 */
const deliveryMessageId = (prefix: string, idempotencyKey: string): string =>
  `<${prefix}.${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 24)}@firebreak>`;

/**
 * `[FIREBREAK INC-42] Checkout p99 latency above 2s — Triggered`; a notice `[Firebreak] Ada asks you
 * to cover …` (no state: it is no page), a test `Firebreak test notification`.
 */
export function emailSubject(m: IncidentMessage): string {
  if (m.event === "test") return TEST_HEADLINE;
  if (m.event === "notice") return `[Firebreak] ${truncateChars(noticeHeadline(m), SUBJECT_TITLE_MAX_CHARS)}`;
  return `[FIREBREAK ${incidentRef(m)}] ${truncateChars(singleLine(m.title), SUBJECT_TITLE_MAX_CHARS)} — ${stateLabel(m)}`;
}

export function renderEmail(m: IncidentMessage, idempotencyKey: string): RenderedEmail {
  const root = threadRootMessageId(m.incidentId);
  let messageId: string;
  let inReplyTo: string | undefined;
  let references: string | undefined;
  if (isAboutNoIncident(m)) {
    // A test message or an on-call notice is about no incident: it starts no thread and joins none.
    messageId = deliveryMessageId(m.event, idempotencyKey);
  } else {
    messageId = deliveryMessageId(`incident-${idAtom(m.incidentId)}`, idempotencyKey);
    references = root;
    // The triggered mail opens the thread; it replies to nothing.
    if (m.event !== "triggered") inReplyTo = root;
  }
  const notice = isAboutNoIncident(m);
  // A notice names the incident it is about, if any; a schedule's notice has none to name.
  const incidentId = notice ? noticeIncident(m)?.id : m.incidentId;
  return {
    subject: emailSubject(m),
    text: notice ? renderNoticeText(m) : renderPlainText(m),
    html: notice ? renderNoticeHtml(m) : renderHtml(m),
    headers: {
      // RFC 3834: no vacation replies to alert mail; the second is Exchange's own switch for the same.
      "Auto-Submitted": "auto-generated",
      "X-Auto-Response-Suppress": "All",
      ...(incidentId === undefined ? {} : { "X-Incident-Id": singleLine(incidentId) }),
      "X-Firebreak-Event": m.event,
    },
    messageId,
    inReplyTo,
    references,
  };
}

export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const htmlLink = (href: string, text: string): string =>
  `<a href="${escapeHtml(href)}" style="color:#1d4ed8">${escapeHtml(text)}</a>`;

const PAGE_START =
  '<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#111">';
const CELL = "padding:4px 12px 4px 0;vertical-align:top";

const tableOf = (rows: ReadonlyArray<readonly [string, string]>): string =>
  rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="${CELL};color:#555">${escapeHtml(label)}</th><td style="${CELL};white-space:pre-wrap">${escapeHtml(value)}</td></tr>`,
    )
    .join("\n");

/** A notice or test: headline, facts and its one link, in a neutral colour (it is no page). */
function renderNoticeHtml(m: IncidentMessage): string {
  const rows = noticeFacts(m).map((f) => [f.label, f.value] as const);
  const link = noticeLink(m);
  const lead = noticeLead(m);
  return [
    "<!doctype html>",
    PAGE_START,
    `<p style="margin:0;color:#475467;font-weight:bold">${escapeHtml(noticeLabel(m))}</p>`,
    `<h2 style="margin:4px 0 12px">${escapeHtml(noticeHeadline(m))}</h2>`,
    lead === null ? "" : `<p>${escapeHtml(lead)}</p>`,
    rows.length > 0 ? `<table cellspacing="0" cellpadding="0">\n${tableOf(rows)}\n</table>` : "",
    link === null ? "" : `<p style="margin:16px 0">${htmlLink(link.url, link.label)}</p>`,
    '<p style="color:#777;font-size:12px">Sent by Firebreak.</p>',
    "</body></html>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

function renderHtml(m: IncidentMessage): string {
  const rows: Array<[string, string]> = [
    ["State", stateLabel(m)],
    ["Level", levelLabel(m)],
    ["Service", singleLine(m.serviceName)],
    ["Opened", formatOpenedAt(m.openedAt)],
  ];
  if (m.recipientName !== null) rows.push(["For", singleLine(m.recipientName)]);
  for (const d of boundedDetails(m.details)) rows.push([singleLine(d.label), multilineText(d.value)]);

  // Only Firebreak's own pages are links. An alert's link is shown as text with its address: as a
  // link under text the alert chose ("Acknowledge", another URL) it could lead anywhere.
  const open = safeHttpUrl(m.incidentUrl);
  const ownOrigin = open === null ? null : new URL(open).origin;
  const isOwn = (href: string): boolean => ownOrigin !== null && new URL(href).origin === ownOrigin;
  const actions: string[] = [];
  if (open !== null) actions.push(htmlLink(open, "Open incident"));
  for (const action of linkActions(m))
    if (isOwn(action.url)) actions.push(htmlLink(action.url, action.label));
  const links = safeLinks(m).map((l) => escapeHtml(l.text === l.href ? l.href : `${l.text}: ${l.href}`));

  return [
    "<!doctype html>",
    PAGE_START,
    `<p style="margin:0;color:${STATE_COLORS[m.state]};font-weight:bold">${escapeHtml(eventLabel(m))}</p>`,
    `<h2 style="margin:4px 0 12px">${escapeHtml(`${incidentRef(m)}: ${singleLine(m.title)}`)}</h2>`,
    `<table cellspacing="0" cellpadding="0">\n${tableOf(rows)}\n</table>`,
    actions.length > 0 ? `<p style="margin:16px 0">${actions.join(" &middot; ")}</p>` : "",
    links.length > 0 ? `<ul>${links.map((l) => `<li>${l}</li>`).join("")}</ul>` : "",
    '<p style="color:#777;font-size:12px">Sent by Firebreak.</p>',
    "</body></html>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}
