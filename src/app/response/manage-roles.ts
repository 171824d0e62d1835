import { requireRole } from "../../core/auth/actor.js";
import type { User } from "../../core/auth/records.js";
import { validationError } from "../../core/errors.js";
import type { Action, Changed } from "../../core/response/response-action.js";
import {
  acceptHandover,
  addResponder,
  cancelHandover,
  declineHandover,
  nameCommsLead,
  proposeHandover,
  removeResponder,
  type IncidentRoles,
} from "../../core/response/roles.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { planChannelInvite } from "./incident-channel-posts.js";
import { responseViewOf } from "./read-war-room.js";
import { planPersonNotice } from "./response-notices.js";
import {
  asApiFields,
  loadWarRoom,
  personOf,
  requireOpen,
  rolesOf,
  saveResponse,
  timelineActorOf,
  withRoles,
  writeTimeline,
  type WarRoom,
} from "./war-room.js";

/**
 * Roles on the record: the handler's handover (offered, then accepted, declined or withdrawn), the
 * communications lead, and the responders. The rules are core's; this loads, saves and tells people.
 */

type RoleChange = (roles: IncidentRoles, action: Action) => Changed<IncidentRoles>;
type AfterChange = (
  tx: Tx,
  room: WarRoom,
  before: IncidentRoles,
  after: IncidentRoles,
  now: Date,
) => Promise<void>;

async function changeRoles(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  change: RoleChange,
  after: AfterChange = async () => undefined,
  checkUser?: { readonly userId: string | null; readonly path: string },
) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const before = rolesOf(room);
    if (checkUser?.userId) requireActiveResponder(room, checkUser.userId, checkUser.path);
    const changed = change(before, { actorId: person.id, atMs, nameOf: room.nameOf });
    if (changed.timeline.length === 0) return responseViewOf(tx, room, atMs);
    const record = await saveResponse(tx, room, withRoles(room.record, changed.next), atMs);
    const saved = { ...room, record, exists: true };
    await writeTimeline(tx, room.incident, changed.timeline, timelineActorOf(person), now);
    await after(tx, saved, before, changed.next, now);
    return responseViewOf(tx, saved, atMs);
  });
}

/** Roles go to enabled people who may act on incidents. */
function requireActiveResponder(room: WarRoom, userId: string, path: string): User {
  const user = room.people.get(userId);
  if (!user || user.disabledAt) throw validationError([{ path, message: `user ${userId} not found` }]);
  if (user.role === "viewer")
    throw validationError([{ path, message: `${user.name} is a viewer and cannot take a role` }]);
  return user;
}

const inviteNewPeople: AfterChange = async (tx, room, before, after, now) => {
  const had = new Set([before.handlerId, before.commsLeadId, ...before.responderIds]);
  const joined = [after.handlerId, after.commsLeadId, ...after.responderIds].filter(
    (id): id is string => id !== null && !had.has(id),
  );
  await planChannelInvite(tx, room.incident.id, joined, now);
};

export const proposeIncidentHandover = (deps: AlertingDeps, caller: Caller, ref: string, toUserId: string) =>
  changeRoles(
    deps,
    caller,
    ref,
    (roles, action) => asApiFields({ "/toId": "/toUserId" }, () => proposeHandover(roles, toUserId, action)),
    async (tx, room, before, _after, now) =>
      void (await planPersonNotice(
        tx,
        room.incident,
        toUserId,
        {
          title: `INC-${room.incident.number}: ${room.nameOf(before.handlerId)} offers you the Incident Handler role`,
          details: [
            { label: "Incident", value: room.incident.title },
            { label: "Next", value: "Accept or decline it in the war room" },
          ],
        },
        `handover:${room.incident.id}:${now.getTime()}`,
        now,
      )),
    { userId: toUserId, path: "/toUserId" },
  );

export const acceptIncidentHandover = (deps: AlertingDeps, caller: Caller, ref: string) =>
  changeRoles(deps, caller, ref, acceptHandover, inviteNewPeople);

export const declineIncidentHandover = (deps: AlertingDeps, caller: Caller, ref: string) =>
  changeRoles(deps, caller, ref, declineHandover);

export const cancelIncidentHandover = (deps: AlertingDeps, caller: Caller, ref: string) =>
  changeRoles(deps, caller, ref, cancelHandover);

export const setCommsLead = (deps: AlertingDeps, caller: Caller, ref: string, userId: string | null) =>
  changeRoles(deps, caller, ref, (roles, action) => nameCommsLead(roles, userId, action), inviteNewPeople, {
    userId,
    path: "/userId",
  });

export const addIncidentResponder = (deps: AlertingDeps, caller: Caller, ref: string, userId: string) =>
  changeRoles(deps, caller, ref, (roles, action) => addResponder(roles, userId, action), inviteNewPeople, {
    userId,
    path: "/userId",
  });

export const removeIncidentResponder = (deps: AlertingDeps, caller: Caller, ref: string, userId: string) =>
  changeRoles(deps, caller, ref, (roles, action) => removeResponder(roles, userId, action));
