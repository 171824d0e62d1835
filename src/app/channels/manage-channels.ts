import { requireRole } from "../../core/auth/actor.js";
import type { NotificationChannel } from "../../core/alerts/records.js";
import { AppError, notFound, takenError, validationError } from "../../core/errors.js";
import { namedList } from "../../core/named-list.js";
import { unknownConfigFieldErrors } from "../../core/notifications/config-field-names.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { unknownKindErrors, validNotifierSettings } from "../notifications/notifier-settings.js";
import { checkName } from "../../core/visible-name.js";

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
  const errors = checkName(input.name);
  errors.push(...unknownKindErrors(deps.notifiers, input.kind));
  errors.push(...unknownConfigFieldErrors(input.kind, input.config));
  return validNotifierSettings(deps.notifiers, input.kind, input.config, errors);
}

/** Names compare trimmed and case-insensitively: "#Ops" beside "#ops" reads as one channel. */
const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * Refuses a name another channel has (two "#ops" could not be told apart when choosing a service's
 * channel). Only new names are checked: channels that shared a name before keep listing and changing.
 */
async function refuseTakenName(tx: Tx, name: string, ownId: string | null): Promise<void> {
  // Serialises creates and renames on PostgreSQL: without a unique index two could both find it free.
  await tx.channels.lockNames();
  const holder = (await tx.channels.list()).find((c) => c.id !== ownId && nameKey(c.name) === nameKey(name));
  if (holder)
    throw takenError(
      "/name",
      `a channel named ${holder.name} already exists (${holder.kind}, id ${holder.id})`,
    );
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
    await refuseTakenName(tx, channel.name, null);
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

/** What a change may give: the fields left out are kept. */
export interface ChannelChanges {
  readonly name?: string;
  readonly kind?: string;
  readonly config?: unknown;
}

/**
 * Renames a channel or replaces its settings. The settings are never shown, so they cannot be edited
 * in part: given, they replace the old ones whole and are checked as at create; another kind needs
 * its own settings. Deliveries already planned go out with the settings of the moment they are sent.
 */
export async function updateChannel(
  deps: AlertingDeps,
  caller: Caller,
  id: string,
  changes: ChannelChanges,
): Promise<ChannelView> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const before = await tx.channels.findForChange(id);
    if (!before) throw notFound("channel", id);
    const name = changes.name ?? before.name;
    const kind = changes.kind ?? before.kind;
    let config = before.config;
    if (changes.config !== undefined) {
      config = validChannel(deps, { name, kind, config: changes.config });
    } else {
      const errors = checkName(name);
      if (kind !== before.kind) {
        errors.push(...unknownKindErrors(deps.notifiers, kind));
        errors.push({
          path: "/config",
          message: "must be given with a new kind: each kind has its own settings",
        });
      }
      if (errors.length > 0) throw validationError(errors);
    }
    if (nameKey(name) !== nameKey(before.name)) await refuseTakenName(tx, name, id);
    const after: NotificationChannel = { ...before, name: name.trim(), kind, config, updatedAt: now };
    const view = channelView(deps, after);
    await tx.channels.update(after);
    await recordChange(tx, caller, now, {
      action: "channel.update",
      entityType: "channel",
      entityId: id,
      before: channelView(deps, before),
      after: view,
    });
    return view;
  });
}

/** How many open incidents a refusal names before "and more". */
const NAMED_AT_MOST = 5;

/**
 * Why the channel must stay, or null: services that share it (their pages would go nowhere) and
 * unresolved incidents whose war room posts in it (their updates would only reach the incident page).
 */
async function inUseReason(tx: Tx, channel: NotificationChannel): Promise<string | null> {
  const users = (await tx.services.list()).filter((s) => s.channelId === channel.id);
  const open = await tx.channels.listOpenWarRoomIncidents(channel.id, NAMED_AT_MOST + 1);
  const parts: string[] = [];
  if (users.length > 0) {
    const names = namedList(
      "service",
      "services",
      users.map((s) => s.name),
    );
    parts.push(
      `is the shared channel of ${names}: choose another channel (or none) on ${users.length === 1 ? "it" : "each"}`,
    );
  }
  if (open.length > 0) {
    const numbers = open.slice(0, NAMED_AT_MOST).map((n) => `INC-${n}`);
    if (open.length > NAMED_AT_MOST) numbers.push("more");
    const one = open.length === 1;
    parts.push(
      `${parts.length > 0 ? "it also " : ""}carries the war-room ${one ? "thread" : "threads"} of open ` +
        `${namedList("incident", "incidents", numbers)}: resolve ${one ? "it" : "them"}`,
    );
  }
  if (parts.length === 0) return null;
  const ending = open.length > 0 ? "before deleting the channel" : "before deleting it";
  return `channel ${channel.name} ${parts.join("; ")} ${ending}`;
}

/**
 * Deletes a channel no service shares and no open incident's war room posts in. Deliveries already
 * planned to it fail as "removed" instead of going out, and its past deliveries stay in incidents'
 * logs without its name.
 */
export async function deleteChannel(deps: AlertingDeps, caller: Caller, id: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    // One in use is refused unlocked: the lock would hold up deliveries being planned to it.
    const seen = await tx.channels.findById(id);
    if (!seen) throw notFound("channel", id);
    const visible = await inUseReason(tx, seen);
    if (visible) throw new AppError("CONFLICT", visible);
    // Locked, then checked again: a service being pointed at it commits first (and is seen), or waits
    // and then finds it gone (a 400), instead of losing its channel to ON DELETE SET NULL.
    const before = await tx.channels.findForDelete(id);
    if (!before) throw notFound("channel", id);
    const reason = await inUseReason(tx, before);
    if (reason) throw new AppError("CONFLICT", reason);
    await tx.channels.delete(id);
    await recordChange(tx, caller, now, {
      action: "channel.delete",
      entityType: "channel",
      entityId: id,
      before: channelView(deps, before),
      after: null,
    });
  });
}
