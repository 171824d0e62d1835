import { requireRole } from "../../core/auth/actor.js";
import type { NotificationChannel } from "../../core/alerts/records.js";
import type { FieldError } from "../../core/errors.js";
import { unknownConfigFieldErrors } from "../../core/notifications/config-field-names.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import { unknownKindErrors, validNotifierSettings } from "../notifications/notifier-settings.js";

/** A channel as it may be shown: its settings described, never returned (they hold webhook URLs and tokens). */
export interface ChannelView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const channelView = (deps: AlertingDeps, c: NotificationChannel): ChannelView => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  description: deps.notifiers.describe(c.kind, c.config),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

/**
 * The kind's settings, checked, or one VALIDATION error naming every bad field (name, kind, each
 * key the kind does not read and each setting), as for contact methods: a form can mark them all
 * at once instead of one per attempt.
 */
function validChannel(
  deps: AlertingDeps,
  input: { name: string; kind: string; config: unknown },
): Record<string, unknown> {
  const errors: FieldError[] = [];
  if (input.name.trim().length === 0 || input.name.length > 200)
    errors.push({ path: "/name", message: "must be 1 to 200 characters" });
  errors.push(...unknownKindErrors(deps.notifiers, input.kind));
  errors.push(...unknownConfigFieldErrors(input.kind, input.config));
  return validNotifierSettings(deps.notifiers, input.kind, input.config, errors);
}

export async function createChannel(
  deps: AlertingDeps,
  caller: Caller,
  input: { name: string; kind: string; config: unknown },
): Promise<ChannelView> {
  requireRole(caller.actor, "admin");
  const config = validChannel(deps, input);
  const now = deps.clock.now();
  const channel: NotificationChannel = {
    id: newId(),
    name: input.name.trim(),
    kind: input.kind,
    config,
    createdAt: now,
    updatedAt: now,
  };
  const view = channelView(deps, channel);
  await deps.uow.run(async (tx) => {
    await tx.channels.insert(channel);
    await recordChange(tx, caller, now, {
      action: "channel.create",
      entityType: "channel",
      entityId: channel.id,
      before: null,
      after: view,
    });
  });
  return view;
}

export async function listChannels(deps: AlertingDeps, caller: Caller): Promise<ChannelView[]> {
  requireRole(caller.actor, "viewer");
  const channels = await deps.uow.run((tx) => tx.channels.list());
  return channels.map((c) => channelView(deps, c));
}
