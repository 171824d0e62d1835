import type { Delivery } from "../../core/alerts/records.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { GroupCommit } from "../group-commit.js";
import type { NotificationSender } from "../ports/notifications.js";
import type { Tx } from "../ports/store.js";
import { buildIncidentMessage } from "./build-incident-message.js";

const PAGE_EVENTS: ReadonlySet<Delivery["event"]> = new Set(["triggered", "escalated", "reopened"]);

export interface AttemptInfo {
  readonly attempt: number;
  readonly maxAttempts: number;
}

const failureOf = (err: unknown): { retryable: boolean; message: string } => ({
  // Anything that does not say it is permanent (a bug, a crash of the sender) is worth another try.
  retryable: (err as { retryable?: unknown })?.retryable !== false,
  message: err instanceof Error ? err.message : String(err),
});

/**
 * The `notification.send` job. The send happens outside any transaction (it waits on the network);
 * the delivery row fences it: once sent, failed or skipped, a re-run does nothing. A worker that dies
 * between the send and the record sends again with the same idempotency key.
 */
export async function sendDelivery(
  deps: AlertingDeps,
  sender: NotificationSender,
  deliveryId: string,
  attempt: AttemptInfo,
  recordOutcome: OutcomeRecorder = recordOutcomeAlone(deps),
): Promise<void> {
  const now = deps.clock.now();
  const loaded = await deps.uow.run(async (tx) => {
    const delivery = await tx.deliveries.findById(deliveryId);
    if (!delivery || delivery.status !== "pending") return undefined;
    const incident = await tx.incidents.findById(delivery.incidentId);
    const service = incident && (await tx.services.findById(incident.serviceId));
    if (!incident || !service) return undefined;
    // A page that comes due after someone acknowledged (or resolved) is not sent: nobody needs waking.
    if (
      delivery.recipientKind === "user" &&
      PAGE_EVENTS.has(delivery.event) &&
      incident.state !== "triggered"
    ) {
      await tx.deliveries.markAttempt(delivery.id, {
        status: "skipped",
        attempts: delivery.attempts,
        lastError: null,
      });
      return undefined;
    }
    const target =
      delivery.recipientKind === "user"
        ? await tx.contactMethods.findById(delivery.contactMethodId ?? "")
        : await tx.channels.findById(delivery.channelId ?? "");
    const recipient =
      delivery.recipientKind === "user" ? await tx.users.findById(delivery.recipientId) : undefined;
    const previousExternalId = delivery.channelId
      ? await tx.deliveries.findLastExternalId(incident.id, delivery.channelId)
      : null;
    return {
      delivery,
      incident,
      service,
      target,
      recipient,
      previousExternalId,
      alerts: await tx.alerts.listForIncident(incident.id),
    };
  });
  if (!loaded) return;
  const { delivery, target } = loaded;
  const who = loaded.recipient?.name ?? target?.kind ?? "channel";
  const via = target
    ? `${target.kind}${"label" in target ? ` (${target.label})` : ""}`
    : "a removed contact method";

  if (!target) {
    await recordOutcome(delivery, {
      status: "failed",
      error: "the contact method or channel was removed",
      attempts: delivery.attempts,
      timeline: `Could not notify ${who}: ${via}`,
    });
    return;
  }
  const message = buildIncidentMessage(deps, {
    ...loaded,
    recipientName: loaded.recipient?.name ?? null,
    now,
  });
  try {
    const result = await sender.send(target.kind, target.config, message, {
      idempotencyKey: delivery.idempotencyKey,
      previousExternalId: loaded.previousExternalId,
    });
    await recordOutcome(delivery, {
      status: "sent",
      attempts: delivery.attempts + 1,
      externalId: result.externalId,
      timeline: `Notified ${who} by ${via}`,
    });
  } catch (err) {
    const failure = failureOf(err);
    if (failure.retryable && attempt.attempt < attempt.maxAttempts) {
      await deps.uow.run((tx) =>
        tx.deliveries.markAttempt(delivery.id, {
          status: "pending",
          attempts: delivery.attempts + 1,
          lastError: failure.message,
        }),
      );
      throw err;
    }
    // Permanent (or out of attempts): on the timeline for people to see; escalation goes on regardless.
    await recordOutcome(delivery, {
      status: "failed",
      error: failure.message,
      attempts: delivery.attempts + 1,
      timeline: `Notifying ${who} by ${via} failed: ${failure.message}`,
    });
  }
}

type Outcome = {
  status: "sent" | "failed";
  attempts: number;
  timeline: string;
  error?: string;
  externalId?: string | null;
};

/** Writes a delivery's outcome (its row and a timeline entry), stamped with the clock at the write. */
export type OutcomeRecorder = (delivery: Delivery, outcome: Outcome) => Promise<void>;

async function writeOutcome(tx: Tx, delivery: Delivery, outcome: Outcome, now: Date): Promise<void> {
  await tx.deliveries.markAttempt(delivery.id, {
    status: outcome.status,
    attempts: outcome.attempts,
    lastError: outcome.error ?? null,
    externalId: outcome.externalId ?? null,
    sentAt: outcome.status === "sent" ? now : null,
  });
  await tx.timeline.append({
    incidentId: delivery.incidentId,
    at: now,
    kind: outcome.status === "sent" ? "notification.sent" : "notification.failed",
    actor: null,
    message: outcome.timeline,
    data: { deliveryId: delivery.id, event: delivery.event, ...(outcome.error && { error: outcome.error }) },
  });
}

const recordOutcomeAlone =
  (deps: AlertingDeps): OutcomeRecorder =>
  (delivery, outcome) =>
    deps.uow.run((tx) => writeOutcome(tx, delivery, outcome, deps.clock.now()));

/** Outcomes of concurrent sends share one transaction (one commit for many deliveries). */
export function groupedOutcomeRecorder(deps: AlertingDeps): OutcomeRecorder {
  type Entry = { delivery: Delivery; outcome: Outcome };
  const group = new GroupCommit<Entry, void>(
    (entries) =>
      deps.uow.run(async (tx) => {
        const now = deps.clock.now();
        for (const e of entries) await writeOutcome(tx, e.delivery, e.outcome, now);
        return entries.map(() => undefined);
      }),
    (e) => recordOutcomeAlone(deps)(e.delivery, e.outcome),
    200,
  );
  return (delivery, outcome) => group.submit({ delivery, outcome });
}
