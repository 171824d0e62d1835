import { maintenanceStatusAt } from "./component-status.js";
import { escapeMarkup as x, formatDuration, formatMonth, STATUS_WORDS } from "./status-markup.js";
import {
  DAY_MS,
  incidentCard,
  layout,
  link,
  maintenanceCard,
  timeTag,
  updatesList,
  type StatusHtmlContext,
} from "./status-html.js";
import { UPTIME_DAYS } from "./uptime.js";
import { maintenanceEndedAtMs } from "./statuspage-json.js";

/** The history page (90 days, by month), one incident's page, one maintenance's page, and notices. */

export function renderHistoryHtml(ctx: StatusHtmlContext): string {
  const zone = ctx.snapshot.page.timeZone;
  const since = ctx.nowMs - UPTIME_DAYS * DAY_MS;
  const items = [
    ...ctx.snapshot.incidents
      .filter((i) => i.createdAtMs >= since || i.status !== "resolved")
      .map((i) => ({ atMs: i.createdAtMs, html: incidentCard(ctx, i) })),
    ...ctx.snapshot.maintenances
      .filter((m) => m.scheduledForMs >= since && m.scheduledForMs <= ctx.nowMs)
      .map((m) => ({ atMs: m.scheduledForMs, html: maintenanceCard(ctx, m) })),
  ].sort((a, b) => b.atMs - a.atMs);
  const months = new Map<string, string[]>();
  for (const item of items) {
    const month = formatMonth(item.atMs, zone);
    months.set(month, [...(months.get(month) ?? []), item.html]);
  }
  const body =
    items.length === 0
      ? `<p class="none">No incidents or maintenance in the past ${UPTIME_DAYS} days.</p>`
      : [...months]
          .map(
            ([month, cards], n) =>
              `<section aria-labelledby="m${n}" class="day">\n<h2 id="m${n}">${x(month)}</h2>\n<ul class="plain">${cards.map((c) => `<li>${c}</li>`).join("\n")}</ul>\n</section>`,
          )
          .join("\n");
  return layout(
    ctx,
    "History",
    `<h1>Incident history</h1>\n<p class="meta">The past ${UPTIME_DAYS} days.</p>\n${body}`,
  );
}

export function renderIncidentHtml(ctx: StatusHtmlContext, incidentId: string): string | null {
  const incident = ctx.snapshot.incidents.find((i) => i.id === incidentId);
  if (!incident) return null;
  const zone = ctx.snapshot.page.timeZone;
  const affected = ctx.resolved.components.filter((c) => incident.componentIds.includes(c.component.id));
  const lasted =
    incident.resolvedAtMs !== null
      ? `Resolved after ${x(formatDuration(incident.resolvedAtMs - incident.createdAtMs))}.`
      : `Ongoing for ${x(formatDuration(ctx.nowMs - incident.createdAtMs))}.`;
  const body = `<article>
<h1>${x(incident.name)}</h1>
<p class="meta"><span class="st c-${incident.status === "resolved" ? "operational" : incident.componentStatus}">${x(STATUS_WORDS[incident.status] ?? "")}</span> · Impact: ${x(incident.impact)} · Started ${timeTag(incident.createdAtMs, zone)}. ${lasted}</p>
${affected.length > 0 ? `<h2>Affected components</h2>\n<ul>${affected.map((c) => `<li>${x(c.component.name)}</li>`).join("")}</ul>` : ""}
<h2>Updates</h2>
${updatesList(incident.updates, zone) || '<p class="none">No updates yet.</p>'}
</article>
<p><a href="${link(ctx, "/history")}">All incidents</a></p>`;
  return layout(ctx, incident.name, body);
}

export function renderMaintenanceHtml(ctx: StatusHtmlContext, maintenanceId: string): string | null {
  const m = ctx.snapshot.maintenances.find((item) => item.id === maintenanceId);
  if (!m) return null;
  const zone = ctx.snapshot.page.timeZone;
  const status = maintenanceStatusAt(m, ctx.nowMs);
  const ended = maintenanceEndedAtMs(m, ctx.nowMs);
  const affected = ctx.resolved.components.filter((c) => m.componentIds.includes(c.component.id));
  const body = `<article>
<h1>${x(m.name)}</h1>
<p class="meta"><span class="st c-under_maintenance">${x(STATUS_WORDS[status] ?? "")}</span> · Scheduled ${timeTag(m.scheduledForMs, zone)} to ${timeTag(m.scheduledUntilMs, zone)}${m.cancelledAtMs !== null ? " · Cancelled" : ended !== null ? ` · Ended ${timeTag(ended, zone)}` : ""}</p>
<p>${x(m.body)}</p>
${affected.length > 0 ? `<h2>Affected components</h2>\n<ul>${affected.map((c) => `<li>${x(c.component.name)}</li>`).join("")}</ul>` : ""}
<h2>Updates</h2>
${updatesList(m.updates, zone) || '<p class="none">No updates yet.</p>'}
</article>`;
  return layout(ctx, m.name, body);
}

/** A short page answering a form (subscribed, confirmed, unsubscribed, or what was wrong). */
export function renderNoticeHtml(ctx: StatusHtmlContext, heading: string, text: string): string {
  return layout(
    ctx,
    heading,
    `<section aria-labelledby="notice-h" class="card">\n<h1 id="notice-h">${x(heading)}</h1>\n<p>${x(text)}</p>\n<p><a href="${link(ctx, "/")}">Back to the status page</a></p>\n</section>`,
  );
}
