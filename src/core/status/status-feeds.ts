import { maintenanceStatusAt } from "./component-status.js";
import type { StatusPageSnapshot } from "./status-records.js";
import { escapeMarkup as x, formatDateTime, STATUS_WORDS } from "./status-markup.js";
import { statusName } from "./status-name.js";

/**
 * The incident history as Atom (RFC 4287) and RSS 2.0: one entry per incident or maintenance, keyed
 * by its page URL (stable), updated at its latest update, the update history as escaped HTML.
 */

export const FEED_ENTRIES = 50;

interface FeedEntry {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly publishedMs: number;
  readonly updatedMs: number;
  /** HTML (escaped again when put in the XML). */
  readonly html: string;
}

function entriesOf(s: StatusPageSnapshot, nowMs: number): FeedEntry[] {
  const zone = s.page.timeZone;
  const historyHtml = (updates: ReadonlyArray<{ status: string; body: string; createdAtMs: number }>) =>
    [...updates]
      .reverse()
      .map(
        (u) =>
          `<p><small>${x(formatDateTime(u.createdAtMs, zone))}</small><br><strong>${x(STATUS_WORDS[u.status] ?? u.status)}</strong> - ${x(u.body)}</p>`,
      )
      .join("");
  const incidents = s.incidents.map((i) => ({
    id: `${s.baseUrl}/incidents/${encodeURIComponent(i.id)}`,
    url: `${s.baseUrl}/incidents/${encodeURIComponent(i.id)}`,
    title: i.name,
    publishedMs: i.createdAtMs,
    updatedMs: Math.max(i.updatedAtMs, ...i.updates.map((u) => u.createdAtMs)),
    html: historyHtml(i.updates),
  }));
  const maintenances = s.maintenances
    .filter((m) => m.createdAtMs <= nowMs)
    .map((m) => ({
      id: `${s.baseUrl}/maintenances/${encodeURIComponent(m.id)}`,
      url: `${s.baseUrl}/maintenances/${encodeURIComponent(m.id)}`,
      title: m.name,
      publishedMs: m.createdAtMs,
      updatedMs: Math.max(m.updatedAtMs, ...m.updates.map((u) => u.createdAtMs)),
      html:
        `<p><strong>${x(STATUS_WORDS[maintenanceStatusAt(m, nowMs)] ?? "")}</strong> - ` +
        `${x(formatDateTime(m.scheduledForMs, zone))} to ${x(formatDateTime(m.scheduledUntilMs, zone))}</p>` +
        `<p>${x(m.body)}</p>${historyHtml(m.updates)}`,
    }));
  return [...incidents, ...maintenances].sort((a, b) => b.updatedMs - a.updatedMs).slice(0, FEED_ENTRIES);
}

const isoOf = (ms: number) => new Date(ms).toISOString();

export function renderAtomFeed(s: StatusPageSnapshot, nowMs: number): string {
  const entries = entriesOf(s, nowMs);
  const updated = Math.max(s.page.updatedAtMs, ...entries.map((e) => e.updatedMs));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${x(`${s.baseUrl}/history.atom`)}</id>`,
    `  <title>${x(`${statusName(s.page.title)} history`)}</title>`,
    `  <updated>${isoOf(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${x(`${s.baseUrl}/history.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(s.baseUrl)}"/>`,
    `  <author><name>${x(s.page.title)}</name><uri>${x(s.baseUrl)}</uri></author>`,
    ...entries.flatMap((e) => [
      "  <entry>",
      `    <id>${x(e.id)}</id>`,
      `    <title>${x(e.title)}</title>`,
      `    <published>${isoOf(e.publishedMs)}</published>`,
      `    <updated>${isoOf(e.updatedMs)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${x(e.url)}"/>`,
      `    <content type="html">${x(e.html)}</content>`,
      "  </entry>",
    ]),
    "</feed>",
  ];
  return `${lines.join("\n")}\n`;
}

/** RFC 822 dates, as RSS 2.0 wants them ("Tue, 02 Mar 2025 09:30:00 GMT"). */
const rfc822 = (ms: number) => new Date(ms).toUTCString();

export function renderRssFeed(s: StatusPageSnapshot, nowMs: number): string {
  const entries = entriesOf(s, nowMs);
  const updated = Math.max(s.page.updatedAtMs, ...entries.map((e) => e.updatedMs));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "  <channel>",
    `    <title>${x(`${statusName(s.page.title)} history`)}</title>`,
    `    <link>${x(s.baseUrl)}</link>`,
    `    <description>${x(`Incidents and maintenance of ${s.page.title}`)}</description>`,
    "    <language>en</language>",
    `    <lastBuildDate>${rfc822(updated)}</lastBuildDate>`,
    `    <atom:link href="${x(`${s.baseUrl}/history.rss`)}" rel="self" type="application/rss+xml"/>`,
    ...entries.flatMap((e) => [
      "    <item>",
      `      <title>${x(e.title)}</title>`,
      `      <link>${x(e.url)}</link>`,
      `      <guid isPermaLink="false">${x(e.id)}</guid>`,
      `      <pubDate>${rfc822(e.publishedMs)}</pubDate>`,
      `      <description>${x(e.html)}</description>`,
      "    </item>",
    ]),
    "  </channel>",
    "</rss>",
  ];
  return `${lines.join("\n")}\n`;
}
