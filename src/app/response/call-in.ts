import { requireRole } from "../../core/auth/actor.js";
import type { User } from "../../core/auth/records.js";
import { validationError, type FieldError } from "../../core/errors.js";
import type { EscalationTarget } from "../../core/escalation/policy.js";
import type { TimelineDraft } from "../../core/response/response-action.js";
import { callInTargetId, MAX_CALL_IN_TARGETS, type CallInTarget } from "../../core/response/triage.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { peopleFor } from "../notifications/plan-deliveries.js";
import type { Tx } from "../ports/store.js";
import { responseViewOf } from "./read-war-room.js";
import { planPersonNotice } from "./response-notices.js";
import {
  loadWarRoom,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  writeTimeline,
  type WarRoom,
} from "./war-room.js";

/**
 * "Call in": a person or a team is paged through their notification rules (the later steps stop once
 * they join the response); a directory contact (a vendor's support line) is put on the timeline to call.
 */

/** Every target must exist: people and teams by id, contacts in the vendor directory. */
export async function checkCallInTargetsExist(
  tx: Tx,
  targets: readonly CallInTarget[],
  path = "/callIn",
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [i, t] of targets.entries()) {
    if (!["user", "team", "contact"].includes(t?.kind) || typeof callInTargetId(t) !== "string") {
      errors.push({ path: `${path}/${i}`, message: "must be a user, team or contact with its id" });
      continue;
    }
    const found =
      t.kind === "user"
        ? (await tx.users.findById(t.userId))?.disabledAt === null
        : t.kind === "team"
          ? (await tx.teams.findById(t.teamId)) !== undefined
          : (await tx.vendors.findById(t.contactId)) !== undefined;
    if (!found) errors.push({ path: `${path}/${i}`, message: `${t.kind} ${callInTargetId(t)} not found` });
  }
  return errors;
}

/** Plans the pages and returns what the timeline says about them. */
export async function pageCallInTargets(
  tx: Tx,
  room: WarRoom,
  targets: readonly CallInTarget[],
  caller: User,
  now: Date,
): Promise<TimelineDraft[]> {
  if (targets.length === 0) return [];
  const { incident, nameOf } = room;
  const people = await peopleFor(
    tx,
    targets.flatMap((t): EscalationTarget[] =>
      t.kind === "user"
        ? [{ kind: "user", userId: t.userId }]
        : t.kind === "team"
          ? [{ kind: "team", teamId: t.teamId }]
          : [],
    ),
    now,
  );
  const handler = room.record.handlerId === null ? "not named yet" : nameOf(room.record.handlerId);
  const text = {
    title: `INC-${incident.number}: ${caller.name} calls you in: ${incident.title}`,
    details: [
      { label: "Severity", value: room.record.triage?.severity ?? "not triaged" },
      { label: "Incident Handler", value: handler },
      { label: "Service", value: room.service.name },
    ],
  };
  const paged: string[] = [];
  const unreachable: string[] = [];
  for (const person of people) {
    const reached = await planPersonNotice(
      tx,
      incident,
      person.id,
      text,
      `call-in:${incident.id}:${now.getTime()}`,
      now,
      "rules",
    );
    (reached ? paged : unreachable).push(person.name);
  }
  const contacts: string[] = [];
  for (const t of targets) {
    if (t.kind !== "contact") continue;
    const vendor = await tx.vendors.findById(t.contactId);
    if (vendor) contacts.push(`${vendor.name}${vendor.phone ? ` at ${vendor.phone}` : ""}`);
  }
  const parts = [
    ...(paged.length > 0 ? [`paged ${paged.join(", ")} through their notification rules`] : []),
    ...(unreachable.length > 0 ? [`${unreachable.join(", ")} cannot be reached: no contact methods`] : []),
    ...(contacts.length > 0 ? [`call ${contacts.join(", ")}`] : []),
  ];
  return [
    {
      kind: "call-in.paged",
      message: `${caller.name} called in help: ${parts.length > 0 ? parts.join("; ") : "nobody to page"}`,
      data: { targets: [...targets], paged, unreachable, contacts },
    },
  ];
}

/** POST /incidents/:id/call-in (responder). */
export async function callIn(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  targets: readonly CallInTarget[],
) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const unique = [...new Map(targets.map((t) => [`${t.kind}:${callInTargetId(t)}`, t])).values()];
    const errors: FieldError[] = [
      ...(unique.length === 0
        ? [{ path: "/targets", message: "name at least one person, team or contact" }]
        : []),
      ...(unique.length > MAX_CALL_IN_TARGETS
        ? [{ path: "/targets", message: `at most ${MAX_CALL_IN_TARGETS} people, teams or contacts` }]
        : []),
      ...(await checkCallInTargetsExist(tx, unique, "/targets")),
    ];
    if (errors.length > 0) throw validationError(errors);
    const record = await saveResponse(tx, room, room.record, atMs);
    const drafts = await pageCallInTargets(tx, room, unique, person, now);
    await writeTimeline(tx, room.incident, drafts, timelineActorOf(person), now);
    return responseViewOf(tx, { ...room, record, exists: true }, atMs);
  });
}
