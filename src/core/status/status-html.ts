import {
  isComponentShown,
  maintenanceStatusAt,
  type ResolvedComponent,
  type ResolvedPage,
} from "./component-status.js";
import type { MaintenanceRecord, StatusIncidentRecord, StatusPageSnapshot } from "./status-records.js";
import { escapeMarkup as x, formatDateTime, formatDay, STATUS_WORDS } from "./status-markup.js";
import { statusName } from "./status-name.js";
import { statusPageCss } from "./status-theme.js";
import { componentUptime, uptimeWording, UPTIME_DAYS } from "./uptime.js";
import { daySpoken, dayTitle } from "./uptime-day.js";

/**
 * The public page, server-rendered: semantic HTML that needs no JavaScript, one inline stylesheet
 * (light and dark by prefers-color-scheme), readable on a phone (the bars show 30 days there).
 */

export interface StatusHtmlContext {
  readonly snapshot: StatusPageSnapshot;
  readonly resolved: ResolvedPage;
  readonly nowMs: number;
  /** Prefix of links on this host: "" on the page's custom domain, "/status/<slug>" on the main host. */
  readonly mount: string;
  /** Whether subscribing is offered (status-page email is configured). */
  readonly subscriptions: boolean;
}

export const DAY_MS = 24 * 60 * 60_000;
/** The main page lists resolved incidents of this many days; the history page has all 90. */
export const RECENT_DAYS = 7;

export const timeTag = (ms: number, zone: string): string =>
  `<time datetime="${new Date(ms).toISOString()}">${x(formatDateTime(ms, zone))}</time>`;

export const link = (ctx: Pick<StatusHtmlContext, "mount">, path: string): string =>
  x(`${ctx.mount}${path}` || "/");

