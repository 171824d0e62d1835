import type { NotificationSender, NotifierCatalog } from "../app/ports/notifications.js";
import type { Clock } from "../app/ports/clock.js";
import { NOTIFIER_KINDS, notifierFor } from "../notifiers/registry.js";
import { verifySlackSignature } from "../notifiers/slack/verify-signature.js";

/** A send gives up after this long; the job retries it with backoff. */
const SEND_TIMEOUT_MS = 15_000;

/** The app's notification ports over src/notifiers. */
export const notifierCatalog: NotifierCatalog = {
  kinds: () => NOTIFIER_KINDS,
  validate: (kind, config) => notifierFor(kind).parseConfig(config) as Record<string, unknown>,
  describe: (kind, config) => {
    try {
      const notifier = notifierFor(kind);
      return notifier.describe(notifier.parseConfig(config));
    } catch {
      return `${kind} (settings no longer valid)`;
    }
  },
};

export const notificationSender: NotificationSender = {
  async send(kind, config, message, context) {
    const notifier = notifierFor(kind);
    // A plain timer cleared on return: AbortSignal.timeout costs several times more per send.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("the send took too long", "TimeoutError")),
      SEND_TIMEOUT_MS,
    );
    try {
      return await notifier.send(message, notifier.parseConfig(config), {
        idempotencyKey: context.idempotencyKey,
        previousExternalId: context.previousExternalId,
        signal: deadline.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  },
};

/** Checks a Slack request's signature over its raw body, against the app's signing secret and this clock. */
export const slackVerifier =
  (signingSecret: string, clock: Clock) =>
  (rawBody: string, headers: Readonly<Record<string, string | string[] | undefined>>): boolean => {
    const header = (name: string) => {
      const value = headers[name];
      return typeof value === "string" ? value : undefined;
    };
    return verifySlackSignature({
      signingSecret,
      timestampHeader: header("x-slack-request-timestamp"),
      signatureHeader: header("x-slack-signature"),
      rawBody,
      nowSeconds: Math.floor(clock.now().getTime() / 1000),
    });
  };
