import { AppError, validationError, type FieldError } from "../errors.js";
import {
  checkAction,
  isNonEmptyId,
  nameIn,
  throwIfInvalid,
  userIdErrors,
  type Action,
  type Changed,
  type IncidentAction,
  type TimelineDraft,
} from "./response-action.js";

/**
 * The attack plan: tasks with one owner each, so nobody works twice. The handler assigns; a task that
 * someone else owns changes hands only when that owner (or, for an offer, the recipient) accepts.
 */

export type TaskState = "open" | "in-progress" | "done" | "dropped";

export const TASK_STATES: readonly TaskState[] = ["open", "in-progress", "done", "dropped"];

/** A change of owner waiting for one person's yes: see `handoverAwaits`. */
export interface TaskHandover {
  readonly fromId: string;
  readonly toId: string;
  readonly requestedBy: string;
  readonly requestedAtMs: number;
}

export interface AttackPlanTask {
  readonly id: string;
  readonly title: string;
  readonly ownerId: string | null;
  readonly state: TaskState;
  readonly createdBy: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly pendingHandover: TaskHandover | null;
}

export const MAX_TASK_TITLE_LENGTH = 200;

/** Who may move a task between two states; moves not listed are refused. */
export const TASK_MOVES: ReadonlyArray<{
  readonly from: TaskState;
  readonly to: TaskState;
  readonly by: "owner" | "handler" | "owner-or-handler";
  readonly kind: string;
}> = [
  { from: "open", to: "in-progress", by: "owner", kind: "task.started" },
  { from: "in-progress", to: "open", by: "owner", kind: "task.paused" },
  { from: "open", to: "done", by: "owner-or-handler", kind: "task.done" },
  { from: "in-progress", to: "done", by: "owner-or-handler", kind: "task.done" },
  { from: "open", to: "dropped", by: "handler", kind: "task.dropped" },
  { from: "in-progress", to: "dropped", by: "handler", kind: "task.dropped" },
  { from: "done", to: "open", by: "handler", kind: "task.reopened" },
  { from: "dropped", to: "open", by: "handler", kind: "task.reopened" },
];

const isActive = (task: AttackPlanTask): boolean => task.state === "open" || task.state === "in-progress";

/** The person whose yes completes a handover: the recipient when the owner offers, else the owner. */
export const handoverAwaits = (handover: TaskHandover): string =>
  handover.requestedBy === handover.fromId ? handover.toId : handover.fromId;

/** A person's own work: the tasks they own that are open or in progress. */
export const openTasksOf = (tasks: readonly AttackPlanTask[], userId: string): AttackPlanTask[] =>
  tasks.filter((t) => t.ownerId === userId && isActive(t));

/**
 * "My tasks" across incidents: those of open incidents first, in the order given. Tasks of resolved
 * incidents come after them, and only when asked for: the incident is over, so their work may be moot
 * (a rollback after the fix worked) and the war room no longer takes changes to them.
 */
export function myTasksAcrossIncidents<T extends { readonly incidentResolved: boolean }>(
  tasks: readonly T[],
  includeResolved: boolean,
): T[] {
  const ofOpenIncidents = tasks.filter((t) => !t.incidentResolved);
  return includeResolved ? [...ofOpenIncidents, ...tasks.filter((t) => t.incidentResolved)] : ofOpenIncidents;
}

/** Tasks whose pending handover waits for this person's answer. */
export const tasksAwaiting = (tasks: readonly AttackPlanTask[], userId: string): AttackPlanTask[] =>
  tasks.filter((t) => t.pendingHandover !== null && handoverAwaits(t.pendingHandover) === userId);

export function checkTaskTitle(title: unknown, path = "/title"): FieldError[] {
  return typeof title === "string" && title.trim().length > 0 && title.length <= MAX_TASK_TITLE_LENGTH
    ? []
    : [{ path, message: `must be 1 to ${MAX_TASK_TITLE_LENGTH} characters` }];
}

const entry = (task: AttackPlanTask, kind: string, message: string, data: object = {}): TimelineDraft => ({
  kind,
  message: `Task "${task.title}": ${message}`,
  data: { taskId: task.id, ...data },
});

const requireActive = (task: AttackPlanTask): void => {
  if (!isActive(task))
    throw new AppError("PRECONDITION_FAILED", `task "${task.title}" is ${task.state}: reopen it first`);
};

/**
 * Anyone on the incident adds a task. Only the handler gives it to someone else; others may leave it
 * unowned or take it themselves (nobody else owns it, so nobody works twice).
 */
