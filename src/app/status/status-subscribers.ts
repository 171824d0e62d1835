import { createHmac } from "node:crypto";
import { requireRole } from "../../core/auth/actor.js";
import { checkEmail } from "../../core/auth/credentials.js";
import { AppError, notFound, validationError, type FieldError } from "../../core/errors.js";
import { checkHttpUrl } from "../../core/status/status-input.js";
import type { StatusSubscriberRecord } from "../../core/status/status-records.js";
import { recordChange } from "../audit/record-change.js";
import { hashToken, newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { StatusDeps } from "./status-deps.js";

/**
 * Subscribers: email with double opt-in (nothing is sent but the confirmation until its link is
 * opened), webhooks confirmed by email the same way, one-click unsubscribe. Tokens are HMACs of the
 * subscriber id under the link secret; only their hashes are stored.
 */

export const CONFIRM_WITHIN_MS = 7 * 24 * 60 * 60_000;

const tokenOf = (secret: string, purpose: string, id: string, prefix: string) =>
  `${prefix}_${createHmac("sha256", secret).update(`firebreak-status-${purpose}:${id}`).digest("base64url")}`;

export const confirmTokenFor = (secret: string, subscriberId: string) =>
  tokenOf(secret, "confirm", subscriberId, "fbsc");
export const unsubscribeTokenFor = (secret: string, subscriberId: string) =>
  tokenOf(secret, "unsubscribe", subscriberId, "fbsu");

export interface SubscribeInput {
  readonly email?: unknown;
  readonly webhookUrl?: unknown;
}

export type SubscribeOutcome = "confirmation-sent" | "already-subscribed";

/** Public: records an unconfirmed subscriber and plans the confirmation mail. */
export async function subscribe(
  deps: StatusDeps,
  pageId: string,
  input: SubscribeInput,
): Promise<SubscribeOutcome> {
  if (!deps.statusChannels.emailEnabled)
    throw new AppError(
      "PRECONDITION_FAILED",
      "this status page does not offer subscriptions (no email is set up)",
    );
  const errors: FieldError[] = [];
  const email = typeof input.email === "string" ? input.email.trim().toLowerCase() : "";
  if (email.length > 320) errors.push({ path: "/email", message: "must be at most 320 characters" });
  else errors.push(...checkEmail(email, "/email"));
  const webhookUrl =
    typeof input.webhookUrl === "string" && input.webhookUrl.trim() !== "" ? input.webhookUrl.trim() : null;
  if (webhookUrl !== null) checkHttpUrl(errors, "/webhookUrl", webhookUrl);
  if (errors.length > 0) throw validationError(errors);
  const kind = webhookUrl ? "webhook" : "email";
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const page = await tx.statusPages.findById(pageId);
    if (!page) throw notFound("status page", pageId);
    const existing = await tx.statusSubscribers.findByAddress(pageId, kind, email, webhookUrl);
    if (existing?.confirmedAtMs != null) return "already-subscribed";
    // Asked again before confirming: a fresh confirmation mail (the same link).
    const id = existing?.id ?? newId();
    if (!existing) {
      const subscriber: StatusSubscriberRecord = {
        id,
        pageId,
        kind,
        email,
        webhookUrl,
        confirmTokenHash: hashToken(confirmTokenFor(deps.linkSecret, id)),
        unsubscribeTokenHash: hashToken(unsubscribeTokenFor(deps.linkSecret, id)),
        confirmedAtMs: null,
        createdAtMs: nowMs,
      };
      await tx.statusSubscribers.insert(subscriber);
    }
    await tx.jobs.enqueue(
      "status.confirm-subscriber",
      { subscriberId: id },
      { runAt: new Date(nowMs), key: `status-confirm:${id}`, keyMode: "replace", maxAttempts: 8 },
    );
    return "confirmation-sent";
  });
}

/** Public: the confirmation link. True once confirmed (again is fine); false for an unknown or stale link. */
export async function confirmSubscription(deps: StatusDeps, pageId: string, token: string): Promise<boolean> {
  const nowMs = deps.clock.now().getTime();
  return deps.uow.run(async (tx) => {
    const s = await tx.statusSubscribers.findByConfirmTokenHash(hashToken(token));
    if (!s || s.pageId !== pageId) return false;
    if (s.confirmedAtMs !== null) return true;
    if (nowMs - s.createdAtMs > CONFIRM_WITHIN_MS) return false;
    await tx.statusSubscribers.confirm(s.id, nowMs);
    return true;
  });
}

/** Public, one click (RFC 8058): removes the subscriber. True when there was one. */
export async function unsubscribe(deps: StatusDeps, pageId: string, token: string): Promise<boolean> {
  return deps.uow.run(async (tx) => {
    const s = await tx.statusSubscribers.findByUnsubscribeTokenHash(hashToken(token));
    if (!s || s.pageId !== pageId) return false;
    return tx.statusSubscribers.delete(s.id);
  });
}

export interface SubscriberView {
  readonly id: string;
  readonly pageId: string;
  readonly kind: StatusSubscriberRecord["kind"];
  readonly email: string;
  readonly webhookUrl: string | null;
  readonly confirmedAt: Date | null;
  readonly createdAt: Date;
}

const subscriberView = (s: StatusSubscriberRecord): SubscriberView => ({
  id: s.id,
  pageId: s.pageId,
  kind: s.kind,
  email: s.email,
  webhookUrl: s.webhookUrl,
  confirmedAt: s.confirmedAtMs === null ? null : new Date(s.confirmedAtMs),
  createdAt: new Date(s.createdAtMs),
});

export async function listSubscribers(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
): Promise<SubscriberView[]> {
  requireRole(caller.actor, "admin");
  return deps.uow.run(async (tx) => {
    if (!(await tx.statusPages.findById(pageId))) throw notFound("status page", pageId);
    return (await tx.statusSubscribers.listForPage(pageId)).map(subscriberView);
  });
}

export async function deleteSubscriber(
  deps: StatusDeps,
  caller: Caller,
  pageId: string,
  subscriberId: string,
): Promise<void> {
  requireRole(caller.actor, "admin");
  const at = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const s = await tx.statusSubscribers.findById(subscriberId);
    if (!s || s.pageId !== pageId) throw notFound("subscriber", subscriberId);
    await tx.statusSubscribers.delete(subscriberId);
    await recordChange(tx, caller, at, {
      action: "status_subscriber.delete",
      entityType: "status_page",
      entityId: pageId,
      before: subscriberView(s),
      after: null,
    });
  });
}
