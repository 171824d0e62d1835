import type { Actor } from "../../core/auth/actor.js";
import { requireRole } from "../../core/auth/actor.js";
import { roleAllows } from "../../core/auth/roles.js";
import type { ContactMethod, StoredNotificationRule } from "../../core/alerts/records.js";
import { AppError, notFound, validationError, type FieldError } from "../../core/errors.js";
import { unknownConfigFieldErrors } from "../../core/notifications/config-field-names.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { recordChange } from "../audit/record-change.js";
import { actingPerson } from "../auth/acting-person.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { unknownKindErrors, validNotifierSettings } from "../notifications/notifier-settings.js";
import { sendContactMethodTest, type TestOutcome } from "../notifications/send-test-message.js";
import type { NotificationSender } from "../ports/notifications.js";

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

/**
 * People manage their own contact methods (signed in, or through an API key that acts for them, as
 * `apikey create --user` makes); admins manage anyone's.
 */
async function requireSelfOrAdminIn(tx: Tx, actor: Actor, userId: string): Promise<void> {
  if (actor.kind === "user" && actor.id === userId) return;
  if (roleAllows(actor.role, "admin")) return;
  if (actor.kind === "api_key" && (await actingPerson(tx, actor))?.id === userId) return;
  requireRole(actor, "admin");
}

/** The same check before a unit of work (a key's person is read only when it matters). */
async function requireSelfOrAdmin(deps: AlertingDeps, actor: Actor, userId: string): Promise<void> {
  if ((actor.kind === "user" && actor.id === userId) || roleAllows(actor.role, "admin")) return;
  await deps.uow.read((tx) => requireSelfOrAdminIn(tx, actor, userId));
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

/**
 * NOT_FOUND unless the user exists: reading or replacing the rules of an id that names nobody (a
 * typo, another record's id) would answer as if they had none, and audit a change to no one.
 */
async function requireUser(tx: Tx, userId: string): Promise<void> {
  if (!(await tx.users.findById(userId))) throw notFound("user", userId);
}

export async function addContactMethod(
  deps: AlertingDeps,
  caller: Caller,
  input: { userId: string; kind: string; label: string; config: unknown },
): Promise<ContactMethodView> {
  await requireSelfOrAdmin(deps, caller.actor, input.userId);
  const config = validContactMethod(deps, input);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    await requireUser(tx, input.userId);
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
    await requireSelfOrAdminIn(tx, caller.actor, method.userId);
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
  await requireSelfOrAdmin(deps, caller.actor, userId);
  return deps.uow.run(async (tx) => {
    await requireUser(tx, userId);
    return {
      methods: (await tx.contactMethods.listForUser(userId)).map((m) => view(deps, m)),
      rules: await tx.contactMethods.listRules(userId),
    };
  });
}

/**
 * A rule with the contact method and delay of an earlier one would send every page twice. Named on
 * its contact method, the field the console shows an error beside (it shows none for a whole rule).
 */
function repeatedRuleErrors(rules: ReadonlyArray<{ contactMethodId: string; delayMinutes: number }>) {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const [i, rule] of rules.entries()) {
    const key = JSON.stringify([rule.contactMethodId, rule.delayMinutes]);
    if (seen.has(key))
      errors.push({
        path: `/rules/${i}/contactMethodId`,
        message: `is used at ${rule.delayMinutes} minutes by an earlier rule too, so each page would go to it twice`,
      });
    seen.add(key);
  }
  return errors;
}

/** Replaces a person's rules: "push now, SMS after 5 minutes". */
export async function setNotificationRules(
  deps: AlertingDeps,
  caller: Caller,
  userId: string,
  rules: ReadonlyArray<{ contactMethodId: string; delayMinutes: number }>,
): Promise<StoredNotificationRule[]> {
  await requireSelfOrAdmin(deps, caller.actor, userId);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    await requireUser(tx, userId);
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
    errors.push(...repeatedRuleErrors(rules));
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

/**
 * Whose contact methods "my" are: the signed-in person's, or those of the person an API key acts for
 * (as /api/v1/me/tasks reads it). A key that acts for nobody is refused with the problem the CLI
 * explains (reason ACTS_FOR_NO_PERSON).
 */
export async function myUserId(deps: AlertingDeps, caller: Caller): Promise<string> {
  const { actor } = caller;
  if (actor.kind === "user") return actor.id;
  const person = await deps.uow.read((tx) => actingPerson(tx, actor));
  if (!person)
    throw new AppError(
      "FORBIDDEN",
      `${actor.label} acts for no person: "my" contact methods belong to a person; sign in, or use an API key a person created`,
      { reason: "ACTS_FOR_NO_PERSON" },
    );
  return person.id;
}

/**
 * "Send me a test notification": the person (signed in, or through a key that acts for them) or an
 * admin. The test itself (app/notifications/send-test-message.ts) knows only signed-in people as
 * "the person", so a key acting for the owner is passed on as them, under the key's own label (the
 * message's "Sent by"; the test writes no audit entry).
 */
export async function testContactMethod(
  deps: AlertingDeps,
  sender: NotificationSender,
  caller: Caller,
  contactMethodId: string,
): Promise<TestOutcome> {
  const { actor } = caller;
  if (actor.kind !== "api_key" || roleAllows(actor.role, "admin"))
    return sendContactMethodTest(deps, sender, caller, contactMethodId);
  const found = await deps.uow.read(async (tx) => ({
    method: await tx.contactMethods.findById(contactMethodId),
    person: await actingPerson(tx, actor),
  }));
  if (!found.method) throw notFound("contact method", contactMethodId);
  if (found.person?.id !== found.method.userId) requireRole(actor, "admin");
  const asPerson: Caller = {
    ...caller,
    actor: { kind: "user", id: found.method.userId, role: actor.role, label: actor.label },
  };
  return sendContactMethodTest(deps, sender, asPerson, contactMethodId);
}