export function createTask(
  input: { readonly id: string; readonly title: string; readonly ownerId: string | null },
  action: IncidentAction,
): Changed<AttackPlanTask> {
  throwIfInvalid([
    ...checkAction(action),
    ...(isNonEmptyId(input.id) ? [] : [{ path: "/id", message: "needs a task id" }]),
    ...checkTaskTitle(input.title),
    ...userIdErrors(input.ownerId, "/ownerId", true),
  ]);
  if (input.ownerId !== null && input.ownerId !== action.actorId && action.actorId !== action.handlerId)
    throw new AppError("FORBIDDEN", "only the Incident Handler assigns tasks to other people");
  const task: AttackPlanTask = {
    id: input.id,
    title: input.title.trim(),
    ownerId: input.ownerId,
    state: "open",
    createdBy: action.actorId,
    createdAtMs: action.atMs,
    updatedAtMs: action.atMs,
    pendingHandover: null,
  };
  const owner = input.ownerId === null ? "" : `, owned by ${nameIn(action)(input.ownerId)}`;
  return {
    next: task,
    timeline: [
      entry(task, "task.created", `added by ${nameIn(action)(action.actorId)}${owner}`, { ...task }),
    ],
  };
}

/**
 * The handler assigns (or unassigns, with null: at once, nobody can work twice). A task the handler or
 * nobody owns changes at once; one owned by someone else becomes a handover its owner must accept, so
 * they know to stop.
 */
export function assignTask(
  task: AttackPlanTask,
  ownerId: string | null,
  action: IncidentAction,
): Changed<AttackPlanTask> {
  throwIfInvalid([...checkAction(action), ...userIdErrors(ownerId, "/ownerId", true)]);
  if (action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only the Incident Handler (${nameIn(action)(action.handlerId)}) assigns tasks`,
    );
  requireActive(task);
  if (ownerId === task.ownerId) return { next: task, timeline: [] };
  if (task.ownerId !== null && task.ownerId !== action.actorId && ownerId !== null)
    return requestTaskHandover(task, ownerId, action);
  const name = nameIn(action);
  const next: AttackPlanTask = {
    ...task,
    ownerId,
    state: ownerId === null ? "open" : task.state,
    pendingHandover: null,
    updatedAtMs: action.atMs,
  };
  return {
    next,
    timeline: [
      ownerId === null
        ? entry(task, "task.unassigned", `${name(action.actorId)} took it off ${name(task.ownerId ?? "")}`, {
            fromId: task.ownerId,
          })
        : entry(task, "task.assigned", `assigned to ${name(ownerId)} by ${name(action.actorId)}`, {
            fromId: task.ownerId,
            toId: ownerId,
          }),
    ],
  };
}

/**
 * Asks for an owned task to change hands: the owner offers it, someone asks to take it, or the handler
 * reassigns it. The other side answers with acceptTaskHandover / declineTaskHandover.
 */
export function requestTaskHandover(
  task: AttackPlanTask,
  toId: string,
  action: IncidentAction,
): Changed<AttackPlanTask> {
  throwIfInvalid([...checkAction(action), ...userIdErrors(toId, "/toId")]);
  const name = nameIn(action);
  requireActive(task);
  const fromId = task.ownerId;
  if (fromId === null)
    throw new AppError(
      "PRECONDITION_FAILED",
      `task "${task.title}" has no owner: the Incident Handler assigns it`,
    );
  if (toId === fromId)
    throw validationError([{ path: "/toId", message: `${name(toId)} owns the task already` }]);
  if (![fromId, toId, action.handlerId].includes(action.actorId))
    throw new AppError(
      "FORBIDDEN",
      `only ${name(fromId)}, ${name(toId)} or the Incident Handler can ask for this handover`,
    );
  if (task.pendingHandover)
    throw new AppError(
      "CONFLICT",
      `task "${task.title}" has a handover to ${name(task.pendingHandover.toId)} pending already`,
    );
  const pendingHandover: TaskHandover = {
    fromId,
    toId,
    requestedBy: action.actorId,
    requestedAtMs: action.atMs,
  };
  const message =
    action.actorId === fromId
      ? `${name(fromId)} offered it to ${name(toId)}`
      : action.actorId === toId
        ? `${name(toId)} asked ${name(fromId)} to hand it over`
        : `${name(action.actorId)} asked ${name(fromId)} to hand it over to ${name(toId)}`;
  return {
    next: { ...task, pendingHandover, updatedAtMs: action.atMs },
    timeline: [
      entry(
        task,
        "task.handover-requested",
        `${message}; waiting for ${name(handoverAwaits(pendingHandover))}`,
        {
          ...pendingHandover,
        },
      ),
    ],
  };
}

function awaitedHandover(task: AttackPlanTask, action: Action, what: string): TaskHandover {
  throwIfInvalid(checkAction(action));
  const pending = task.pendingHandover;
  if (!pending) throw new AppError("PRECONDITION_FAILED", `task "${task.title}" has no pending handover`);
  const awaited = handoverAwaits(pending);
  if (action.actorId !== awaited)
    throw new AppError("FORBIDDEN", `only ${nameIn(action)(awaited)} can ${what} this handover`);
  return pending;
}

/** The awaited person says yes: the task changes owner and keeps its state. */
export function acceptTaskHandover(task: AttackPlanTask, action: Action): Changed<AttackPlanTask> {
  const pending = awaitedHandover(task, action, "accept");
  const name = nameIn(action);
  return {
    next: { ...task, ownerId: pending.toId, pendingHandover: null, updatedAtMs: action.atMs },
    timeline: [
      entry(
        task,
        "task.handover-accepted",
        `${name(pending.toId)} owns it now, taking over from ${name(pending.fromId)}`,
        {
          fromId: pending.fromId,
          toId: pending.toId,
        },
      ),
    ],
  };
}

/** The awaited person says no: the owner keeps it. */
export function declineTaskHandover(task: AttackPlanTask, action: Action): Changed<AttackPlanTask> {
  const pending = awaitedHandover(task, action, "decline");
  return clearHandover(
    task,
    action,
    "task.handover-declined",
    `${nameIn(action)(action.actorId)} declined the handover`,
    pending,
  );
}

/** Whoever asked (or the handler) withdraws a handover nobody has answered. */
export function cancelTaskHandover(task: AttackPlanTask, action: IncidentAction): Changed<AttackPlanTask> {
  throwIfInvalid(checkAction(action));
  const pending = task.pendingHandover;
  if (!pending) throw new AppError("PRECONDITION_FAILED", `task "${task.title}" has no pending handover`);
  if (action.actorId !== pending.requestedBy && action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only ${nameIn(action)(pending.requestedBy)}, who asked, or the Incident Handler can cancel it`,
    );
  return clearHandover(
    task,
    action,
    "task.handover-cancelled",
    `${nameIn(action)(action.actorId)} cancelled the handover`,
    pending,
  );
}

