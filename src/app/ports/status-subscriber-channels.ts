/**
 * How status-page subscribers are reached: email over the status page's own SMTP settings, and
 * webhooks. Both throw an error whose `retryable` says whether another attempt can help; messages
 * never carry the SMTP password or the webhook URL's secrets.
 */

export interface StatusMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted, References… */
  readonly headers: Readonly<Record<string, string>>;
  readonly messageId: string;
}

export interface StatusSubscriberChannels {
  /** False when no status-page SMTP is configured: subscribing is not offered. */
  readonly emailEnabled: boolean;
  sendEmail(mail: StatusMail): Promise<void>;
  /** POSTs the JSON body; the idempotency key is the same on every attempt of one notification. */
  postWebhook(url: string, body: string, idempotencyKey: string): Promise<void>;
}
