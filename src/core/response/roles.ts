import { AppError, validationError, type FieldError } from "../errors.js";
import {
  checkAction,
  isNonEmptyId,
  nameIn,
  throwIfInvalid,
  type Action,
  type Changed,
  type TimelineDraft,
  userIdErrors,
} from "./response-action.js";

/**
 * Who does what on an incident. Exactly one Incident Handler at all times; the role moves only when
 * the person it is offered to accepts, so it is never dropped between two people.
 */

export interface HandlerHandover {
  readonly fromId: string;
  readonly toId: string;
  readonly proposedAtMs: number;
}

export interface IncidentRoles {
  readonly handlerId: string;
  /** Speaks for the incident (status page, stakeholders); null: the handler does it. */
  readonly commsLeadId: string | null;
  /** Everyone else working on it; never holds the handler. */
  readonly responderIds: readonly string[];
  /** An offer of the handler role waiting for its recipient; the handler stays `handlerId` until accepted. */
  readonly pendingHandover: HandlerHandover | null;
}

/** The roles named at triage: the first responder (or whoever triage names) handles it. */
export function rolesAtTriage(handlerId: string): IncidentRoles {
  throwIfInvalid(isNonEmptyId(handlerId) ? [] : [{ path: "/handlerId", message: "needs a user id" }]);
  return { handlerId, commsLeadId: null, responderIds: [], pendingHandover: null };
}

/** Whether the person holds any role on the incident (handler, comms lead or responder). */
export const isInvolved = (roles: IncidentRoles, userId: string): boolean =>
  roles.handlerId === userId || roles.commsLeadId === userId || roles.responderIds.includes(userId);

