import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { AlertEvent } from "../../core/alerts/alert-event.js";
import { levelForSeverity } from "../../core/alerts/map-severity-to-level.js";
import { storableEvent } from "../../core/alerts/storable-event.js";
import type { Alert, Integration, Service } from "../../core/alerts/records.js";
import { snapshotOf, type EscalationSnapshot } from "../../core/escalation/policy.js";
import { AppError, notFound } from "../../core/errors.js";
import { groupingKeyFor, incidentToJoin, reopenableSince } from "../../core/incidents/grouping.js";
import { higherLevel, type Incident } from "../../core/incidents/incident.js";
import { activeMaintenanceEndsAt, isWithinWindow } from "../../core/maintenance/maintenance-window.js";
import { newTimeOrderedId } from "../time-ordered-id.js";
import type { AppDeps } from "../deps.js";
import {
  acknowledgeIncident,
  beginEscalation,
  raiseIncidentLevel,
  reopenIncident,
  resolveIncident,
} from "../incidents/incident-lifecycle.js";
import { SYSTEM_TIMELINE_ACTOR, tellChannel } from "../notifications/plan-deliveries.js";
import type { JobKeyMode } from "../ports/jobs.js";
import type { Tx } from "../ports/store.js";
import { IngestBatch } from "./ingest-batch.js";

export interface IngestOutcome {
  /** Events that changed something (a new alert, a resolution, an acknowledgement). */
  readonly changed: number;
  /** Events that repeated what Firebreak knew (a re-sent firing alert, a resolve for an unknown key). */
  readonly unchanged: number;
  readonly incidentsOpened: number;
}

export interface IngestContext {
  readonly tx: Tx;
  readonly service: Service;
  readonly integration: Integration;
  readonly inMaintenance: boolean;
  /** When the maintenance in force ends (null: none is). */
  readonly maintenanceEndsAt: Date | null;
  readonly now: Date;
  readonly actor: AuditActor;
  /** Set for a page by hand to chosen people or a chosen policy: see EscalationOverride. */
  readonly escalationOverride?: EscalationOverride | undefined;
  opened: number;
}

/**
 * Whom a page by hand pages instead of the service's policy (manual integrations only). The alert
 * opens its own incident with this snapshot, in the same transaction, so the service's policy never
 * pages first; `note` goes on the timeline, by the person who chose, before the first step pages.
 */
export interface EscalationOverride {
  readonly snapshot: EscalationSnapshot;
  readonly chosenBy: AuditActor;
  readonly note: string;
  readonly noteData: Record<string, unknown>;
}

export interface IngestRequest {
  readonly integrationId: string;
  readonly events: readonly AlertEvent[];
  /**
   * Asked in the transaction, after the grouping locks and before any event applies; false applies
   * none. A heartbeat's check re-reads its heartbeat here, so a check-in that committed first wins.
   */
  readonly onlyIf?: (tx: Tx) => Promise<boolean>;
  /** Honoured only on a manual integration: a person chose whom to page. */
  readonly escalationOverride?: EscalationOverride;
}

/**
 * Applies a request's events in ONE transaction, so the caller answers 2xx only after every accepted
 * alert is committed. Re-delivering the same events changes nothing.
 */
export async function ingestAlertEvents(
  deps: AppDeps,
  integrationId: string,
  events: readonly AlertEvent[],
  onlyIf?: IngestRequest["onlyIf"],
): Promise<IngestOutcome> {
  const [outcome] = await ingestRequests(deps, [{ integrationId, events, onlyIf }]);
  return outcome as IngestOutcome;
}

/**
 * Several requests in one transaction (group commit): one durable commit for all of them. All commit
 * or none does; the caller decides what to do with a failure (see GroupCommit). The events apply one
 * after another, exactly as if alone; only the statements are shared (see IngestBatch).
 */
