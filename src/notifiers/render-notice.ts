import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { multilineText, singleLine } from "../core/clean-text.js";
import { detailLines, linkLines, safeHttpUrl } from "./render-text.js";

/**
 * Notices (shift handoffs and summaries, swaps and covers, response prompts, tasks) and test
 * messages report no incident's state, so every channel renders them in this shape of their own:
 * a headline, who it is for, the details and one link named for what it opens. None of an
 * incident's fields (state, level, service, opened), which read as a page to people and machines.
 */

export const TEST_HEADLINE = "Firebreak test notification";

/** What the message is, in Firebreak's own words. */
export const noticeLabel = (m: IncidentMessage): string =>
  m.event === "test" ? "Test notification" : "Notice";

/** The one line that says what happened: the notice's title, or the test's fixed words. */
export const noticeHeadline = (m: IncidentMessage): string =>
  m.event === "test" ? TEST_HEADLINE : singleLine(m.title);

/** The incident a notice is about (a call-in, a task), when it is about one (incidents number from 1). */
export const noticeIncident = (m: IncidentMessage): { id: string; number: number } | null =>
  m.event === "notice" && m.incidentNumber > 0 ? { id: m.incidentId, number: m.incidentNumber } : null;

/** 🧪 a test, 🔔 a notice about an incident (a call-in, a task), 📅 an on-call notice. */
export const noticeEmoji = (m: IncidentMessage): string =>
  m.event === "test" ? "🧪" : noticeIncident(m) !== null ? "🔔" : "📅";

/**
 * The notice's link, labelled for the console page it opens: "Open schedule" for an on-call
 * notice, "Open incident" for a response notice, "Open Firebreak" for a test.
 */
export function noticeLink(m: IncidentMessage): { label: string; url: string } | null {
  const url = safeHttpUrl(m.incidentUrl);
  if (url === null) return null;
  const path = new URL(url).pathname;
  const opens =
    noticeIncident(m) !== null || /\/incidents(\/|$)/.test(path)
      ? "incident"
      : /\/schedules(\/|$)/.test(path)
        ? "schedule"
        : "Firebreak";
  return { label: `Open ${opens}`, url };
}

/** The facts worth a row: who it is for, then the notice's details, labels and values cleaned. */
export function noticeFacts(m: IncidentMessage): Array<{ label: string; value: string }> {
  const facts = m.recipientName === null ? [] : [{ label: "For", value: singleLine(m.recipientName) }];
  return [...facts, ...m.details.map((d) => ({ label: singleLine(d.label), value: multilineText(d.value) }))];
}

/** A test says what it proves; a notice's headline says it all. */
export const noticeLead = (m: IncidentMessage): string | null =>
  m.event === "test" ? "If you can read this, Firebreak can reach you here." : null;

/**
 * The plain-text body of a notice (email's text part, ntfy): headline, facts, link.
 * `includeTitle: false` for channels that show the headline in a field of its own.
 */
export function renderNoticeText(m: IncidentMessage, options: { includeTitle?: boolean } = {}): string {
  const head = options.includeTitle === false ? [] : [noticeHeadline(m)];
  const lead = noticeLead(m);
  if (lead !== null) head.push(lead);
  if (m.recipientName !== null) head.push(`For: ${singleLine(m.recipientName)}`);
  const blocks = [head, detailLines(m.details)];
  const link = noticeLink(m);
  if (link !== null) blocks.push([`${link.label}: ${link.url}`]);
  const text = blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join("\n"))
    .join("\n\n");
  return [text, ...linkLines(m)].join("\n");
}
