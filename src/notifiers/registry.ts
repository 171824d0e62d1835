import { AppError } from "../core/errors.js";
import type { Notifier } from "./contract.js";
import { discordNotifier } from "./discord/discord-notifier.js";
import { emailNotifier } from "./email/email-notifier.js";
import { ntfyNotifier } from "./ntfy/ntfy-notifier.js";
import { slackNotifier } from "./slack/slack-notifier.js";
import { teamsNotifier } from "./teams/teams-notifier.js";
import { webhookNotifier } from "./webhook/webhook-notifier.js";

export const NOTIFIER_KINDS = ["webhook", "slack", "email", "teams", "discord", "ntfy"] as const;
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

/** Every channel by its kind; a config is only ever handed to the notifier whose parseConfig made it. */
export const notifierRegistry: ReadonlyMap<NotifierKind, Notifier<unknown>> = new Map<
  NotifierKind,
  Notifier<unknown>
>([
  ["webhook", webhookNotifier],
  ["slack", slackNotifier],
  ["email", emailNotifier],
  ["teams", teamsNotifier],
  ["discord", discordNotifier],
  ["ntfy", ntfyNotifier],
]);

export const isNotifierKind = (kind: string): kind is NotifierKind =>
  (NOTIFIER_KINDS as readonly string[]).includes(kind);

/** The notifier for `kind`; a VALIDATION error naming `/kind` when there is none. */
export function notifierFor(kind: string): Notifier<unknown> {
  const notifier = isNotifierKind(kind) ? notifierRegistry.get(kind) : undefined;
  if (notifier === undefined) {
    throw new AppError("VALIDATION", `unknown channel kind; expected one of ${NOTIFIER_KINDS.join(", ")}`, {
      fields: [{ path: "/kind", message: `must be one of ${NOTIFIER_KINDS.join(", ")}` }],
    });
  }
  return notifier;
}