const requireHandler = (roles: IncidentRoles, action: Action, what: string): void => {
  if (action.actorId !== roles.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only the Incident Handler (${nameIn(action)(roles.handlerId)}) can ${what}`,
    );
};

const checked = (action: Action, ...more: FieldError[][]): void =>
  throwIfInvalid([...checkAction(action), ...more.flat()]);

/** The handler offers the role to someone; nothing changes for anyone until they accept. */
export function proposeHandover(roles: IncidentRoles, toId: string, action: Action): Changed<IncidentRoles> {
  checked(action, userIdErrors(toId, "/toId"));
  const name = nameIn(action);
  requireHandler(roles, action, "hand the role over");
  if (toId === roles.handlerId)
    throw validationError([{ path: "/toId", message: `${name(toId)} is the Incident Handler already` }]);
  if (roles.pendingHandover)
    throw new AppError(
      "CONFLICT",
      `a handover to ${name(roles.pendingHandover.toId)} is pending already; cancel it first`,
    );
  const pendingHandover = { fromId: roles.handlerId, toId, proposedAtMs: action.atMs };
  return {
    next: { ...roles, pendingHandover },
    timeline: [
      {
        kind: "handover.proposed",
        message: `${name(roles.handlerId)} offered the Incident Handler role to ${name(toId)}`,
        data: { fromId: roles.handlerId, toId },
      },
    ],
  };
}

function pendingFor(roles: IncidentRoles, action: Action, what: string): HandlerHandover {
  checked(action);
  const pending = roles.pendingHandover;
  if (!pending)
    throw new AppError("PRECONDITION_FAILED", `no handover of the Incident Handler role is pending`);
  if (action.actorId !== pending.toId)
    throw new AppError(
      "FORBIDDEN",
      `only ${nameIn(action)(pending.toId)}, to whom the role was offered, can ${what} it`,
    );
  return pending;
}

/** The proposed person takes the role; the previous handler stays on as a responder. */
export function acceptHandover(roles: IncidentRoles, action: Action): Changed<IncidentRoles> {
  const pending = pendingFor(roles, action, "accept");
  const name = nameIn(action);
  const responderIds = [...roles.responderIds.filter((id) => id !== pending.toId), pending.fromId];
  return {
    next: { ...roles, handlerId: pending.toId, responderIds: unique(responderIds), pendingHandover: null },
    timeline: [
      {
        kind: "handover.accepted",
        message: `${name(pending.toId)} is the Incident Handler now, taking over from ${name(pending.fromId)}`,
        data: { fromId: pending.fromId, toId: pending.toId },
      },
    ],
  };
}

/** The proposed person says no; the handler keeps the role. */
export function declineHandover(roles: IncidentRoles, action: Action): Changed<IncidentRoles> {
  const pending = pendingFor(roles, action, "decline");
  return withoutPending(roles, {
    kind: "handover.declined",
    message: `${nameIn(action)(pending.toId)} declined the Incident Handler role; ${nameIn(action)(roles.handlerId)} keeps it`,
    data: { fromId: pending.fromId, toId: pending.toId },
  });
}

/** The handler withdraws an offer nobody has answered yet. */
export function cancelHandover(roles: IncidentRoles, action: Action): Changed<IncidentRoles> {
  checked(action);
  requireHandler(roles, action, "cancel the handover");
  const pending = roles.pendingHandover;
  if (!pending)
    throw new AppError("PRECONDITION_FAILED", `no handover of the Incident Handler role is pending`);
  return withoutPending(roles, {
    kind: "handover.cancelled",
    message: `${nameIn(action)(roles.handlerId)} withdrew the offer of the Incident Handler role to ${nameIn(action)(pending.toId)}`,
    data: { fromId: pending.fromId, toId: pending.toId },
  });
}

const withoutPending = (roles: IncidentRoles, entry: TimelineDraft): Changed<IncidentRoles> => ({
  next: { ...roles, pendingHandover: null },
  timeline: [entry],
});

/** The handler names the communications lead, or clears the role (null) to speak for the incident again. */
export function nameCommsLead(
  roles: IncidentRoles,
  userId: string | null,
  action: Action,
): Changed<IncidentRoles> {
  checked(action, userIdErrors(userId, "/userId", true));
  requireHandler(roles, action, "name the communications lead");
  if (roles.commsLeadId === userId) return { next: roles, timeline: [] };
  const name = nameIn(action);
  return {
    next: { ...roles, commsLeadId: userId },
    timeline: [
      {
        kind: "role.comms-lead-named",
        message:
          userId === null
            ? `No communications lead: ${name(roles.handlerId)} speaks for the incident`
            : `${name(userId)} is the communications lead`,
        data: { userId },
      },
    ],
  };
}

/** The handler adds anyone; anyone may add themselves. Adding someone twice changes nothing. */
export function addResponder(roles: IncidentRoles, userId: string, action: Action): Changed<IncidentRoles> {
  checked(action, userIdErrors(userId, "/userId"));
  if (userId !== action.actorId) requireHandler(roles, action, "add other responders");
  if (userId === roles.handlerId || roles.responderIds.includes(userId)) return { next: roles, timeline: [] };
  return {
    next: { ...roles, responderIds: [...roles.responderIds, userId] },
    timeline: [
      {
        kind: "role.responder-added",
        message: `${nameIn(action)(userId)} joined the response`,
        data: { userId },
      },
    ],
  };
}

/** The handler removes anyone; anyone may leave. The handler cannot leave: hand the role over first. */
export function removeResponder(
  roles: IncidentRoles,
  userId: string,
  action: Action,
): Changed<IncidentRoles> {
  checked(action, userIdErrors(userId, "/userId"));
  if (userId !== action.actorId) requireHandler(roles, action, "remove other responders");
  if (userId === roles.handlerId)
    throw new AppError("PRECONDITION_FAILED", "the Incident Handler cannot leave: hand the role over first");
  if (!roles.responderIds.includes(userId)) return { next: roles, timeline: [] };
  return {
    next: { ...roles, responderIds: roles.responderIds.filter((id) => id !== userId) },
    timeline: [
      {
        kind: "role.responder-removed",
        message: `${nameIn(action)(userId)} left the response`,
        data: { userId },
      },
    ],
  };
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];
