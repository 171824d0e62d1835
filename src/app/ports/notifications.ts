import type { IncidentMessage } from "../../core/notifications/incident-message.js";

/** Sends one message through a channel kind (implemented by src/notifiers, wired in src/server). */
export interface NotificationSender {
  /**
   * Throws on failure; an error whose `retryable` is false will not succeed on a retry.
   * `previousExternalId` lets a channel update what it sent before (a Slack message) instead of posting anew.
   */
  send(
    kind: string,
    config: Readonly<Record<string, unknown>>,
    message: IncidentMessage,
    context: { idempotencyKey: string; previousExternalId: string | null },
  ): Promise<{ externalId: string | null }>;
}

/** Validates and describes channel settings, so the app can refuse a bad config with a 400. */
export interface NotifierCatalog {
  kinds(): readonly string[];
  /** Returns the normalised config or throws AppError VALIDATION naming the field under `/config`. */
  validate(kind: string, config: unknown): Record<string, unknown>;
  /** A description with no secrets, e.g. "Slack webhook (hooks.slack.com)". */
  describe(kind: string, config: Readonly<Record<string, unknown>>): string;
}