export async function ingestRequests(
  deps: AppDeps,
  requests: readonly IngestRequest[],
  options: { waitForDisk?: boolean } = {},
): Promise<IngestOutcome[]> {
  const extraLocks = new Map<string, Set<string>>();
  // Two requests racing to create the same alert: the loser's transaction rolls back whole and runs
  // again, now finding the alert the winner made. Nothing accepted is lost, nothing doubled.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestOnce(deps, requests, extraLocks, options);
    } catch (err) {
      if (err instanceof NeedsMoreLocks && attempt < MAX_ATTEMPTS) {
        const keys = extraLocks.get(err.serviceId) ?? new Set<string>();
        for (const key of err.groupingKeys) keys.add(key);
        extraLocks.set(err.serviceId, keys);
        continue;
      }
      if (!(err instanceof AppError && err.code === "CONFLICT") || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

const MAX_ATTEMPTS = 5;

/** A stored alert of the group sits under a grouping key the transaction did not lock: lock it too, run again. */
class NeedsMoreLocks extends AppError {
  constructor(
    readonly serviceId: string,
    readonly groupingKeys: readonly string[],
  ) {
    super("CONFLICT", "an alert moved to another grouping key; try again");
  }
}

async function ingestOnce(
  deps: AppDeps,
  requests: readonly IngestRequest[],
  extraLocks: ReadonlyMap<string, ReadonlySet<string>>,
  options: { waitForDisk?: boolean },
): Promise<IngestOutcome[]> {
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const batch = new IngestBatch(tx);
    const prepared = await prepareRequests(batch, requests, now, extraLocks);
    const outcomes: IngestOutcome[] = [];
    for (const { context, events, onlyIf } of prepared) {
      let changed = 0;
      const applies = !onlyIf || (await onlyIf(batch.tx));
      if (applies) for (const event of events) if (await applyEvent(context, event)) changed++;
      outcomes.push({ changed, unchanged: events.length - changed, incidentsOpened: context.opened });
    }
    await batch.flush();
    return outcomes;
  }, options);
}

interface PreparedRequest {
  readonly context: IngestContext;
  readonly events: AlertEvent[];
  readonly onlyIf: IngestRequest["onlyIf"];
}

/**
 * Resolves each request's integration and service, then per service locks the grouping keys the
 * events touch and loads their firing alerts and incidents for the whole group at once.
 */
