import type { NotificationSender, NotifierCatalog } from "../app/ports/notifications.js";
import type { Clock } from "../app/ports/clock.js";
import { validationError } from "../core/errors.js";
import { createNotifierRegistry, NOTIFIER_KINDS, notifierFor } from "../notifiers/registry.js";
import { verifySlackSignature } from "../notifiers/slack/verify-signature.js";
import { startStallTolerantTimer } from "../notifiers/stall-tolerant-timer.js";
import {
  countingSender,
  processNotificationCounter,
  type NotificationCounter,
} from "./notification-counters.js";
import type { Secret } from "./secret.js";

/** A send gives up after this long; the job retries it with backoff. */
const SEND_TIMEOUT_MS = 15_000;

export interface NotificationWiring {
  readonly catalog: NotifierCatalog;
  readonly sender: NotificationSender;
}

/**
 * The app's notification ports over src/notifiers, with the server's own SMTP settings (revealed
 * only here, where mail is sent) for email that names no server of its own. Every send's outcome is
 * counted in `counter` (firebreak_notifications_total), whichever role or job sends it.
 */
export function notificationWiring(
  settings: {
    readonly smtpUrl: Secret | undefined;
    readonly emailFrom: string | undefined;
  },
  counter: NotificationCounter = processNotificationCounter,
): NotificationWiring {
  const registry = createNotifierRegistry({
    serverSmtp:
      settings.smtpUrl && settings.emailFrom
        ? { smtpUrl: settings.smtpUrl.reveal(), from: settings.emailFrom }
        : undefined,
  });
  const catalog: NotifierCatalog = {
    kinds: () => NOTIFIER_KINDS,
    validate: (kind, config) => {
      const notifier = notifierFor(kind, registry);
      const parsed = notifier.parseConfig(config);
      const unusable = notifier.unusable?.(parsed);
      if (unusable) throw validationError([{ path: `/config/${unusable.field}`, message: unusable.message }]);
      return parsed as Record<string, unknown>;
    },
    describe: (kind, config) => {
      try {
        const notifier = notifierFor(kind, registry);
        return notifier.describe(notifier.parseConfig(config));
      } catch {
        return `${kind} (settings no longer valid)`;
      }
    },
  };
  const notifiersSender: NotificationSender = {
    async send(kind, config, message, context) {
      const notifier = notifierFor(kind, registry);
      // A plain timer cleared on return: AbortSignal.timeout costs several times more per send.
      const deadline = new AbortController();
      // A stall of this process does not count (see stall-tolerant-timer.ts): an answer that
      // arrived meanwhile is read, not cut off and sent again.
      const timer = startStallTolerantTimer(
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
        timer.clear();
      }
    },
  };
  return { catalog, sender: countingSender(notifiersSender, counter) };
}

/** The ports of a server without server-wide SMTP settings (tests and benchmarks). */
export const { catalog: notifierCatalog, sender: notificationSender } = notificationWiring({
  smtpUrl: undefined,
  emailFrom: undefined,
});

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
