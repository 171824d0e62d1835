import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { NotifierConfigField } from "../../core/notifications/config-field-names.js";
import { ConfigFields } from "../config-fields.js";
import type { Notifier, SendContext, SendResult } from "../contract.js";
import { hostOf, httpPost } from "../http-post.js";
import { noticeHeadline, noticeIncident, noticeLink } from "../render-notice.js";
import { signWebhookBody } from "./verify-webhook-signature.js";

export interface WebhookConfig {
  readonly url: string;
  /** Signs each request (X-Firebreak-Signature) when set. */
  readonly secret: string | undefined;
}

/**
 * The JSON a generic webhook receives; `version` changes only when a field changes meaning or goes.
 * `type` says what it is about: an incident (`event` is its change, `incident` its state), or a
 * notice or test that is about no incident's state (`notice`), which a receiver must never page on.
 */
export type WebhookPayload = IncidentWebhookPayload | NoticeWebhookPayload;

interface PayloadHead {
  readonly version: 1;
  /**
   * The Idempotency-Key header's value, inside the signed body: a receiver that deduplicates on it
   * cannot be fooled by a captured request replayed (within the tolerance) under another key.
   */
  readonly idempotencyKey: string;
}

export interface IncidentWebhookPayload extends PayloadHead {
  readonly type: "incident";
  readonly event: Exclude<IncidentMessage["event"], "notice" | "test">;
  readonly incident: Omit<IncidentMessage, "openedAt"> & { readonly openedAt: string };
}

export interface NoticeWebhookPayload extends PayloadHead {
  readonly type: "notice" | "test";
  readonly event: "notice" | "test";
  readonly notice: {
    readonly title: string;
    readonly recipientName: string | null;
    /** The console page it is about, and the link's words for it ("Open schedule"). */
    readonly url: string | null;
    readonly linkText: string | null;
    /** The incident a response notice is about (a call-in, a task); null for on-call notices and tests. */
    readonly incident: { readonly id: string; readonly number: number } | null;
    readonly details: IncidentMessage["details"];
    readonly links: IncidentMessage["links"];
  };
}

export function webhookPayload(m: IncidentMessage, idempotencyKey: string): WebhookPayload {
  if (m.event === "notice" || m.event === "test") {
    const link = noticeLink(m);
    return {
      version: 1,
      type: m.event,
      idempotencyKey,
      event: m.event,
      notice: {
        title: noticeHeadline(m),
        recipientName: m.recipientName,
        url: link?.url ?? null,
        linkText: link?.label ?? null,
        incident: noticeIncident(m),
        details: m.details,
        links: m.links,
      },
    };
  }
  return {
    version: 1,
    type: "incident",
    idempotencyKey,
    event: m.event,
    incident: { ...m, openedAt: m.openedAt.toISOString() },
  };
}

export interface WebhookNotifierOptions {
  /** Source of the signature timestamp; the system clock unless a test fixes it. */
  readonly nowMs?: () => number;
}

export function createWebhookNotifier(options: WebhookNotifierOptions = {}): Notifier<WebhookConfig> {
  const nowMs = options.nowMs ?? Date.now;
  return {
    kind: "webhook",

    parseConfig(raw: unknown): WebhookConfig {
      const fields = new ConfigFields<NotifierConfigField<"webhook">>(raw);
      const url = fields.requiredHttpUrl("url");
      const secret = fields.optionalString("secret", 1000);
      fields.done();
      return { url, secret };
    },

    async send(message: IncidentMessage, config: WebhookConfig, context: SendContext): Promise<SendResult> {
      const body = JSON.stringify(webhookPayload(message, context.idempotencyKey));
      const timestampSeconds = Math.floor(nowMs() / 1000);
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "Idempotency-Key": context.idempotencyKey,
        "X-Firebreak-Timestamp": String(timestampSeconds),
      };
      if (config.secret !== undefined)
        headers["X-Firebreak-Signature"] = signWebhookBody(config.secret, timestampSeconds, body);
      await httpPost({
        channel: "Webhook",
        url: config.url,
        body,
        headers,
        signal: context.signal,
        secrets: config.secret === undefined ? [] : [config.secret],
      });
      return { externalId: null };
    },

    describe(config: WebhookConfig): string {
      return `Webhook (${hostOf(config.url)})${config.secret === undefined ? "" : ", signed"}`;
    },
  };
}

export const webhookNotifier = createWebhookNotifier();