async function prepareRequests(
  batch: IngestBatch,
  requests: readonly IngestRequest[],
  now: Date,
  extraLocks: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<PreparedRequest[]> {
  const { tx } = batch;
  const keysOf = new Map<
    string,
    { service: Service; dedup: Map<string, Set<string>>; grouping: Set<string> }
  >();
  const prepared: PreparedRequest[] = [];
  for (const { integrationId, events, onlyIf, escalationOverride } of requests) {
    const integration = await tx.integrations.findById(integrationId);
    if (!integration) throw notFound("integration", integrationId);
    if (integration.disabledAt)
      throw new AppError("FORBIDDEN", `integration ${integration.name} is disabled`);
    const service = await tx.services.findById(integration.serviceId);
    if (!service) throw notFound("service", integration.serviceId);
    // Maintenance holds what senders raise; a page by hand is a person deciding to wake someone now.
    const windows =
      integration.kind === "manual"
        ? []
        : (await tx.maintenance.listForService(service.id)).map((w) => w.window);
    const context: IngestContext = {
      tx,
      service,
      integration,
      inMaintenance: windows.some((w) => isWithinWindow(w, now)),
      maintenanceEndsAt: activeMaintenanceEndsAt(windows, now),
      now,
      actor: { kind: "system", id: integration.id, label: `${integration.name} (${integration.kind})` },
      escalationOverride: integration.kind === "manual" ? escalationOverride : undefined,
      opened: 0,
    };
    const storable = events.map(storableEvent);
    let keys = keysOf.get(service.id);
    if (!keys) {
      keys = { service, dedup: new Map(), grouping: new Set(extraLocks.get(service.id)) };
      keysOf.set(service.id, keys);
    }
    // Dedup keys are the integration's own; grouping keys are the service's, across its integrations.
    let dedup = keys.dedup.get(integration.id);
    if (!dedup) keys.dedup.set(integration.id, (dedup = new Set()));
    for (const event of storable) {
      dedup.add(event.dedupKey);
      keys.grouping.add(groupingKeyOf(context, event));
    }
    prepared.push({ context, events: storable, onlyIf });
  }
  // Services in id order, so two groups that both touch two services cannot deadlock on their locks.
  const byServiceId = [...keysOf.values()].sort((a, b) => (a.service.id < b.service.id ? -1 : 1));
  for (const { service, dedup, grouping } of byServiceId) {
    const locked = await tx.services.lockAlertGroups(service.id, [...grouping]);
    const resolvedSince = reopenableSince(service.reopenWindowMinutes, now);
    const firing = await batch.load(service.id, dedup, [...grouping], resolvedSince);
    // The grouping rule changed since such an alert was stored: its incident's key was not locked.
    const unlocked = locked ? firing.map((a) => a.groupingKey).filter((k) => !grouping.has(k)) : [];
    if (unlocked.length > 0) throw new NeedsMoreLocks(service.id, unlocked);
  }
  return prepared;
}

/**
 * A page by hand opens its own incident, as in PagerDuty: joining an open one would page nobody new
 * while the answer said who was paged, and a later alert joining a page to chosen people would page
 * only them. Its dedup key is unique (`manual:<id>`), so its grouping key is too.
 */
const groupingKeyOf = (c: Pick<IngestContext, "service" | "integration">, event: AlertEvent) =>
  c.integration.kind === "manual" ? `manual:${event.dedupKey}` : groupingKeyFor(c.service.grouping, event);

async function applyEvent(c: IngestContext, event: AlertEvent): Promise<boolean> {
  switch (event.action) {
    case "trigger":
      return trigger(c, event);
    case "resolve":
      return resolveAlert(c, event.dedupKey);
    case "acknowledge":
      return acknowledgeAlert(c, event.dedupKey);
  }
}

async function trigger(c: IngestContext, event: AlertEvent): Promise<boolean> {
  // Its endsAt passed between parsing and this transaction: Alertmanager counts it resolved, so no page.
  if (event.expiresAt !== null && event.expiresAt.getTime() <= c.now.getTime())
    return resolveAlert(c, event.dedupKey);
  const existing = await c.tx.alerts.findFiringOfIntegration(c.integration.id, event.dedupKey);
  if (existing) return refresh(c, existing, event);

  const alert: Alert = {
    id: newTimeOrderedId(c.now),
    serviceId: c.service.id,
    integrationId: c.integration.id,
    dedupKey: event.dedupKey,
    groupingKey: groupingKeyOf(c, event),
    status: "firing",
    level: event.level ?? levelForSeverity(event.severity, c.integration.defaultLevel),
    suppressed: c.inMaintenance,
    summary: event.summary,
    severity: event.severity,
    labels: event.labels,
    details: event.details,
    source: event.source,
    links: event.links,
    startedAt: event.occurredAt,
    lastEventAt: c.now,
    expiresAt: event.expiresAt,
    resolvedAt: null,
    incidentId: null,
    eventCount: 1,
    createdAt: c.now,
  };
  // An alert that belongs to an incident is written once, with its incident, rather than inserted and then updated.
  if (alert.level !== "ticket" && !alert.suppressed) await attachToIncident(c, alert, "insert");
  else await c.tx.alerts.insert(alert);
  if (alert.expiresAt) await armExpirySweep(c.tx, alert.serviceId, alert.expiresAt);
  if (alert.suppressed && c.maintenanceEndsAt)
    await armRelease(c.tx, c.service.id, c.maintenanceEndsAt, "keep-earliest");
  return true;
}

/** The same alert again: keep it firing, move its expiry; page nobody anew. */
async function refresh(c: IngestContext, alert: Alert, event: AlertEvent): Promise<boolean> {
  const expiryMoved = (event.expiresAt?.getTime() ?? null) !== (alert.expiresAt?.getTime() ?? null);
  // Recorded during maintenance and still firing after it: it pages now.
  const nowPages = alert.suppressed && !c.inMaintenance && alert.level !== "ticket";
  const updated: Alert = {
    ...alert,
    lastEventAt: c.now,
    eventCount: alert.eventCount + 1,
    expiresAt: event.expiresAt,
    suppressed: alert.suppressed && !nowPages,
  };
  await c.tx.alerts.update(updated);
  if (expiryMoved && updated.expiresAt) await armExpirySweep(c.tx, updated.serviceId, updated.expiresAt);
  if (nowPages) await attachToIncident(c, updated);
  return nowPages;
}

const RELEASE_KEY = (serviceId: string) => `maintenance-release:${serviceId}`;

const EXPIRY_SWEEP_KEY = (serviceId: string) => `alerts-expire-due:${serviceId}`;

/**
 * One expiry timer per service, at its earliest expiry: it resolves every alert whose endsAt passed
 * unrefreshed and re-arms for the next (see expireDueAlerts). An alert adds no timer row of its own.
 */
export function armExpirySweep(tx: Tx, serviceId: string, at: Date, keyMode: JobKeyMode = "keep-earliest") {
  return tx.jobs.enqueue(
    "alerts.expire-due",
    { serviceId },
    { runAt: at, key: EXPIRY_SWEEP_KEY(serviceId), keyMode },
  );
}

export function armRelease(tx: Tx, serviceId: string, at: Date, keyMode: "replace" | "keep-earliest") {
  return tx.jobs.enqueue(
    "maintenance.release",
    { serviceId },
    { runAt: at, key: RELEASE_KEY(serviceId), keyMode },
  );
}

/** Joins an open incident with the same grouping key, reopens a recent one, or opens a new one. */
export async function attachToIncident(
  c: IngestContext,
  alert: Alert,
  write: "insert" | "update" = "update",
): Promise<void> {
  const saveWith = (incidentId: string) =>
    write === "insert"
      ? c.tx.alerts.insert({ ...alert, incidentId })
      : c.tx.alerts.update({ ...alert, incidentId });
  const { tx, service, now, escalationOverride: override } = c;
  // A page to chosen people opens its own incident: joining one would page whoever that one pages.
  const open = override ? [] : await tx.incidents.listOpenByGroupingKey(service.id, alert.groupingKey);
  const joined =
    incidentToJoin(service.grouping, open, now) ?? (await reopenedToJoin(tx, service, open, now));
  if (joined) {
    await saveWith(joined.id);
    await tx.timeline.append({
      incidentId: joined.id,
      at: now,
      kind: "alert.added",
      actor: c.actor,
      message: alert.summary,
      data: { alertId: alert.id, dedupKey: alert.dedupKey },
    });
    // The response side decides whether this is a regression after a fix (one pending check per incident).
    await tx.jobs.enqueue(
      "response.alert-fired",
      { incidentId: joined.id, firedAtMs: now.getTime() },
      { runAt: now, key: `response.alert-fired:${joined.id}`, keyMode: "keep-earliest" },
    );
    const level = higherLevel(joined.level, alert.level);
    if (level !== joined.level) await raiseIncidentLevel(tx, service, joined, level, now);
    return;
  }
  const since = override ? null : reopenableSince(service.reopenWindowMinutes, now);
  if (since) {
    const recent = await tx.incidents.findRecentlyResolved(service.id, alert.groupingKey, since);
    if (recent) {
      await saveWith(recent.id);
      const withLevel = { ...recent, level: higherLevel(recent.level, alert.level) };
      await tx.incidents.update(withLevel);
      await reopenIncident(tx, withLevel, `Reopened: ${alert.summary}`, now);
      return;
    }
  }
  const policy =
    !override && service.escalationPolicyId
      ? await tx.escalationPolicies.findById(service.escalationPolicyId)
      : undefined;
  const escalation = override?.snapshot ?? (policy ? snapshotOf(policy) : null);
  const incident = await tx.incidents.insert({
    id: newTimeOrderedId(now),
    serviceId: service.id,
    title: alert.summary,
    state: "triggered",
    level: alert.level,
    groupingKey: alert.groupingKey,
    openedAt: now,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    escalation,
    escalationStep: 0,
    escalationLoop: 0,
    escalationVersion: 0,
    assigneeIds: [],
    updatedAt: now,
  });
  c.opened++;
  await saveWith(incident.id);
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "incident.triggered",
    actor: c.actor,
    message: alert.summary,
    data: {
      alertId: alert.id,
      level: alert.level,
      policy: escalation
        ? { id: escalation.policyId, name: escalation.policyName, updatedAt: escalation.policyUpdatedAt }
        : null,
    },
  });
  if (override)
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: "incident.assigned_by_hand",
      actor: override.chosenBy,
      message: override.note,
      data: override.noteData,
    });
  await tellChannel(tx, service, incident, "triggered", now);
  await beginEscalation(tx, incident, now);
}

