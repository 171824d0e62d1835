import type { IncidentMessage } from "../core/notifications/incident-message.js";

/** Why a send failed, for metrics and for the timeline (Alertmanager's `Reason`). */
export type NotifyFailureReason =
  | "client"
  | "server"
  | "rate_limited"
  | "auth"
  | "timeout"
  | "network"
  | "config"
  /** Held back: the receiver stopped answering lately (see ReceiverGate). */
  | "not_tried";

/**
 * A send that failed. The notifier decides whether trying again can help: 5xx, 408, 425, 429,
 * timeouts and network errors are retryable; other 4xx and bad configuration are not.
 * Messages never contain secrets (webhook URLs, tokens, passwords).
 */
export class NotifyError extends Error {
  readonly retryable: boolean;
  readonly reason: NotifyFailureReason;
  /** Seconds the receiver asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** Held back without being tried: the job runner gives the attempt back (see core/jobs/retry-decision). */
  readonly notAttempted: boolean;

  constructor(
    message: string,
    options: { retryable: boolean; reason: NotifyFailureReason; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NotifyError";
    this.retryable = options.retryable;
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.notAttempted = options.reason === "not_tried";
  }
}

export interface SendContext {
  /** Same for every attempt of one delivery; receivers that support it deduplicate on it. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  /** externalId of this incident's earlier message on this channel; channels that can edit (Slack app) update it. */
  readonly previousExternalId?: string | null;
}

export interface SendResult {
  /** The receiver's id for what we sent (Slack `ts`, email Message-ID), to update or thread later. */
  readonly externalId: string | null;
}

/** One channel. `config` is the channel's own settings (URL, token, address), validated by `parseConfig`. */
export interface Notifier<Config> {
  readonly kind: string;
  /**
   * Validates stored or submitted settings; throws with a message naming the field. Keys the kind
   * does not read are ignored: a save refuses them before (core/notifications/config-field-names.ts).
   */
  parseConfig(raw: unknown): Config;
  send(message: IncidentMessage, config: Config, context: SendContext): Promise<SendResult>;
  /** Describes the config for people and logs, secrets hidden (e.g. the webhook's host only). */
  describe(config: Config): string;
  /**
   * Why valid settings cannot send from this server (an address-only email where no server SMTP is
   * set), as the field to blame and its message: refused when saved rather than failing every page.
   */
  unusable?(config: Config): { readonly field: string; readonly message: string } | undefined;
}
