import type { NotificationSender } from "../../src/app/ports/notifications.js";
import type { IncidentMessage } from "../../src/core/notifications/incident-message.js";
import { heldBackError } from "../../src/notifiers/receiver-gate.js";

export interface SentMessage {
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly message: IncidentMessage;
  readonly idempotencyKey: string;
}

/** A NotificationSender that records what would have been sent, and can be told to fail. */
export class RecordingSender implements NotificationSender {
  readonly sent: SentMessage[] = [];
  private failures: Array<{ retryable: boolean; message: string } | "held back"> = [];

  /** The next `count` sends throw, retryable or not. */
  failNext(count: number, retryable: boolean, message = "receiver answered 503"): void {
    for (let i = 0; i < count; i++) this.failures.push({ retryable, message });
  }

  /** The next `count` sends are held back untried, as the receiver gate does while a receiver is dead. */
  holdBackNext(count: number, retryAfterMs = 5 * 60_000): void {
    for (let i = 0; i < count; i++) this.failures.push("held back");
    this.heldBackRetryAfterMs = retryAfterMs;
  }
  private heldBackRetryAfterMs = 0;

  async send(
    kind: string,
    config: Readonly<Record<string, unknown>>,
    message: IncidentMessage,
    context: { idempotencyKey: string },
  ) {
    const failure = this.failures.shift();
    if (failure === "held back")
      throw heldBackError("Webhook (127.0.0.1:9)", { retryAfterMs: this.heldBackRetryAfterMs, failures: 5 });
    if (failure) throw Object.assign(new Error(failure.message), { retryable: failure.retryable });
    this.sent.push({ kind, config, message, idempotencyKey: context.idempotencyKey });
    return { externalId: null };
  }

  /** Who got what, as "recipient:event" (a channel's recipient is "#channel"). */
  summary(): string[] {
    return this.sent.map((s) => `${s.message.recipientName ?? "#channel"}:${s.message.event}`);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
