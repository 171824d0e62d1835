import type { Incident } from "../../core/incidents/incident.js";
import type { TimelineDraft } from "../../core/response/response-action.js";
import { newId } from "../auth/secrets.js";
import type { Tx } from "../ports/store.js";

/** Which timeline entries the incident's channel hears about: the ones that change the plan. */
export const CHANNEL_EVENT_KINDS: ReadonlySet<string> = new Set([
  "triage.recorded",
  "role.handler-named",
  "handover.proposed",
  "handover.accepted",
  "handover.declined",
  "handover.cancelled",
  "role.comms-lead-named",
  "call-in.paged",
  "fix.rule-overridden",
  "fix.started",
  "fix.deployed",
  "fix.verified",
  "fix.failed",
  "fix.regression",
  "follow-up.created",
  "watch.quiet",
  "watch.still-firing",
  "watch.possible-regression",
  "phase.changed",
  "public-update.posted",
  "internal-update.posted",
  "video-call.set",
]);

/** A channel post is worth this many tries (about 17 minutes of backoff) before it is given up on the timeline. */
export const CHANNEL_JOB_MAX_ATTEMPTS = 10;

/** While the channel is being opened, posts wait this long first (a post that finds it unopened retries). */
export const WAIT_FOR_CHANNEL_MS = 2_000;

/** Plans one `response.channel-post` job per key event, in the caller's transaction. */
export async function postKeyEvents(
  tx: Tx,
  incident: Incident,
  drafts: readonly TimelineDraft[],
  now: Date,
): Promise<void> {
  const posts = drafts.filter((d) => CHANNEL_EVENT_KINDS.has(d.kind));
  if (posts.length === 0) return;
  const channel = (await tx.incidentResponses.find(incident.id))?.channel.kind ?? "pending";
  const runAt = channel === "pending" ? new Date(now.getTime() + WAIT_FOR_CHANNEL_MS) : now;
  await tx.jobs.enqueueMany(
    posts.map((draft) => ({
      kind: "response.channel-post" as const,
      payload: {
        incidentId: incident.id,
        text: draft.message,
        idempotencyKey: `post:${incident.id}:${newId()}`,
      },
      options: { runAt, maxAttempts: CHANNEL_JOB_MAX_ATTEMPTS },
    })),
  );
}

/** Plans the opening of the incident's channel (once, at its first triage). */
export const planChannelOpen = (tx: Tx, incidentId: string, now: Date) =>
  tx.jobs.enqueue(
    "response.channel-open",
    { incidentId },
    { runAt: now, key: `response-channel:${incidentId}`, maxAttempts: CHANNEL_JOB_MAX_ATTEMPTS },
  );

/** Plans invitations to the incident's Slack channel (nothing happens when it has none). */
export async function planChannelInvite(tx: Tx, incidentId: string, userIds: readonly string[], now: Date) {
  if (userIds.length === 0) return;
  await tx.jobs.enqueue(
    "response.channel-invite",
    { incidentId, userIds: [...new Set(userIds)] },
    { runAt: now, maxAttempts: CHANNEL_JOB_MAX_ATTEMPTS },
  );
}

/** `inc-123-checkout-is-down`: Slack's rules (lowercase letters, digits, `-`, `_`; at most 80 characters). */
export function incidentChannelName(number: number, title: string): string {
  const prefix = `inc-${number}`;
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const room = 80 - prefix.length - 1;
  const cut = slug.slice(0, room).replace(/-+$/g, "");
  return cut === "" ? prefix : `${prefix}-${cut}`;
}
