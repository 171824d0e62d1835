import { requireRole } from "../../core/auth/actor.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import type { AlertLevel } from "../../core/alerts/alert-event.js";
import type { Integration, IntegrationKind, Service } from "../../core/alerts/records.js";
import { notFound, takenError, validationError, type FieldError } from "../../core/errors.js";
import { checkName, MAX_NAME_LENGTH } from "../../core/visible-name.js";
import { recordChange } from "../audit/record-change.js";
import { newId, newToken } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { armHeartbeatAfterEnable, armHeartbeatCheck } from "../heartbeats/heartbeats.js";
import { requireTeamManager } from "../teams/team-manager.js";

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000;
/** The interval a heartbeat created without one expects check-ins at. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 300;

export interface IntegrationInput {
  readonly serviceId: string;
  readonly kind: IntegrationKind;
  readonly name?: string;
  readonly defaultLevel?: AlertLevel;
  readonly rateLimitPerMinute?: number;
  readonly heartbeatIntervalSeconds?: number;
  readonly heartbeatGraceSeconds?: number;
}

// 32 characters like PagerDuty's keys, URL-safe: it travels in paths and routing_key fields.
const integrationKey = () => newToken("fbi").replace(/^fbi_/, "").slice(0, 32);

function checkIntegration(i: Integration): FieldError[] {
  const errors: FieldError[] = [...checkName(i.name)];
  if (
    !Number.isInteger(i.rateLimitPerMinute) ||
    i.rateLimitPerMinute < 1 ||
    i.rateLimitPerMinute > 10_000_000
  ) {
    errors.push({ path: "/rateLimitPerMinute", message: "must be a whole number from 1 to 10000000" });
  }
  if (i.kind === "heartbeat") {
    if (
      !Number.isInteger(i.heartbeatIntervalSeconds) ||
      (i.heartbeatIntervalSeconds ?? 0) < 10 ||
      (i.heartbeatIntervalSeconds ?? 0) > 7 * 86_400
    ) {
      errors.push({
        path: "/heartbeatIntervalSeconds",
        message: "a heartbeat needs an interval from 10 seconds to 7 days",
      });
    }
    if (
      !Number.isInteger(i.heartbeatGraceSeconds) ||
      (i.heartbeatGraceSeconds ?? -1) < 0 ||
      (i.heartbeatGraceSeconds ?? 0) > 86_400
    ) {
      errors.push({ path: "/heartbeatGraceSeconds", message: "must be from 0 to 86400 seconds" });
    }
  }
  return errors;
}

/**
 * Check-in times sent for a kind that has no check-ins: refused, as the CLI refuses --interval, since
 * dropping them answered 201 for settings that were never stored.
 */
function heartbeatOnlyFieldErrors(input: IntegrationInput): FieldError[] {
  if (input.kind === "heartbeat") return [];
  return (["heartbeatIntervalSeconds", "heartbeatGraceSeconds"] as const)
    .filter((field) => input[field] !== undefined)
    .map((field) => ({
      path: `/${field}`,
      message: `is only for heartbeat integrations, not ${input.kind}`,
    }));
}

/** An integration belongs to its service's team: its managers may change it, and admins. */
async function requireManagerOfService(
  tx: Tx,
  caller: Caller,
  doing: string,
  integration: Integration,
): Promise<void> {
  const service = await tx.services.findById(integration.serviceId);
  const serviceName = service?.name ?? integration.serviceId;
  await requireTeamManager(tx, caller, `${doing} of service ${serviceName}`, service?.teamId ?? null);
}

/** The lock key that serialises a service's integration creates (no grouping key starts with NUL). */
const INTEGRATION_NAMES_LOCK = "\u0000integration names";

/** Names compare trimmed and case-insensitively: "Prometheus" beside "prometheus" reads as one. */
const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * The name a new integration gets: the one asked for, refused with 409 when another integration of
 * the service has it (two "prometheus" rows could not be told apart in the console or the CLI). With
 * none asked for, the service's name and the kind, numbered past those taken ("checkout webhook 2").
 * Only new names are checked: rows that share a name from before keep listing and changing as ever.
 */
async function freeIntegrationName(
  tx: Tx,
  service: Service,
  kind: IntegrationKind,
  asked: string | undefined,
): Promise<string> {
  // Serialises integration creates of this service on PostgreSQL, so two at once cannot both find the
  // name free; the key is no grouping key, so alert processing is not held up. A no-op on SQLite.
  await tx.services.lockAlertGroups(service.id, [INTEGRATION_NAMES_LOCK]);
  const others = (await tx.integrations.listForService(service.id)).filter((i) => i.kind !== "manual");
  const holderOf = (name: string) => others.find((i) => nameKey(i.name) === nameKey(name));
  const wanted = asked?.trim();
  if (wanted) {
    // A name that would be refused anyway is said so first, not as taken.
    const errors = checkName(wanted);
    if (errors.length > 0) throw validationError(errors);
    const holder = holderOf(wanted);
    if (holder)
      throw takenError(
        "/name",
        `service ${service.name} already has an integration named ${holder.name} (${holder.kind}, id ${holder.id})`,
      );
    return wanted;
  }
  const named = (suffix: string) => defaultName(service.name, suffix);
  if (!holderOf(named(` ${kind}`))) return named(` ${kind}`);
  let n = 2;
  while (holderOf(named(` ${kind} ${n}`))) n++;
  return named(` ${kind} ${n}`);
}

