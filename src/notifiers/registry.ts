import { AppError } from "../core/errors.js";
import type { NOTIFIER_CONFIG_SHAPES } from "../core/notifications/config-field-names.js";
import type { Notifier } from "./contract.js";
import { discordNotifier } from "./discord/discord-notifier.js";
import { createEmailNotifier, type ServerSmtp } from "./email/email-notifier.js";
import { ntfyNotifier } from "./ntfy/ntfy-notifier.js";
import { slackNotifier } from "./slack/slack-notifier.js";
import { teamsNotifier } from "./teams/teams-notifier.js";
import { webhookNotifier } from "./webhook/webhook-notifier.js";

// Each kind needs its field names in core: a save refuses the keys its parser does not read.
export const NOTIFIER_KINDS = [
  "webhook",
  "slack",
  "email",
  "teams",
  "discord",
  "ntfy",
] as const satisfies readonly (keyof typeof NOTIFIER_CONFIG_SHAPES)[];
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

export type NotifierRegistry = ReadonlyMap<NotifierKind, Notifier<unknown>>;

export interface NotifierSettings {
  /** Where email goes when its config names no SMTP server of its own (FIREBREAK_SMTP_URL). */
  readonly serverSmtp?: ServerSmtp | undefined;
}

/** Every channel by its kind; a config is only ever handed to the notifier whose parseConfig made it. */
export function createNotifierRegistry(settings: NotifierSettings = {}): NotifierRegistry {
  return new Map<NotifierKind, Notifier<unknown>>([
    ["webhook", webhookNotifier],
    ["slack", slackNotifier],
    ["email", createEmailNotifier(settings.serverSmtp)],
    ["teams", teamsNotifier],
    ["discord", discordNotifier],
    ["ntfy", ntfyNotifier],
  ]);
}

/** The registry of a server without server-wide SMTP settings. */
export const notifierRegistry: NotifierRegistry = createNotifierRegistry();

export const isNotifierKind = (kind: string): kind is NotifierKind =>
  (NOTIFIER_KINDS as readonly string[]).includes(kind);

/** The notifier for `kind`; a VALIDATION error naming `/kind` when there is none. */
export function notifierFor(kind: string, registry: NotifierRegistry = notifierRegistry): Notifier<unknown> {
  const notifier = isNotifierKind(kind) ? registry.get(kind) : undefined;
  if (notifier === undefined) {
    throw new AppError("VALIDATION", `unknown channel kind; expected one of ${NOTIFIER_KINDS.join(", ")}`, {
      fields: [{ path: "/kind", message: `must be one of ${NOTIFIER_KINDS.join(", ")}` }],
    });
  }
  return notifier;
}
