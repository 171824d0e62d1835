import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Service } from "../../core/alerts/records.js";
import type { User } from "../../core/auth/records.js";
import { AppError, notFound } from "../../core/errors.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { PublicNames } from "../../core/response/public-update-templates.js";
import type { IncidentAction, NameOf, TimelineDraft } from "../../core/response/response-action.js";
import type { IncidentRoles } from "../../core/response/roles.js";
import { actingPerson } from "../auth/acting-person.js";
import type { Caller } from "../deps.js";
import { findIncident } from "../incidents/incident-actions.js";
import { SYSTEM_TIMELINE_ACTOR } from "../notifications/plan-deliveries.js";
import type { IncidentResponseRecord } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { postKeyEvents } from "./incident-channel-posts.js";

/**
 * What every response use case shares: who acts (a person), the incident with its war room, names for
 * timeline messages, and how a change is saved (version-fenced) and written on the timeline.
 */

export interface WarRoom {
  readonly incident: Incident;
  readonly service: Service;
  /** The stored record, or a fresh one (investigating, untriaged) when nobody acted yet. */
  readonly record: IncidentResponseRecord;
  readonly exists: boolean;
  readonly people: ReadonlyMap<string, User>;
  readonly nameOf: NameOf;
}

/** The record of an incident nobody has acted on yet. */
export const freshResponse = (incidentId: string, atMs: number): IncidentResponseRecord => ({
  incidentId,
  phase: "investigating",
  triage: null,
  handlerId: null,
  commsLeadId: null,
  responderIds: [],
  pendingHandover: null,
  watch: null,
  publicUpdateRequiredSinceMs: null,
  videoCallUrl: null,
  channel: { kind: "pending", channelId: null, name: null, url: null },
  version: 0,
  createdAtMs: atMs,
  updatedAtMs: atMs,
});

/**
 * The person behind a caller: a signed-in user, or the person who created an API key (the CLI acts for
 * them). Roles on an incident belong to people, so a key made by Firebreak itself cannot act.
 */
export async function personOf(tx: Tx, caller: Caller): Promise<User> {
  const { actor } = caller;
  const user = await actingPerson(tx, actor);
  if (!user)
    throw new AppError(
      "FORBIDDEN",
      `${actor.label} acts for no person: incident roles belong to people; use a person's session or an API key a person created`,
      { reason: "ACTS_FOR_NO_PERSON" },
    );
  return user;
}

/** The timeline's actor for a person: named as people read it. */
export const timelineActorOf = (person: User): AuditActor => ({
  kind: "user",
  id: person.id,
  label: person.name,
});

export async function loadPeople(tx: Tx): Promise<Map<string, User>> {
  return new Map((await tx.users.list()).map((u) => [u.id, u]));
}

export const nameOfPeople =
  (people: ReadonlyMap<string, User>): NameOf =>
  (userId) =>
    people.get(userId)?.name ?? userId;

export async function loadWarRoom(tx: Tx, ref: string, atMs: number): Promise<WarRoom> {
  const incident = await findIncident(tx, ref);
  return loadWarRoomOf(tx, incident, atMs);
}

export async function loadWarRoomOf(tx: Tx, incident: Incident, atMs: number): Promise<WarRoom> {
  const service = await tx.services.findById(incident.serviceId);
  if (!service) throw notFound("service", incident.serviceId);
  const stored = await tx.incidentResponses.find(incident.id);
  const people = await loadPeople(tx);
  return {
    incident,
    service,
    record: stored ?? freshResponse(incident.id, atMs),
    exists: stored !== undefined,
    people,
    nameOf: nameOfPeople(people),
  };
}

/** The handler, or PRECONDITION_FAILED: most of the response needs triage, which names the handler. */
export function handlerOf(room: WarRoom): string {
  if (room.record.handlerId === null)
    throw new AppError(
      "PRECONDITION_FAILED",
      `INC-${room.incident.number} is not triaged yet: triage names its Incident Handler`,
    );
  return room.record.handlerId;
}

export const rolesOf = (room: WarRoom): IncidentRoles => ({
  handlerId: handlerOf(room),
  commsLeadId: room.record.commsLeadId,
  responderIds: room.record.responderIds,
  pendingHandover: room.record.pendingHandover,
});

export const withRoles = (record: IncidentResponseRecord, roles: IncidentRoles): IncidentResponseRecord => ({
  ...record,
  handlerId: roles.handlerId,
  commsLeadId: roles.commsLeadId,
  responderIds: roles.responderIds,
  pendingHandover: roles.pendingHandover,
});

export const incidentAction = (room: WarRoom, person: User, atMs: number): IncidentAction => ({
  actorId: person.id,
  atMs,
  handlerId: handlerOf(room),
  nameOf: room.nameOf,
});

/** A resolved incident's response changes no more; reopen it first. */
export function requireOpen(room: WarRoom): void {
  if (room.incident.state === "resolved")
    throw new AppError("PRECONDITION_FAILED", `INC-${room.incident.number} is resolved`);
}

/**
 * Saves the record with the next version; CONFLICT when someone else changed it since it was read.
 * Every change of the response goes through here (tasks, fixes and updates too): it fences races and
 * tells the live stream that something changed.
 */
export async function saveResponse(
  tx: Tx,
  room: WarRoom,
  next: IncidentResponseRecord,
  atMs: number,
): Promise<IncidentResponseRecord> {
  const saved = { ...next, version: room.record.version + 1, updatedAtMs: atMs };
  if (!room.exists) {
    await tx.incidentResponses.insert(saved);
    return saved;
  }
  if (!(await tx.incidentResponses.update(saved)))
    throw new AppError(
      "CONFLICT",
      `INC-${room.incident.number} changed while this was being done; look again and retry`,
    );
  return saved;
}

/** Stamps the drafts (incident, instant, actor), appends them in order, and posts the key ones to the channel. */
export async function writeTimeline(
  tx: Tx,
  incident: Incident,
  drafts: readonly TimelineDraft[],
  actor: AuditActor | null,
  now: Date,
): Promise<void> {
  for (const draft of drafts) {
    await tx.timeline.append({
      incidentId: incident.id,
      at: now,
      kind: draft.kind,
      actor: actor ?? SYSTEM_TIMELINE_ACTOR,
      message: draft.message,
      data: draft.data,
    });
  }
  await postKeyEvents(tx, incident, drafts, now);
}

/** Runs a core rule, naming its fields as the API does (core says `/toId` where the body has `toUserId`). */
export function asApiFields<T>(renames: Readonly<Record<string, string>>, rule: () => T): T {
  try {
    return rule();
  } catch (err) {
    if (!(err instanceof AppError) || err.fields.length === 0) throw err;
    const fields = err.fields.map((f) => ({ ...f, path: renames[f.path] ?? f.path }));
    const message =
      err.code === "VALIDATION" ? fields.map((f) => `${f.path}: ${f.message}`).join("; ") : err.message;
    throw new AppError(err.code, message, { fields, cause: err });
  }
}

/**
 * What a public update's draft may name: the status components linked to the service, by their
 * public names (the service's own name is internal, and only the fallback when none is linked).
 */
export async function publicNamesOf(tx: Tx, service: Service): Promise<PublicNames> {
  const components = await tx.statusComponents.listForService(service.id);
  return { serviceName: service.name, componentNames: [...new Set(components.map((c) => c.name))] };
}
