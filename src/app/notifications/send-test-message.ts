import { requireRole } from "../../core/auth/actor.js";
import type { Actor } from "../../core/auth/actor.js";
import { isAppError, notFound } from "../../core/errors.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { NotificationSender } from "../ports/notifications.js";

/** What a test send answers: delivered, or why not (a message without secrets) and whether a retry may help. */
export type TestOutcome =
  | { readonly delivered: true }
  | { readonly delivered: false; readonly error: string; readonly retryable: boolean };

const testMessage = (
  deps: AlertingDeps,
  actor: Actor,
  recipientName: string | null,
  now: Date,
): IncidentMessage => ({
  incidentId: "test",
  incidentNumber: 0,
  event: "test",
  title: "Test notification from Firebreak",
  state: "triggered",
  level: "notify",
  serviceName: "Firebreak",
  openedAt: now,
  recipientName,
  incidentUrl: deps.publicUrl,
  acknowledgeUrl: null,
  resolveUrl: null,
  details: [{ label: "Sent by", value: actor.label }],
  links: [],
});

/** Sends now, outside any transaction; a failure is an answer, not an error. */
async function sendNow(
  deps: AlertingDeps,
  sender: NotificationSender,
  target: { kind: string; config: Readonly<Record<string, unknown>> },
  message: IncidentMessage,
): Promise<TestOutcome> {
  try {
    await sender.send(target.kind, target.config, message, {
      idempotencyKey: `test:${newId()}`,
      previousExternalId: null,
    });
    return { delivered: true };
  } catch (err) {
    const retryable = (err as { retryable?: unknown })?.retryable;
    // Notifier errors (they say whether a retry helps) and AppErrors carry messages without secrets;
    // anything else is a bug whose text stays in the log.
    if (typeof retryable === "boolean" || isAppError(err)) {
      return { delivered: false, error: (err as Error).message, retryable: retryable !== false };
    }
    deps.logger.error({ err, kind: target.kind }, "test notification failed unexpectedly");
    return {
      delivered: false,
      error: "sending failed unexpectedly; the server log has the details",
      retryable: true,
    };
  }
}

/** "Send a test message" to a shared channel (admin). */
export async function sendChannelTest(
  deps: AlertingDeps,
  sender: NotificationSender,
  caller: Caller,
  channelId: string,
): Promise<TestOutcome> {
  requireRole(caller.actor, "admin");
  const channel = await deps.uow.run((tx) => tx.channels.findById(channelId));
  if (!channel) throw notFound("channel", channelId);
  return sendNow(deps, sender, channel, testMessage(deps, caller.actor, null, deps.clock.now()));
}

/** "Send me a test notification" by one of a person's contact methods (the person, or an admin). */
export async function sendContactMethodTest(
  deps: AlertingDeps,
  sender: NotificationSender,
  caller: Caller,
  contactMethodId: string,
): Promise<TestOutcome> {
  const loaded = await deps.uow.run(async (tx) => {
    const method = await tx.contactMethods.findById(contactMethodId);
    const user = method && (await tx.users.findById(method.userId));
    return method && user ? { method, user } : undefined;
  });
  if (!loaded) throw notFound("contact method", contactMethodId);
  if (!(caller.actor.kind === "user" && caller.actor.id === loaded.user.id))
    requireRole(caller.actor, "admin");
  return sendNow(
    deps,
    sender,
    loaded.method,
    testMessage(deps, caller.actor, loaded.user.name, deps.clock.now()),
  );
}