const clearHandover = (
  task: AttackPlanTask,
  action: Action,
  kind: string,
  message: string,
  pending: TaskHandover,
): Changed<AttackPlanTask> => ({
  next: { ...task, pendingHandover: null, updatedAtMs: action.atMs },
  timeline: [entry(task, kind, message, { fromId: pending.fromId, toId: pending.toId })],
});

/** The owner gives the task up: it goes back to open with no owner, for the handler to assign. */
export function releaseTask(task: AttackPlanTask, action: Action): Changed<AttackPlanTask> {
  throwIfInvalid(checkAction(action));
  requireActive(task);
  if (task.ownerId !== action.actorId)
    throw new AppError("FORBIDDEN", `only the task's owner can release it`);
  if (task.pendingHandover)
    throw new AppError("CONFLICT", `task "${task.title}" has a pending handover: answer or cancel it first`);
  return {
    next: { ...task, ownerId: null, state: "open", updatedAtMs: action.atMs },
    timeline: [
      entry(task, "task.released", `${nameIn(action)(action.actorId)} released it`, { fromId: task.ownerId }),
    ],
  };
}

/** Moves a task along TASK_MOVES. Moving to its own state changes nothing; done and dropped end any pending handover. */
export function moveTask(
  task: AttackPlanTask,
  to: TaskState,
  action: IncidentAction,
): Changed<AttackPlanTask> {
  throwIfInvalid([
    ...checkAction(action),
    ...(TASK_STATES.includes(to)
      ? []
      : [{ path: "/state", message: "must be open, in-progress, done or dropped" }]),
  ]);
  if (to === task.state) return { next: task, timeline: [] };
  const move = TASK_MOVES.find((m) => m.from === task.state && m.to === to);
  if (!move)
    throw new AppError("PRECONDITION_FAILED", `task "${task.title}" cannot go from ${task.state} to ${to}`);
  if (move.by === "owner" && task.ownerId === null)
    throw new AppError(
      "PRECONDITION_FAILED",
      `task "${task.title}" has no owner: the Incident Handler assigns it first`,
    );
  const isOwner = task.ownerId !== null && action.actorId === task.ownerId;
  const isHandler = action.actorId === action.handlerId;
  const allowed = move.by === "owner" ? isOwner : move.by === "handler" ? isHandler : isOwner || isHandler;
  if (!allowed) {
    const who =
      move.by === "owner"
        ? "its owner"
        : move.by === "handler"
          ? "the Incident Handler"
          : "its owner or the Incident Handler";
    throw new AppError("FORBIDDEN", `only ${who} can move task "${task.title}" to ${to}`);
  }
  const ends = to === "done" || to === "dropped";
  return {
    next: {
      ...task,
      state: to,
      pendingHandover: ends ? null : task.pendingHandover,
      updatedAtMs: action.atMs,
    },
    timeline: [
      entry(task, move.kind, `${task.state} → ${to} by ${nameIn(action)(action.actorId)}`, {
        from: task.state,
        to,
      }),
    ],
  };
}
