import type { StatusMail, StatusSubscriberChannels } from "../../app/ports/status-subscriber-channels.js";
import { NotifyError } from "../contract.js";
import type { StatusEmailSender } from "../email/status-email-sender.js";
import { httpPost } from "../http-post.js";

/**
 * The status page's subscriber channels: its own SMTP sender (when configured) and webhook POSTs
 * (a Statuspage-style JSON body, with an Idempotency-Key so a retried delivery can be told apart).
 */
export function statusSubscriberChannels(email: StatusEmailSender | undefined): StatusSubscriberChannels {
  return {
    emailEnabled: email !== undefined,
    async sendEmail(mail: StatusMail) {
      if (!email)
        throw new NotifyError("status-page email is not configured", { retryable: false, reason: "config" });
      await email.send(mail);
    },
    async postWebhook(url, body, idempotencyKey) {
      await httpPost({
        channel: "Status webhook",
        url,
        body,
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
        signal: AbortSignal.timeout(30_000),
      });
    },
  };
}
