import type { ContactMethod } from "../../core/alerts/records.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { ChannelPostOptions, IncidentChannelApi } from "../ports/incident-channel.js";
import type { NotificationSender } from "../ports/notifications.js";
import type { IncidentResponseRecord, ResponseChannel } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { incidentChannelName, planChannelInvite } from "./incident-channel-posts.js";
import { noticeMessage } from "./response-notices.js";
import { willRetry, type AttemptInfo } from "../../core/jobs/retry-decision.js";

/**
 * The incident's channel, worked in jobs (the network is never inside a request): open it (a Slack
 * channel of its own when the Slack app may create one, else the service's shared channel), invite the
 * people involved, and post the timeline's key events. A permanent failure is written on the timeline.
 */

/**
 * The job's context as these jobs use it: where it is in its attempts and, when the runner gives one,
 * a signal that aborts when the run must stop (the adapter also keeps its own deadline per call).
 */
export type ChannelJobContext = AttemptInfo & { readonly signal?: AbortSignal };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A Slack member id (U…/W…) a person linked: `slackUserId` in a Slack contact method, or named in its label. */
export function slackMemberIdOf(method: Pick<ContactMethod, "kind" | "label" | "config">): string | null {
  if (method.kind !== "slack") return null;
  const memberId = /^[UW][A-Z0-9]{2,30}$/;
  const configured = method.config.slackUserId;
  if (typeof configured === "string" && memberId.test(configured)) return configured;
  return method.label.split(/[^A-Za-z0-9]+/).find((word) => memberId.test(word)) ?? null;
}

export const involvedPeople = (r: IncidentResponseRecord): string[] =>
  [r.handlerId, r.commsLeadId, ...r.responderIds].filter((id): id is string => id !== null);

async function failOnTimeline(deps: AlertingDeps, incidentId: string, kind: string, message: string) {
  await deps.uow.run((tx) =>
    tx.timeline.append({ incidentId, at: deps.clock.now(), kind, actor: null, message, data: {} }),
  );
}

/** Saves the channel if it is still undecided (a second run of the job changes nothing). */
async function settleChannel(tx: Tx, incidentId: string, channel: ResponseChannel, atMs: number) {
  const record = await tx.incidentResponses.find(incidentId);
  if (!record || record.channel.kind !== "pending") return false;
  return tx.incidentResponses.update({ ...record, channel, version: record.version + 1, updatedAtMs: atMs });
}

/** The `response.channel-open` job. */
export async function openIncidentChannel(
  deps: AlertingDeps,
  api: IncidentChannelApi,
  incidentId: string,
  attempt: ChannelJobContext,
): Promise<void> {
  const loaded = await deps.uow.run(async (tx) => {
    const record = await tx.incidentResponses.find(incidentId);
    const incident = await tx.incidents.findById(incidentId);
    const service = incident && (await tx.services.findById(incident.serviceId));
    const shared = service?.channelId ? await tx.channels.findById(service.channelId) : undefined;
    return record && incident && record.channel.kind === "pending" ? { incident, shared } : undefined;
  });
  if (!loaded) return;
  const { incident, shared } = loaded;
  const fallback: ResponseChannel = shared
    ? { kind: "thread", channelId: shared.id, name: shared.name, url: null }
    : { kind: "none", channelId: null, name: null, url: null };
  if (!api.createsChannels) {
    await deps.uow.run((tx) => settleChannel(tx, incidentId, fallback, deps.clock.now().getTime()));
    return;
  }
  let created: { channelId: string; name: string; url: string | null };
  try {
    created = await api.createChannel(incidentChannelName(incident.number, incident.title), {
      signal: attempt.signal,
    });
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    await deps.uow.run((tx) => settleChannel(tx, incidentId, fallback, deps.clock.now().getTime()));
    const instead = fallback.kind === "thread" ? ` its key events go to ${fallback.name} instead` : "";
    await failOnTimeline(
      deps,
      incidentId,
      "channel.failed",
      `Could not create the incident channel: ${messageOf(err)};${instead}`,
    );
    return;
  }
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const settled = await settleChannel(
      tx,
      incidentId,
      { kind: "slack-channel", channelId: created.channelId, name: `#${created.name}`, url: created.url },
      now.getTime(),
    );
    if (!settled) return;
    await tx.timeline.append({
      incidentId,
      at: now,
      kind: "channel.created",
      actor: null,
      message: `Incident channel #${created.name} created`,
      data: { channelId: created.channelId, name: created.name },
    });
    const record = await tx.incidentResponses.find(incidentId);
    if (record) await planChannelInvite(tx, incidentId, involvedPeople(record), now);
  });
}

