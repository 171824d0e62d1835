import { maintenanceStatusAt, resolvePage } from "../../core/status/component-status.js";
import { incidentJson, maintenanceJson } from "../../core/status/statuspage-json.js";
import { formatDateTime } from "../../core/status/status-markup.js";
import { renderConfirmationMail, renderUpdateMail } from "../../core/status/subscriber-messages.js";
import type { EnqueueRequest, JobPayloads, StatusNotice } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import type { StatusDeps } from "./status-deps.js";
import { confirmTokenFor, unsubscribeTokenFor } from "./status-subscribers.js";
import { loadSnapshot, pageBaseUrl } from "./status-views.js";

/**
 * Telling subscribers: a fan-out job plans one send job per confirmed subscriber (each retried on its
 * own, keyed so a second fan-out while they wait adds none), and the send renders the mail (with
 * one-click unsubscribe, RFC 8058) or the Statuspage-style webhook body.
 */

export async function fanOutStatusNotice(tx: Tx, notice: StatusNotice, now: Date): Promise<number> {
  const ids = await tx.statusSubscribers.listConfirmedIds(notice.pageId);
  const jobs: EnqueueRequest[] = ids.map((subscriberId) => ({
    kind: "status.notify-subscriber",
    payload: { ...notice, subscriberId },
    options: {
      runAt: now,
      key: `status-notify:${notice.updateId}:${subscriberId}`,
      keyMode: "keep-earliest",
      maxAttempts: 8,
    },
  }));
  if (jobs.length > 0) await tx.jobs.enqueueMany(jobs);
  return jobs.length;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host || "firebreak";
  } catch {
    return "firebreak";
  }
};

/** `status.notify-subscriber`: one update to one subscriber; gone or unconfirmed subscribers get nothing. */
export async function sendStatusNotice(
  deps: StatusDeps,
  payload: JobPayloads["status.notify-subscriber"],
  now: Date,
): Promise<"sent" | "skipped"> {
  const nowMs = now.getTime();
  const loaded = await deps.uow.run(async (tx) => {
    const subscriber = await tx.statusSubscribers.findById(payload.subscriberId);
    const page = await tx.statusPages.findById(payload.pageId);
    if (!subscriber || subscriber.confirmedAtMs === null || !page || subscriber.pageId !== page.id)
      return undefined;
    return { subscriber, snapshot: await loadSnapshot(tx, page, deps.publicUrl, nowMs) };
  });
  if (!loaded) return "skipped";
  const { subscriber, snapshot } = loaded;
  const resolved = resolvePage(snapshot, nowMs);
  const incident =
    payload.kind === "incident" ? snapshot.incidents.find((i) => i.id === payload.itemId) : undefined;
  const maintenance =
    payload.kind === "maintenance" ? snapshot.maintenances.find((m) => m.id === payload.itemId) : undefined;
  const update = (incident?.updates ?? maintenance?.updates ?? []).find((u) => u.id === payload.updateId);
  if ((!incident && !maintenance) || !update) return "skipped";
  const base = snapshot.baseUrl;
  const unsubscribeUrl = `${base}/unsubscribe?token=${unsubscribeTokenFor(deps.linkSecret, subscriber.id)}`;
  const idempotencyKey = `status:${payload.updateId}:${subscriber.id}`;

  if (subscriber.kind === "webhook" && subscriber.webhookUrl) {
    const body = {
      // `documentation`: where the subscriber reads about these updates: the status page itself.
      meta: { unsubscribe: unsubscribeUrl, documentation: base },
      page: {
        id: snapshot.page.id,
        status_indicator: resolved.status.indicator,
        status_description: resolved.status.description,
      },
      incident: incident
        ? incidentJson(snapshot, resolved, incident)
        : maintenanceJson(snapshot, resolved, maintenance!, nowMs),
    };
    await deps.statusChannels.postWebhook(subscriber.webhookUrl, JSON.stringify(body), idempotencyKey);
    return "sent";
  }
  const zone = snapshot.page.timeZone;
  const itemName = incident?.name ?? maintenance?.name ?? "";
  const itemUrl = incident
    ? `${base}/incidents/${encodeURIComponent(incident.id)}`
    : `${base}/maintenances/${encodeURIComponent(payload.itemId)}`;
  const mail = renderUpdateMail({
    pageTitle: snapshot.page.title,
    pageUrl: base,
    itemName,
    itemUrl,
    kind: payload.kind,
    status: maintenance ? maintenanceStatusAt(maintenance, update.createdAtMs) : update.status,
    body: update.body,
    atMs: update.createdAtMs,
    timeZone: zone,
    details: maintenance
      ? [
          `Scheduled: ${formatDateTime(maintenance.scheduledForMs, zone)} to ${formatDateTime(maintenance.scheduledUntilMs, zone)}`,
        ]
      : [],
    unsubscribeUrl,
  });
  const host = hostOf(deps.publicUrl);
  await deps.statusChannels.sendEmail({
    to: subscriber.email,
    ...mail,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Auto-Submitted": "auto-generated",
      // Every update of one incident threads under the same root.
      "In-Reply-To": `<status-${payload.itemId}@${host}>`,
      References: `<status-${payload.itemId}@${host}>`,
    },
    messageId: `<status-${payload.updateId}-${subscriber.id}@${host}>`,
  });
  return "sent";
}

/** `status.confirm-subscriber`: the double opt-in mail. */
export async function sendSubscriberConfirmation(
  deps: StatusDeps,
  subscriberId: string,
): Promise<"sent" | "skipped"> {
  const loaded = await deps.uow.run(async (tx) => {
    const subscriber = await tx.statusSubscribers.findById(subscriberId);
    const page = subscriber && (await tx.statusPages.findById(subscriber.pageId));
    return subscriber && page && subscriber.confirmedAtMs === null ? { subscriber, page } : undefined;
  });
  if (!loaded) return "skipped";
  const base = pageBaseUrl(loaded.page, deps.publicUrl);
  const mail = renderConfirmationMail({
    pageTitle: loaded.page.title,
    pageUrl: base,
    confirmUrl: `${base}/subscribe/confirm?token=${confirmTokenFor(deps.linkSecret, subscriberId)}`,
    webhookUrl: loaded.subscriber.webhookUrl,
  });
  await deps.statusChannels.sendEmail({
    to: loaded.subscriber.email,
    ...mail,
    headers: { "Auto-Submitted": "auto-generated" },
    messageId: `<status-confirm-${subscriberId}@${hostOf(deps.publicUrl)}>`,
  });
  return "sent";
}
