import type { Actor } from "../../core/auth/actor.js";
import { requireRole } from "../../core/auth/actor.js";
import type { ContactMethod, StoredNotificationRule } from "../../core/alerts/records.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { unknownConfigFieldErrors } from "../../core/notifications/config-field-names.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import { unknownKindErrors, validNotifierSettings } from "../notifications/notifier-settings.js";

export interface ContactMethodView {
  readonly id: string;
  readonly userId: string;
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  readonly createdAt: Date;
}

const view = (deps: AlertingDeps, m: ContactMethod): ContactMethodView => ({
  id: m.id,
  userId: m.userId,
  kind: m.kind,
  label: m.label,
  description: deps.notifiers.describe(m.kind, m.config),
  createdAt: m.createdAt,
});

/** People manage their own contact methods; admins manage anyone's. */
function requireSelfOrAdmin(actor: Actor, userId: string): void {
  if (actor.kind === "user" && actor.id === userId) return;
  requireRole(actor, "admin");
}

/**
 * The kind's settings, checked, or one VALIDATION error naming every bad field (kind, label, each
 * key the kind does not read and each setting) so that a form can mark them all at once instead of
 * one per attempt.
 */
function validContactMethod(
  deps: AlertingDeps,
  input: { kind: string; label: string; config: unknown },
): Record<string, unknown> {
  const errors = unknownKindErrors(deps.notifiers, input.kind);
  if (input.label.trim().length === 0 || input.label.length > 200)
    errors.push({ path: "/label", message: "must be 1 to 200 characters" });
  errors.push(...unknownConfigFieldErrors(input.kind, input.config));
  return validNotifierSettings(deps.notifiers, input.kind, input.config, errors);
}

export async function addContactMethod(
  deps: AlertingDeps,
  caller: Caller,
  input: { userId: string; kind: string; label: string; config: unknown },
): Promise<ContactMethodView> {
  requireSelfOrAdmin(caller.actor, input.userId);
  const config = validContactMethod(deps, input);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    if (!(await tx.users.findById(input.userId))) throw notFound("user", input.userId);
    const method: ContactMethod = {
      id: newId(),
      userId: input.userId,
      kind: input.kind,
      label: input.label.trim(),
      config,
      createdAt: now,
    };
    await tx.contactMethods.insert(method);
    const shown = view(deps, method);
    await recordChange(tx, caller, now, {
      action: "contact_method.create",
      entityType: "user",
      entityId: input.userId,
      before: null,
      after: shown,
    });
    return shown;
  });
}

export async function removeContactMethod(deps: AlertingDeps, caller: Caller, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const method = await tx.contactMethods.findById(id);
    if (!method) throw notFound("contact method", id);
    requireSelfOrAdmin(caller.actor, method.userId);
    const rules = (await tx.contactMethods.listRules(method.userId)).filter((r) => r.contactMethodId !== id);
    await tx.contactMethods.replaceRules(method.userId, rules);
    await tx.contactMethods.delete(id);
    await recordChange(tx, caller, now, {
      action: "contact_method.delete",
      entityType: "user",
      entityId: method.userId,
      before: view(deps, method),
      after: null,
    });
  });
}

export async function listContactMethods(deps: AlertingDeps, caller: Caller, userId: string) {
  requireSelfOrAdmin(caller.actor, userId);
  return deps.uow.run(async (tx) => ({
    methods: (await tx.contactMethods.listForUser(userId)).map((m) => view(deps, m)),
    rules: await tx.contactMethods.listRules(userId),
  }));
}

/** Replaces a person's rules: "push now, SMS after 5 minutes". */
export async function setNotificationRules(
  deps: AlertingDeps,
  caller: Caller,
  userId: string,
  rules: ReadonlyArray<{ contactMethodId: string; delayMinutes: number }>,
): Promise<StoredNotificationRule[]> {
  requireSelfOrAdmin(caller.actor, userId);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const methods = new Set((await tx.contactMethods.listForUser(userId)).map((m) => m.id));
    const errors = rules.flatMap((r, i) => [
      ...(methods.has(r.contactMethodId)
        ? []
        : [{ path: `/rules/${i}/contactMethodId`, message: "is not one of this user's contact methods" }]),
      ...(Number.isInteger(r.delayMinutes) && r.delayMinutes >= 0 && r.delayMinutes <= 24 * 60
        ? []
        : [
            { path: `/rules/${i}/delayMinutes`, message: "must be a whole number of minutes from 0 to 1440" },
          ]),
    ]);
    if (rules.length > 50) errors.push({ path: "/rules", message: "at most 50 rules" });
    if (errors.length > 0) throw validationError(errors);
    const before = await tx.contactMethods.listRules(userId);
    const stored = rules.map((r) => ({
      id: newId(),
      userId,
      contactMethodId: r.contactMethodId,
      delayMinutes: r.delayMinutes,
    }));
    await tx.contactMethods.replaceRules(userId, stored);
    await recordChange(tx, caller, now, {
      action: "notification_rules.replace",
      entityType: "user",
      entityId: userId,
      before,
      after: stored,
    });
    return stored;
  });
}

export const mustBeUser = (actor: Actor): string => {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", "this needs a signed-in user, not an API key");
  return actor.id;
};