/**
 * Of open incidents outside the grouping window, one reopened inside it: a reopened incident takes
 * its group's alerts again, rather than the next of them opening a second incident and paging twice.
 */
async function reopenedToJoin(
  tx: Tx,
  service: Service,
  open: readonly Incident[],
  now: Date,
): Promise<Incident | undefined> {
  if (service.grouping.windowMinutes === null) return undefined;
  const candidates = [];
  for (const incident of open) {
    const reopenedAt = await tx.timeline.lastEntryAt(incident.id, ["incident.reopened"]);
    if (reopenedAt) candidates.push({ id: incident.id, openedAt: incident.openedAt, reopenedAt });
  }
  const joined = incidentToJoin(service.grouping, candidates, now);
  return joined && open.find((incident) => incident.id === joined.id);
}

/**
 * Resolves the firing alert this integration opened with this key; an unknown key (or one only another
 * integration fires) is accepted and changes nothing, as PagerDuty drops a key sent with another routing key.
 */
async function resolveAlert(c: IngestContext, dedupKey: string): Promise<boolean> {
  const alert = await c.tx.alerts.findFiringOfIntegration(c.integration.id, dedupKey);
  if (!alert) return false;
  await resolveAlertRecord(c.tx, c.service, alert, c.now);
  return true;
}