/** The `response.channel-invite` job: people whose Slack member id is known are invited; the rest are skipped. */
export async function inviteToIncidentChannel(
  deps: AlertingDeps,
  api: IncidentChannelApi,
  payload: { incidentId: string; userIds: readonly string[] },
  attempt: ChannelJobContext,
): Promise<void> {
  const loaded = await deps.uow.run(async (tx) => {
    const record = await tx.incidentResponses.find(payload.incidentId);
    if (!record || record.channel.kind !== "slack-channel" || !record.channel.channelId) return undefined;
    const memberIds: string[] = [];
    for (const userId of payload.userIds) {
      const linked = (await tx.contactMethods.listForUser(userId))
        .map(slackMemberIdOf)
        .find((id) => id !== null);
      if (linked) memberIds.push(linked);
    }
    return { channelId: record.channel.channelId, name: record.channel.name, memberIds };
  });
  if (!loaded || loaded.memberIds.length === 0) return;
  try {
    await api.invite(loaded.channelId, loaded.memberIds, { signal: attempt.signal });
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    await failOnTimeline(
      deps,
      payload.incidentId,
      "channel.failed",
      `Could not invite people to ${loaded.name ?? "the incident channel"}: ${messageOf(err)}`,
    );
  }
}

/** The `response.channel-post` job. Waits (retries) while the channel is not open yet. */
export async function postToIncidentChannel(
  deps: AlertingDeps,
  api: IncidentChannelApi,
  sender: NotificationSender,
  payload: { incidentId: string; text: string; idempotencyKey: string },
  attempt: ChannelJobContext,
): Promise<void> {
  const load = () =>
    deps.uow.run(async (tx) => {
      const record = await tx.incidentResponses.find(payload.incidentId);
      const incident = await tx.incidents.findById(payload.incidentId);
      const service = incident && (await tx.services.findById(incident.serviceId));
      if (!record || !incident || !service) return undefined;
      const shared =
        record.channel.kind === "thread" && record.channel.channelId
          ? await tx.channels.findById(record.channel.channelId)
          : undefined;
      const parent = shared ? await tx.deliveries.findLastExternalId(incident.id, shared.id) : null;
      return { record, incident, service, shared, parent };
    });
  let loaded = await load();
  if (loaded?.record.channel.kind === "pending" && !api.createsChannels) {
    // Without Slack channels the choice needs no network: make it here rather than wait for the open job.
    await openIncidentChannel(deps, api, payload.incidentId, attempt);
    loaded = await load();
  }
  if (!loaded) return;
  const { record, incident, service, shared, parent } = loaded;
  const where = record.channel.name ?? "the incident channel";
  // Any run after the first may follow one that posted but failed or died before finishing.
  const once: ChannelPostOptions = {
    idempotencyKey: payload.idempotencyKey,
    mayHavePosted: attempt.attempt > 1,
    notBefore: attempt.enqueuedAt,
    signal: attempt.signal,
  };
  try {
    if (record.channel.kind === "pending") {
      throw Object.assign(new Error("the incident channel is not open yet"), { retryable: true });
    } else if (record.channel.kind === "slack-channel" && record.channel.channelId) {
      await api.post(record.channel.channelId, `INC-${incident.number}: ${payload.text}`, once);
    } else if (shared && api.postsToSharedChannel(shared)) {
      await api.postToSharedChannel(shared, parent, `INC-${incident.number}: ${payload.text}`, once);
    } else if (shared) {
      const text = { title: `INC-${incident.number}: ${payload.text}`, details: [] };
      await sender.send(shared.kind, shared.config, noticeMessage(deps, incident, service.name, text, null), {
        idempotencyKey: payload.idempotencyKey,
        previousExternalId: null,
      });
    } else if (record.channel.kind === "thread") {
      // Its shared channel was deleted after triage: say so rather than post nowhere in silence.
      throw Object.assign(new Error("the channel was deleted; this update is only on the incident's page"), {
        retryable: false,
      });
    }
  } catch (err) {
    if (willRetry(err, attempt, deps.clock.now())) throw err;
    await failOnTimeline(
      deps,
      incident.id,
      "channel.failed",
      `Posting to ${where} failed: ${messageOf(err)}`,
    );
  }
}