/** The service's name shortened so that the name with `suffix` fits MAX_NAME_LENGTH (nobody typed it). */
function defaultName(serviceName: string, suffix: string): string {
  let end = Math.min(serviceName.length, MAX_NAME_LENGTH - suffix.length);
  // Never cut a surrogate pair in half.
  if (end < serviceName.length && /[\uD800-\uDBFF]/.test(serviceName.charAt(end - 1))) end--;
  return `${serviceName.slice(0, end).trimEnd()}${suffix}`;
}

/** Without the key: what the audit log and listings may show. */
const withoutKey = ({ key: _key, ...rest }: Integration) => rest;

export async function createIntegration(
  deps: AppDeps,
  caller: Caller,
  input: IntegrationInput,
): Promise<Integration> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const service = await tx.services.findById(input.serviceId);
    if (!service || service.archivedAt) throw notFound("service", input.serviceId);
    await requireTeamManager(tx, caller, `adding an integration to service ${service.name}`, service.teamId);
    const heartbeat = input.kind === "heartbeat";
    const integration: Integration = {
      id: newId(),
      serviceId: service.id,
      kind: input.kind,
      name: await freeIntegrationName(tx, service, input.kind, input.name),
      key: integrationKey(),
      defaultLevel: input.defaultLevel ?? "page",
      rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      heartbeatIntervalSeconds: heartbeat
        ? (input.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS)
        : null,
      heartbeatGraceSeconds: heartbeat ? (input.heartbeatGraceSeconds ?? 60) : null,
      lastCheckInAt: null,
      disabledAt: null,
      createdAt: now,
      rotatedAt: null,
    };
    const errors = [...heartbeatOnlyFieldErrors(input), ...checkIntegration(integration)];
    if (errors.length > 0) throw validationError(errors);
    await tx.integrations.insert(integration);
    // Arms nothing while it waits for its first check-in (core/alerts/heartbeat-rule.ts); kept so
    // that the rule alone decides.
    if (heartbeat) await armHeartbeatCheck(tx, integration, now);
    await recordChange(tx, caller, now, {
      action: "integration.create",
      entityType: "integration",
      entityId: integration.id,
      before: null,
      after: withoutKey(integration),
    });
    return integration;
  });
}

export async function listIntegrations(
  deps: AppDeps,
  caller: Caller,
  serviceId: string,
): Promise<Integration[]> {
  requireRole(caller.actor, "responder");
  return deps.uow.run(async (tx) => {
    const service = await tx.services.findById(serviceId);
    if (!service || service.archivedAt) throw notFound("service", serviceId);
    // The system's own "manual" integration (paging by hand) is nobody's to see or change.
    return (await tx.integrations.listForService(serviceId)).filter((i) => i.kind !== "manual");
  });
}

/**
 * Deletes an integration: its key stops working at once (senders get the unknown-key 404). It is
 * archived rather than removed, because the alerts and incidents it raised refer to it.
 */
export async function deleteIntegration(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await tx.integrations.findForChange(id);
    if (!before || before.kind === "manual") throw notFound("integration", id);
    await requireManagerOfService(tx, caller, `deleting integration ${before.name}`, before);
    await tx.integrations.archive(id, now);
    await recordChange(tx, caller, now, {
      action: "integration.delete",
      entityType: "integration",
      entityId: id,
      before: withoutKey(before),
      after: null,
    });
  });
}

/** Issues a new key; the old one stops working at once. */
export async function rotateIntegrationKey(deps: AppDeps, caller: Caller, id: string): Promise<Integration> {
  return changeIntegration(deps, caller, id, "integration.rotate_key", (i, now) => ({
    ...i,
    key: integrationKey(),
    rotatedAt: now,
  }));
}

export async function setIntegrationEnabled(
  deps: AppDeps,
  caller: Caller,
  id: string,
  enabled: boolean,
): Promise<Integration> {
  return changeIntegration(
    deps,
    caller,
    id,
    enabled ? "integration.enable" : "integration.disable",
    (i, now) => ({
      ...i,
      disabledAt: enabled ? null : (i.disabledAt ?? now),
    }),
    // A heartbeat's timer raised nothing while it was disabled: without this it would never alert again.
    (tx, before, after, now) =>
      after.kind === "heartbeat" && before.disabledAt && !after.disabledAt
        ? armHeartbeatAfterEnable(tx, after, now)
        : undefined,
  );
}

async function changeIntegration(
  deps: AppDeps,
  caller: Caller,
  id: string,
  action: string,
  change: (integration: Integration, now: Date) => Integration,
  afterwards?: (tx: Tx, before: Integration, after: Integration, now: Date) => Promise<unknown> | undefined,
): Promise<Integration> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const before = await tx.integrations.findForChange(id);
    if (!before || before.kind === "manual") throw notFound("integration", id);
    await requireManagerOfService(tx, caller, `changing integration ${before.name}`, before);
    const after = change(before, now);
    await tx.integrations.update(after);
    await afterwards?.(tx, before, after, now);
    await recordChange(tx, caller, now, {
      action,
      entityType: "integration",
      entityId: id,
      before: withoutKey(before),
      after: withoutKey(after),
    });
    return after;
  });
}