/** Marks one alert resolved and, when it was the incident's last firing alert, resolves the incident. */
export async function resolveAlertRecord(
  tx: Tx,
  service: Service,
  alert: Alert,
  now: Date,
  why = "resolved by its source",
  incidentWhy = "Resolved: all its alerts resolved",
): Promise<void> {
  await tx.alerts.update({ ...alert, status: "resolved", resolvedAt: now });
  if (!alert.incidentId) return;
  await tx.timeline.append({
    incidentId: alert.incidentId,
    at: now,
    kind: "alert.resolved",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: `${alert.summary}: ${why}`,
    data: { alertId: alert.id },
  });
  if (!service.autoResolve) return;
  const incident = await tx.incidents.findById(alert.incidentId);
  if (!incident || incident.state === "resolved") return;
  if ((await tx.alerts.countFiringForIncident(incident.id)) > 0) return;
  await resolveIncident(tx, incident, SYSTEM_TIMELINE_ACTOR, now, incidentWhy);
}

async function acknowledgeAlert(c: IngestContext, dedupKey: string): Promise<boolean> {
  const alert = await c.tx.alerts.findFiringOfIntegration(c.integration.id, dedupKey);
  if (!alert?.incidentId) return false;
  const incident = await c.tx.incidents.findById(alert.incidentId);
  if (!incident || incident.state !== "triggered") return false;
  await acknowledgeIncident(c.tx, incident as Incident, c.actor, c.now);
  return true;
}