export function layout(ctx: StatusHtmlContext, heading: string | null, body: string): string {
  const { page } = ctx.snapshot;
  const name = statusName(page.title);
  const title = heading ? `${heading} · ${name}` : name;
  const logo = page.logoUrl ? `<img src="${x(page.logoUrl)}" alt="" width="40" height="40">` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${x(title)}</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="${x(name)} history (Atom)" href="${link(ctx, "/history.atom")}">
<link rel="alternate" type="application/rss+xml" title="${x(name)} history (RSS)" href="${link(ctx, "/history.rss")}">
<style>${statusPageCss(page.brandColor)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="wrap">
<a class="brand" href="${link(ctx, "/")}">${logo}<span>${x(name)}</span></a>
<nav aria-label="Status page"><ul>
<li><a href="${link(ctx, "/")}">Current status</a></li>
<li><a href="${link(ctx, "/history")}">History</a></li>
${ctx.subscriptions ? `<li><a href="${link(ctx, "/#subscribe")}">Subscribe</a></li>` : ""}
</ul></nav>
</div></header>
<main id="main" class="wrap">
${body}
</main>
<footer><div class="wrap"><ul>
<li><a href="${link(ctx, "/history.atom")}">Atom feed</a></li>
<li><a href="${link(ctx, "/history.rss")}">RSS feed</a></li>
<li><a href="${link(ctx, "/api/v2/summary.json")}">JSON API</a></li>
<li>Powered by Firebreak</li>
</ul></div></footer>
</body>
</html>
`;
}

export function updatesList(
  updates: ReadonlyArray<{ readonly status: string; readonly body: string; readonly createdAtMs: number }>,
  zone: string,
): string {
  if (updates.length === 0) return "";
  const items = [...updates]
    .reverse()
    .map(
      (u) =>
        `<li><p><strong>${x(STATUS_WORDS[u.status] ?? u.status)}</strong> · <span class="meta">${timeTag(u.createdAtMs, zone)}</span></p><p>${x(u.body)}</p></li>`,
    )
    .join("\n");
  return `<ol class="plain updates">\n${items}\n</ol>`;
}

const componentNames = (ctx: StatusHtmlContext, ids: readonly string[]): string =>
  ctx.resolved.components
    .filter((c) => ids.includes(c.component.id))
    .map((c) => x(c.component.name))
    .join(", ");

export function incidentCard(
  ctx: StatusHtmlContext,
  i: StatusIncidentRecord,
  headingLevel: 2 | 3 = 3,
): string {
  const zone = ctx.snapshot.page.timeZone;
  const affected = componentNames(ctx, i.componentIds);
  const h = `h${headingLevel}`;
  return `<article class="card">
<${h}><a href="${link(ctx, `/incidents/${encodeURIComponent(i.id)}`)}">${x(i.name)}</a></${h}>
<p class="meta"><span class="st c-${i.status === "resolved" ? "operational" : i.componentStatus}">${x(STATUS_WORDS[i.status] ?? i.status)}</span> · Impact: ${x(i.impact)}${affected ? ` · Affects ${affected}` : ""}</p>
${updatesList(i.updates.slice(-3), zone)}
</article>`;
}

export function maintenanceCard(
  ctx: StatusHtmlContext,
  m: MaintenanceRecord,
  headingLevel: 2 | 3 = 3,
): string {
  const zone = ctx.snapshot.page.timeZone;
  const status = maintenanceStatusAt(m, ctx.nowMs);
  const affected = componentNames(ctx, m.componentIds);
  const h = `h${headingLevel}`;
  return `<article class="card">
<${h}><a href="${link(ctx, `/maintenances/${encodeURIComponent(m.id)}`)}">${x(m.name)}</a></${h}>
<p class="meta"><span class="st c-under_maintenance">${x(STATUS_WORDS[status] ?? status)}</span> · ${timeTag(m.scheduledForMs, zone)} to ${timeTag(m.scheduledUntilMs, zone)}${affected ? ` · Affects ${affected}` : ""}</p>
<p>${x(m.body)}</p>
${updatesList(m.updates.slice(-3), zone)}
</article>`;
}

/** The uptime bars and figure, shown only for a showcase component (Statuspage's "uptime-enabled"). */
function uptimeBlock(ctx: StatusHtmlContext, c: ResolvedComponent): string {
  const { snapshot, nowMs } = ctx;
  const zone = snapshot.page.timeZone;
  const uptime = componentUptime({
    componentId: c.component.id,
    componentCreatedAtMs: c.component.createdAtMs,
    incidents: snapshot.incidents,
    maintenances: snapshot.maintenances,
    timeZone: zone,
    nowMs,
  });
  // Operational days carry no class (the default colour): 90 bars per component add up on a big page.
  const bars = uptime.days
    .map(
      (d) =>
        `<i${d.level === "operational" ? "" : ` class="b-${d.level}"`} title="${x(dayTitle(d, zone))}"></i>`,
    )
    .join("");
  // The figure names its period: the 90 days only when the component is older than them (uptime.ts);
  // a phone shows 30 bars, so there the 90 days are said out loud.
  const wording = uptimeWording(uptime, zone);
  // A screen reader gets the days with trouble in words: the bars' colours and titles do not reach it.
  const bad = uptime.days.filter((d) => d.level !== "operational" && d.level !== "no_data");
  const spoken = bad.length > 0 ? `: ${bad.map((d) => daySpoken(d, zone)).join("; ")}` : "";
  return `<div class="bars" role="img" aria-label="${x(`${wording.label}. ${bad.length} of the last ${UPTIME_DAYS} days with incidents or maintenance${spoken}.`)}">${bars}</div>
<p class="scale"><span class="d90">${UPTIME_DAYS} days ago</span><span class="d30">30 days ago</span><span class="pct">${x(wording.text)}${uptime.wholeWindow && uptime.uptimePercent !== null ? `<span class="d30"> over ${UPTIME_DAYS} days</span>` : ""}</span><span>Today</span></p>`;
}

function componentItem(ctx: StatusHtmlContext, c: ResolvedComponent): string {
  return `<li>
<div class="row"><h3>${x(c.component.name)}</h3><span class="st c-${c.status}">${x(STATUS_WORDS[c.status] ?? c.status)}</span></div>
${c.component.description ? `<p class="desc">${x(c.component.description)}</p>` : ""}
${c.component.showcase ? uptimeBlock(ctx, c) : ""}
</li>`;
}

function componentsSection(ctx: StatusHtmlContext): string {
  const items = ctx.resolved.entries
    .map((e) => {
      if (e.kind === "component") return isComponentShown(e) ? componentItem(ctx, e) : "";
      const shown = e.group.components.filter(isComponentShown);
      if (shown.length === 0) return "";
      return `<li class="group">
<div class="row"><h3>${x(e.group.name)}</h3><span class="st c-${e.group.status}">${x(STATUS_WORDS[e.group.status] ?? "")}</span></div>
<ul class="plain">${shown.map((c) => componentItem(ctx, c)).join("\n")}</ul>
</li>`;
    })
    .filter((s) => s !== "");
  if (items.length === 0) return "";
  return `<section aria-labelledby="components-h">
<h2 id="components-h">Components</h2>
<ul class="plain components">
${items.join("\n")}
</ul>
</section>`;
}

export function subscribeSection(ctx: StatusHtmlContext): string {
  if (!ctx.subscriptions) return "";
  return `<section id="subscribe" aria-labelledby="subscribe-h">
<h2 id="subscribe-h">Get updates</h2>
<p class="meta">We email you when an incident or maintenance is posted or updated. You confirm by email first, and every message has a one-click unsubscribe link.</p>
<form method="post" action="${link(ctx, "/subscribe")}">
<label>Email address <input type="email" name="email" required autocomplete="email" maxlength="320"></label>
<button type="submit">Subscribe by email</button>
</form>
<details><summary>Or get a webhook</summary>
<form method="post" action="${link(ctx, "/subscribe")}">
<label>Webhook URL <input type="url" name="webhookUrl" required maxlength="2000" placeholder="https://"></label>
<label>Email address (to confirm) <input type="email" name="email" required autocomplete="email" maxlength="320"></label>
<button type="submit">Subscribe a webhook</button>
</form>
</details>
<p class="meta">Or follow the <a href="${link(ctx, "/history.atom")}">Atom</a> or <a href="${link(ctx, "/history.rss")}">RSS</a> feed.</p>
</section>`;
}

export function renderStatusPageHtml(ctx: StatusHtmlContext): string {
  const { snapshot, resolved, nowMs } = ctx;
  const zone = snapshot.page.timeZone;
  const recent = snapshot.incidents.filter(
    (i) => i.status === "resolved" && (i.resolvedAtMs ?? i.updatedAtMs) >= nowMs - RECENT_DAYS * DAY_MS,
  );
  const section = (id: string, title: string, inner: string) =>
    `<section aria-labelledby="${id}">\n<h2 id="${id}">${title}</h2>\n${inner}\n</section>`;
  const list = (cards: string[]) => `<ul class="plain">${cards.map((c) => `<li>${c}</li>`).join("\n")}</ul>`;
  const body = [
    `<section aria-labelledby="overall-h">
<h1 id="overall-h" class="banner i-${resolved.status.indicator}">${x(resolved.status.description)}</h1>
<p class="updated">Updated ${timeTag(snapshot.page.updatedAtMs, zone)}</p>
</section>`,
    resolved.openIncidents.length > 0
      ? section("active-h", "Active incidents", list(resolved.openIncidents.map((i) => incidentCard(ctx, i))))
      : "",
    resolved.activeMaintenances.length > 0
      ? section(
          "maint-now-h",
          "Maintenance in progress",
          list(resolved.activeMaintenances.map((m) => maintenanceCard(ctx, m))),
        )
      : "",
    resolved.upcomingMaintenances.length > 0
      ? section(
          "maint-next-h",
          "Scheduled maintenance",
          list(resolved.upcomingMaintenances.map((m) => maintenanceCard(ctx, m))),
        )
      : "",
    componentsSection(ctx),
    section(
      "recent-h",
      `Past incidents (${RECENT_DAYS} days)`,
      recent.length > 0
        ? `${list(recent.map((i) => incidentCard(ctx, i)))}`
        : `<p class="none">No incidents in the past ${RECENT_DAYS} days.</p>`,
    ) + `\n<p><a href="${link(ctx, "/history")}">Incident history (90 days)</a></p>`,
    subscribeSection(ctx),
  ];
  return layout(ctx, null, body.filter((s) => s !== "").join("\n"));
}

/** The day an instant falls on, for grouping history. */
export const dayHeading = (ms: number, zone: string): string => formatDay(ms, zone);
