import { requireRole } from "../../core/auth/actor.js";
import { notFound, validationError } from "../../core/errors.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { Changed, IncidentAction } from "../../core/response/response-action.js";
import {
  acceptTaskHandover,
  assignTask,
  cancelTaskHandover,
  createTask,
  declineTaskHandover,
  handoverAwaits,
  moveTask,
  myTasksAcrossIncidents,
  openTasksOf,
  requestTaskHandover,
  type AttackPlanTask,
  type TaskState,
} from "../../core/response/tasks.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { newId } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { planPersonNotice } from "./response-notices.js";
import { taskView } from "./response-views.js";
import {
  asApiFields,
  incidentAction,
  loadPeople,
  loadWarRoom,
  nameOfPeople,
  personOf,
  requireOpen,
  saveResponse,
  timelineActorOf,
  writeTimeline,
  type WarRoom,
} from "./war-room.js";

/** The attack plan: tasks with one owner each. Core decides who may do what; this loads, saves and tells. */

async function requireTaskOwner(room: WarRoom, userId: string | null, path: string): Promise<void> {
  if (userId === null) return;
  const user = room.people.get(userId);
  if (!user || user.disabledAt) throw validationError([{ path, message: `user ${userId} not found` }]);
  if (user.role === "viewer")
    throw validationError([{ path, message: `${user.name} is a viewer and cannot own tasks` }]);
}

/** Tells the person a task now waits on (a new owner, or the other side of a handover). */
async function tellAbout(
  tx: Tx,
  room: WarRoom,
  before: AttackPlanTask | null,
  after: AttackPlanTask,
  actorId: string,
  now: Date,
) {
  const awaited =
    after.pendingHandover && !before?.pendingHandover ? handoverAwaits(after.pendingHandover) : null;
  const newOwner = after.ownerId !== (before?.ownerId ?? null) ? after.ownerId : null;
  const who = awaited ?? newOwner;
  if (who === null || who === actorId) return;
  const what = awaited ? "a handover waits for your answer" : "it is yours now";
  await planPersonNotice(
    tx,
    room.incident,
    who,
    {
      title: `INC-${room.incident.number}: task "${after.title}": ${what}`,
      details: [{ label: "Incident", value: room.incident.title }],
    },
    `task:${after.id}:${now.getTime()}`,
    now,
  );
}

type TaskChange = (task: AttackPlanTask, action: IncidentAction) => Changed<AttackPlanTask>;

async function changeTask(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  taskId: string,
  change: TaskChange,
) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const task = await tx.incidentTasks.find(room.incident.id, taskId);
    if (!task) throw notFound("task", taskId);
    const changed = asApiFields({ "/toId": "/toUserId" }, () =>
      change(task, incidentAction(room, person, atMs)),
    );
    if (changed.timeline.length === 0) return taskView(task, room.nameOf);
    await saveResponse(tx, room, room.record, atMs);
    await tx.incidentTasks.update(changed.next);
    await writeTimeline(tx, room.incident, changed.timeline, timelineActorOf(person), now);
    await tellAbout(tx, room, task, changed.next, person.id, now);
    return taskView(changed.next, room.nameOf);
  });
}

/** Anyone on the response adds a task; only the handler gives it to someone else. */
export async function createIncidentTask(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  input: { title: string; ownerId?: string | null },
) {
  requireRole(caller.actor, "responder");
  const now = deps.clock.now();
  const atMs = now.getTime();
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const room = await loadWarRoom(tx, ref, atMs);
    requireOpen(room);
    const ownerId = input.ownerId ?? null;
    const created = createTask(
      { id: newId(), title: input.title, ownerId },
      incidentAction(room, person, atMs),
    );
    await requireTaskOwner(room, ownerId, "/ownerId");
    await saveResponse(tx, room, room.record, atMs);
    await tx.incidentTasks.insert(room.incident.id, created.next);
    await writeTimeline(tx, room.incident, created.timeline, timelineActorOf(person), now);
    await tellAbout(tx, room, null, created.next, person.id, now);
    return taskView(created.next, room.nameOf);
  });
}

export const moveIncidentTask = (
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  taskId: string,
  state: TaskState,
) => changeTask(deps, caller, ref, taskId, (task, action) => moveTask(task, state, action));

export async function assignIncidentTask(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  taskId: string,
  ownerId: string | null,
) {
  if (ownerId !== null)
    await deps.uow.run(async (tx) => {
      const user = await tx.users.findById(ownerId);
      if (!user || user.disabledAt)
        throw validationError([{ path: "/ownerId", message: `user ${ownerId} not found` }]);
      if (user.role === "viewer")
        throw validationError([
          { path: "/ownerId", message: `${user.name} is a viewer and cannot own tasks` },
        ]);
    });
  return changeTask(deps, caller, ref, taskId, (task, action) => assignTask(task, ownerId, action));
}

export async function requestIncidentTaskHandover(
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  taskId: string,
  toUserId: string,
) {
  await deps.uow.run(async (tx) => {
    const user = await tx.users.findById(toUserId);
    if (!user || user.disabledAt)
      throw validationError([{ path: "/toUserId", message: `user ${toUserId} not found` }]);
  });
  return changeTask(deps, caller, ref, taskId, (task, action) => requestTaskHandover(task, toUserId, action));
}

export const acceptIncidentTaskHandover = (deps: AlertingDeps, caller: Caller, ref: string, taskId: string) =>
  changeTask(deps, caller, ref, taskId, acceptTaskHandover);
export const declineIncidentTaskHandover = (
  deps: AlertingDeps,
  caller: Caller,
  ref: string,
  taskId: string,
) => changeTask(deps, caller, ref, taskId, declineTaskHandover);
export const cancelIncidentTaskHandover = (deps: AlertingDeps, caller: Caller, ref: string, taskId: string) =>
  changeTask(deps, caller, ref, taskId, cancelTaskHandover);

/**
 * GET /me/tasks: the caller's open tasks across incidents, with each incident's number, title and state.
 * Tasks of resolved incidents are left out unless `includeResolved`; then they come last, marked.
 */
export async function myOpenTasks(
  deps: AlertingDeps,
  caller: Caller,
  options: { includeResolved?: boolean } = {},
) {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    const person = await personOf(tx, caller);
    const owned = await tx.incidentTasks.listOpenOwnedBy(person.id);
    const mine = openTasksOf(owned, person.id) as Array<AttackPlanTask & { incidentId: string }>;
    const incidents = new Map<string, Incident>();
    for (const incident of await tx.incidents.findByIds([...new Set(mine.map((t) => t.incidentId))]))
      incidents.set(incident.id, incident);
    const nameOf = nameOfPeople(await loadPeople(tx));
    const listed = mine.flatMap((task) => {
      const incident = incidents.get(task.incidentId);
      return incident
        ? [
            {
              ...taskView(task, nameOf),
              incidentId: incident.id,
              incidentNumber: incident.number,
              incidentTitle: incident.title,
              incidentState: incident.state,
              incidentResolved: incident.state === "resolved",
              incidentResolvedAt: incident.resolvedAt,
            },
          ]
        : [];
    });
    return myTasksAcrossIncidents(listed, options.includeResolved === true);
  });
}
