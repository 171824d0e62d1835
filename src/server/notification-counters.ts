import { Counter } from "prom-client";
import type { NotificationSender } from "../app/ports/notifications.js";
import { isPermanent, wasNotAttempted } from "../core/jobs/retry-decision.js";
import { isNotifierKind, NOTIFIER_KINDS } from "../notifiers/registry.js";

/**
 * What one send came to, in the terms the job runner acts on (core/jobs/retry-decision.ts):
 * - `sent`: the receiver took it;
 * - `failed_retryable`: it failed in a way another try may mend (5xx, 429, timeout, no connection);
 * - `failed_permanent`: the receiver or its settings refused it (4xx, bad config): a retry cannot help;
 * - `held_back`: not tried, the receiver's breaker is open (see ReceiverGate).
 */
export const NOTIFICATION_OUTCOMES = ["sent", "failed_retryable", "failed_permanent", "held_back"] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

/** The kind label of a kind the registry does not know (a setting saved by a newer version). */
const UNKNOWN_KIND = "unknown";

export type NotificationCounter = Counter<"kind" | "outcome">;

/** A failed send's outcome; anything that does not say it is permanent is retried, so counted retryable. */
export function outcomeOfFailedSend(err: unknown): NotificationOutcome {
  if (wasNotAttempted(err)) return "held_back";
  return isPermanent(err) ? "failed_permanent" : "failed_retryable";
}

/**
 * firebreak_notifications_total, in no registry: createMetrics adds it to its own. Every registered
 * kind starts at 0 for every outcome, so `increase()` sees a send's first failure too.
 */
export function createNotificationCounter(): NotificationCounter {
  const counter = new Counter({
    name: "firebreak_notifications_total",
    help: `Sends of this process by channel kind and outcome (${NOTIFICATION_OUTCOMES.join(", ")}); each attempt of a retried send counts once`,
    labelNames: ["kind", "outcome"] as const,
    registers: [],
  });
  for (const kind of NOTIFIER_KINDS) {
    for (const outcome of NOTIFICATION_OUTCOMES) counter.labels(kind, outcome).inc(0);
  }
  return counter;
}

/**
 * The process's counter. The sender is wired apart from the metrics (see notification-wiring.ts),
 * and a process sends through its one wiring, so both take this one; tests pass their own.
 */
export const processNotificationCounter: NotificationCounter = createNotificationCounter();

/** `inner`, counting each send's outcome once: a send retried twice then delivered counts 2 + 1. */
export function countingSender(
  inner: NotificationSender,
  counter: NotificationCounter = processNotificationCounter,
): NotificationSender {
  return {
    async send(kind, config, message, context) {
      // The label stays within the registry's kinds: a stored kind never grows the series.
      const kindLabel = isNotifierKind(kind) ? kind : UNKNOWN_KIND;
      let result: Awaited<ReturnType<NotificationSender["send"]>>;
      try {
        result = await inner.send(kind, config, message, context);
      } catch (err) {
        counter.labels(kindLabel, outcomeOfFailedSend(err)).inc();
        throw err;
      }
      counter.labels(kindLabel, "sent").inc();
      return result;
    },
  };
}
