import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { EscalationTarget } from "../../core/escalation/policy.js";
import { finalShifts, onCallAt } from "../../core/schedules/final-schedule.js";
import type { ScheduleRecord } from "../../core/schedules/records.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import { findSchedule, loadSchedule, rangeAround } from "./load-schedule.js";
import { peopleBook, shiftView, type PeopleBook, type ShiftView } from "./schedule-views.js";
import { checkedRange } from "./time-range-input.js";

/** "Who is on call": for a schedule, a service (its policy's first step), a team, or everything. */

export interface OnCallEntry {
  readonly scheduleId: string | null;
  readonly scheduleName: string | null;
  readonly userId: string;
  readonly userName: string;
  /** The current final shift; null for people paged directly (via user or team). */
  readonly start: Date | null;
  readonly end: Date | null;
  readonly via: "schedule" | "user" | "team";
}

export interface OnCallQuery {
  readonly scheduleId?: string;
  readonly serviceId?: string;
  readonly teamId?: string;
  readonly at?: Date;
}

async function scheduleEntries(
  tx: Tx,
  record: ScheduleRecord,
  atMs: number,
  people: PeopleBook,
): Promise<OnCallEntry[]> {
  const loaded = await loadSchedule(tx, record, rangeAround(atMs));
  const shift = onCallAt(loaded.schedule, atMs);
  if (!shift) return [];
  return [
    {
      scheduleId: record.id,
      scheduleName: record.name,
      userId: shift.userId,
      userName: people.name(shift.userId),
      start: new Date(shift.startMs),
      end: new Date(shift.endMs),
      via: "schedule",
    },
  ];
}

const direct = (userId: string, people: PeopleBook, via: "user" | "team"): OnCallEntry => ({
  scheduleId: null,
  scheduleName: null,
  userId,
  userName: people.name(userId),
  start: null,
  end: null,
  via,
});

async function targetEntries(
  tx: Tx,
  targets: readonly EscalationTarget[],
  atMs: number,
  people: PeopleBook,
): Promise<OnCallEntry[]> {
  const entries: OnCallEntry[] = [];
  for (const target of targets) {
    if (target.kind === "schedule") {
      const record = await tx.schedules.findById(target.scheduleId);
      if (record) entries.push(...(await scheduleEntries(tx, record, atMs, people)));
    } else if (target.kind === "user") {
      const user = await tx.users.findById(target.userId);
      if (user && !user.disabledAt) entries.push(direct(user.id, people, "user"));
    } else {
      for (const member of await tx.teams.listMembers(target.teamId)) {
        const user = await tx.users.findById(member.userId);
        if (user && !user.disabledAt) entries.push(direct(user.id, people, "team"));
      }
    }
  }
  return entries;
}

/** Who the first step of a service's escalation policy pages at `atMs`. */
async function serviceEntries(
  tx: Tx,
  serviceIdOrName: string,
  atMs: number,
  people: PeopleBook,
): Promise<OnCallEntry[]> {
  const service =
    (await tx.services.findById(serviceIdOrName)) ?? (await tx.services.findByName(serviceIdOrName));
  if (!service) throw notFound("service", serviceIdOrName);
  const policy = service.escalationPolicyId
    ? await tx.escalationPolicies.findById(service.escalationPolicyId)
    : undefined;
  return targetEntries(tx, policy?.steps[0]?.targets ?? [], atMs, people);
}

/** A team: its schedules' on-call people, then whom its services' first steps page directly. */
async function teamEntries(
  tx: Tx,
  teamIdOrName: string,
  atMs: number,
  people: PeopleBook,
): Promise<OnCallEntry[]> {
  const team = (await tx.teams.findById(teamIdOrName)) ?? (await tx.teams.findByName(teamIdOrName));
  if (!team) throw notFound("team", teamIdOrName);
  const entries: OnCallEntry[] = [];
  for (const record of await tx.schedules.listForTeam(team.id))
    entries.push(...(await scheduleEntries(tx, record, atMs, people)));
  for (const service of (await tx.services.list()).filter((s) => s.teamId === team.id)) {
    entries.push(...(await serviceEntries(tx, service.id, atMs, people)));
  }
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.scheduleId ?? e.via}:${e.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function whoIsOnCall(
  deps: AppDeps,
  caller: Caller,
  query: OnCallQuery,
): Promise<{ at: Date; entries: OnCallEntry[] }> {
  requireRole(caller.actor, "viewer");
  const filters = (["scheduleId", "serviceId", "teamId"] as const).filter((k) => query[k] !== undefined);
  if (filters.length > 1)
    throw validationError([
      {
        path: `/${filters[1]}`,
        message: `give one of scheduleId, serviceId or teamId, not ${filters.join(" and ")}`,
      },
    ]);
  const at = query.at ?? deps.clock.now();
  if (Number.isNaN(at.getTime()))
    throw validationError([{ path: "/at", message: "must be a date and time" }]);
  const atMs = at.getTime();
  const entries = await deps.uow.run(async (tx) => {
    const people = await peopleBook(tx);
    if (query.scheduleId !== undefined)
      return scheduleEntries(tx, await findSchedule(tx, query.scheduleId), atMs, people);
    if (query.serviceId !== undefined) return serviceEntries(tx, query.serviceId, atMs, people);
    if (query.teamId !== undefined) return teamEntries(tx, query.teamId, atMs, people);
    const all: OnCallEntry[] = [];
    for (const record of await tx.schedules.list())
      all.push(...(await scheduleEntries(tx, record, atMs, people)));
    return all;
  });
  return { at, entries };
}

export type PersonShiftView = ShiftView & { readonly scheduleId: string; readonly scheduleName: string };

/** A person's shifts in the final schedules of every schedule, in time order. `me` is the caller. */
export async function personShifts(
  deps: AppDeps,
  caller: Caller,
  userIdOrMe: string,
  window: { start: Date; end: Date },
): Promise<PersonShiftView[]> {
  requireRole(caller.actor, "viewer");
  const range = checkedRange(window.start, window.end);
  if (userIdOrMe === "me" && caller.actor.kind !== "user")
    throw new AppError("FORBIDDEN", '"me" needs a signed-in user; an API key has no shifts');
  const userId = userIdOrMe === "me" ? caller.actor.id : userIdOrMe;
  return deps.uow.run(async (tx) => {
    if (!(await tx.users.findById(userId))) throw notFound("user", userId);
    const people = await peopleBook(tx);
    const shifts: PersonShiftView[] = [];
    for (const record of await tx.schedules.list()) {
      const loaded = await loadSchedule(tx, record, range);
      for (const shift of finalShifts(loaded.schedule, range)) {
        if (shift.userId === userId)
          shifts.push({ ...shiftView(shift, people), scheduleId: record.id, scheduleName: record.name });
      }
    }
    return shifts.sort((a, b) => a.start.getTime() - b.start.getTime());
  });
}
