import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import type { EscalationTarget } from "../../core/escalation/policy.js";
import { OPEN_ENDED_HORIZON_MS, finalShifts, gapAt, onCallAt } from "../../core/schedules/final-schedule.js";
import type { OverrideSource, ScheduleRecord } from "../../core/schedules/records.js";
import type { GapReason } from "../../core/schedules/schedule.js";
import type { AppDeps, Caller } from "../deps.js";
import { whyPageMissesPerson } from "../escalation/explain-nobody-paged.js";
import type { Tx } from "../ports/store.js";
import { findSchedule, loadSchedule, rangeAround } from "./load-schedule.js";
import { peopleBook, shiftView, type PeopleBook, type ShiftView } from "./schedule-views.js";
import { checkedRange } from "./time-range-input.js";

/**
 * "Who is on call": for a schedule, a service (its policy's first step), escalation policies (each
 * one's first step), a team, or everything.
 */

export interface OnCallEntry {
  readonly scheduleId: string | null;
  readonly scheduleName: string | null;
  readonly userId: string;
  readonly userName: string;
  /** The current final shift; null for people paged directly (via user or team). */
  readonly start: Date | null;
  readonly end: Date | null;
  readonly via: "schedule" | "user" | "team";
  /** Via a schedule, what puts them on call: a layer (its id and name), or an override (its id and kind). */
  readonly layerId: string | null;
  readonly layerName: string | null;
  readonly overrideId: string | null;
  readonly overrideSource: OverrideSource | null;
  /** Asked by escalation policy: the policy whose first step pages them. */
  readonly escalationPolicyId?: string;
  /**
   * Why a page now would reach them by no contact method, in the timeline's words after their name
   * ("has no contact methods"); null when one would.
   */
  readonly unreachable: string | null;
}

/**
 * A schedule with nobody on call at the instant asked about, beside the entries rather than among
 * them (an entry always names who is on call): "disabled" names the person whose shift it is.
 */
export interface OnCallGap {
  readonly scheduleId: string;
  readonly scheduleName: string;
  readonly reason: GapReason;
  readonly userId: string | null;
  readonly userName: string | null;
  /** The gap around the instant; null where it has no end in sight. */
  readonly start: Date | null;
  readonly end: Date | null;
  /** Asked by escalation policy: the policy whose first step names the schedule. */
  readonly escalationPolicyId?: string;
}

export interface OnCallAnswer {
  readonly at: Date;
  readonly entries: OnCallEntry[];
  readonly gaps: OnCallGap[];
}

/** What a query collects: who is on call, and the schedules in a gap. */
interface Found {
  readonly entries: OnCallEntry[];
  readonly gaps: OnCallGap[];
}

const found = (entries: OnCallEntry[] = [], gaps: OnCallGap[] = []): Found => ({ entries, gaps });

function joinFound(into: Found, more: Found): void {
  into.entries.push(...more.entries);
  into.gaps.push(...more.gaps);
}

export interface OnCallQuery {
  readonly scheduleId?: string;
  readonly serviceId?: string;
  /** Ids or exact names; each answer is tagged with its policy's id. */
  readonly escalationPolicyIds?: readonly string[];
  readonly teamId?: string;
  readonly at?: Date;
}

/** How many policies one question may name: the console's Home asks for all it shows at once. */
export const MAX_ON_CALL_POLICIES = 100;

async function scheduleEntries(
  tx: Tx,
  record: ScheduleRecord,
  atMs: number,
  people: PeopleBook,
): Promise<Found> {
  const loaded = await loadSchedule(tx, record, rangeAround(atMs));
  const shift = onCallAt(loaded.schedule, atMs);
  if (!shift) {
    const gap = gapAt(loaded.schedule, atMs);
    if (!gap) return found();
    // Cut at the horizon means no end in sight (or further than the overrides loaded can tell).
    const open = (ms: number) => Math.abs(ms - atMs) >= OPEN_ENDED_HORIZON_MS;
    return found(
      [],
      [
        {
          scheduleId: record.id,
          scheduleName: record.name,
          reason: gap.reason,
          userId: gap.userId,
          userName: gap.userId === null ? null : people.name(gap.userId),
          start: open(gap.startMs) ? null : new Date(gap.startMs),
          end: open(gap.endMs) ? null : new Date(gap.endMs),
        },
      ],
    );
  }
  const override = shift.overrideId ? loaded.overrides.find((o) => o.id === shift.overrideId) : undefined;
  const layer = shift.layerId ? loaded.layers.find((l) => l.layer.id === shift.layerId) : undefined;
  return found([
    {
      scheduleId: record.id,
      scheduleName: record.name,
      userId: shift.userId,
      userName: people.name(shift.userId),
      start: new Date(shift.startMs),
      end: new Date(shift.endMs),
      via: "schedule",
      layerId: shift.layerId,
      layerName: layer?.layer.name ?? null,
      overrideId: shift.overrideId,
      overrideSource: override?.source ?? null,
      unreachable: null,
    },
  ]);
}

const direct = (userId: string, people: PeopleBook, via: "user" | "team"): OnCallEntry => ({
  scheduleId: null,
  scheduleName: null,
  userId,
  userName: people.name(userId),
  start: null,
  end: null,
  via,
  layerId: null,
  layerName: null,
  overrideId: null,
  overrideSource: null,
  unreachable: null,
});

async function targetEntries(
  tx: Tx,
  targets: readonly EscalationTarget[],
  atMs: number,
  people: PeopleBook,
): Promise<Found> {
  const all = found();
  const entries = all.entries;
  for (const target of targets) {
    if (target.kind === "schedule") {
      const record = await tx.schedules.findById(target.scheduleId);
      if (record) joinFound(all, await scheduleEntries(tx, record, atMs, people));
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
  return all;
}

/** Who the first step of a service's escalation policy pages at `atMs`. */
async function serviceEntries(
  tx: Tx,
  serviceIdOrName: string,
  atMs: number,
  people: PeopleBook,
): Promise<Found> {
  const service =
    (await tx.services.findById(serviceIdOrName)) ?? (await tx.services.findByName(serviceIdOrName));
  if (!service) throw notFound("service", serviceIdOrName);
  const policy = service.escalationPolicyId
    ? await tx.escalationPolicies.findById(service.escalationPolicyId)
    : undefined;
  return targetEntries(tx, policy?.steps[0]?.targets ?? [], atMs, people);
}

/**
 * Whom the first step of each policy pages at `atMs`, each entry and gap tagged with its policy, in
 * the order asked (a policy named twice answers once). An unknown one is a 404 naming it.
 */
async function policiesEntries(
  tx: Tx,
  policyIdsOrNames: readonly string[],
  atMs: number,
  people: PeopleBook,
): Promise<Found> {
  const all = found();
  const answered = new Set<string>();
  for (const idOrName of policyIdsOrNames) {
    const policy =
      (await tx.escalationPolicies.findById(idOrName)) ?? (await tx.escalationPolicies.findByName(idOrName));
    if (!policy) throw notFound("escalation policy", idOrName);
    if (answered.has(policy.id)) continue;
    answered.add(policy.id);
    const own = await targetEntries(tx, policy.steps[0]?.targets ?? [], atMs, people);
    const escalationPolicyId = policy.id;
    joinFound(
      all,
      found(
        own.entries.map((e) => ({ ...e, escalationPolicyId })),
        own.gaps.map((g) => ({ ...g, escalationPolicyId })),
      ),
    );
  }
  return all;
}

/** A team: its schedules' on-call people, then whom its services' first steps page directly. */
async function teamEntries(tx: Tx, teamIdOrName: string, atMs: number, people: PeopleBook): Promise<Found> {
  const team = (await tx.teams.findById(teamIdOrName)) ?? (await tx.teams.findByName(teamIdOrName));
  if (!team) throw notFound("team", teamIdOrName);
  const all = found();
  for (const record of await tx.schedules.listForTeam(team.id))
    joinFound(all, await scheduleEntries(tx, record, atMs, people));
  for (const service of (await tx.services.list()).filter((s) => s.teamId === team.id)) {
    joinFound(all, await serviceEntries(tx, service.id, atMs, people));
  }
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  return found(
    all.entries.filter((e) => once(`${e.scheduleId ?? e.via}:${e.userId}`)),
    all.gaps.filter((g) => once(`gap:${g.scheduleId}`)),
  );
}

/**
 * The entries with `unreachable` set: each person is looked up once however many entries name them
 * (Home asks about every policy at once), by the plan a page would make for them now.
 */
async function markUnreachable(
  tx: Tx,
  entries: readonly OnCallEntry[],
  at: Date,
  people: PeopleBook,
): Promise<OnCallEntry[]> {
  const reasons = new Map<string, string | null>();
  for (const { userId } of entries) {
    if (!reasons.has(userId))
      reasons.set(
        userId,
        await whyPageMissesPerson(tx, { id: userId, disabled: people.disabled(userId) }, at),
      );
  }
  return entries.map((e) => ({ ...e, unreachable: reasons.get(e.userId) ?? null }));
}

export async function whoIsOnCall(deps: AppDeps, caller: Caller, query: OnCallQuery): Promise<OnCallAnswer> {
  requireRole(caller.actor, "viewer");
  const filters = (["scheduleId", "serviceId", "escalationPolicyId", "teamId"] as const).filter((k) =>
    k === "escalationPolicyId" ? query.escalationPolicyIds !== undefined : query[k] !== undefined,
  );
  if (filters.length > 1)
    throw validationError([
      {
        path: `/${filters[1]}`,
        message: `give one of scheduleId, serviceId, escalationPolicyId or teamId, not ${filters.join(" and ")}`,
      },
    ]);
  const policyIds = query.escalationPolicyIds;
  if (policyIds !== undefined && (policyIds.length === 0 || policyIds.length > MAX_ON_CALL_POLICIES))
    throw validationError([
      {
        path: "/escalationPolicyId",
        message: `must name 1 to ${MAX_ON_CALL_POLICIES} escalation policies, not ${policyIds.length}`,
      },
    ]);
  const at = query.at ?? deps.clock.now();
  if (Number.isNaN(at.getTime()))
    throw validationError([{ path: "/at", message: "must be a date and time" }]);
  const atMs = at.getTime();
  const answer = await deps.uow.run(async (tx) => {
    const people = await peopleBook(tx);
    const asked = async (): Promise<Found> => {
      if (query.scheduleId !== undefined)
        return scheduleEntries(tx, await findSchedule(tx, query.scheduleId), atMs, people);
      if (query.serviceId !== undefined) return serviceEntries(tx, query.serviceId, atMs, people);
      if (policyIds !== undefined) return policiesEntries(tx, policyIds, atMs, people);
      if (query.teamId !== undefined) return teamEntries(tx, query.teamId, atMs, people);
      const all = found();
      for (const record of await tx.schedules.list())
        joinFound(all, await scheduleEntries(tx, record, atMs, people));
      return all;
    };
    const { entries, gaps } = await asked();
    return { entries: await markUnreachable(tx, entries, at, people), gaps };
  });
  return { at, ...answer };
}

/** How many people one reachability read may name: the console asks for a policy's or a page's people. */
export const MAX_REACHABILITY_PEOPLE = 100;

export interface PersonReachability {
  readonly userId: string;
  readonly userName: string;
  readonly disabled: boolean;
  /** As an on-call entry's: why a page now would reach them by nothing ("is disabled" too); null: it would. */
  readonly unreachable: string | null;
}

/**
 * Whether a page now would reach each person named, whatever step of a policy names them: the
 * console warns beside each person a policy pages. Unknown ids are left out, in the order asked.
 */
export async function peopleReachability(
  deps: AppDeps,
  caller: Caller,
  userIds: readonly string[],
): Promise<{ at: Date; people: PersonReachability[] }> {
  requireRole(caller.actor, "viewer");
  if (userIds.length === 0 || userIds.length > MAX_REACHABILITY_PEOPLE)
    throw validationError([
      { path: "/userId", message: `must name 1 to ${MAX_REACHABILITY_PEOPLE} people, not ${userIds.length}` },
    ]);
  const at = deps.clock.now();
  const people = await deps.uow.run(async (tx) => {
    // One read of every user, as the on-call read's people book does, rather than one per id.
    const users = new Map((await tx.users.list()).map((u) => [u.id, u]));
    const answers: PersonReachability[] = [];
    for (const userId of new Set(userIds)) {
      const user = users.get(userId);
      if (!user) continue;
      const disabled = Boolean(user.disabledAt);
      const unreachable = await whyPageMissesPerson(tx, { id: user.id, disabled }, at);
      answers.push({ userId: user.id, userName: user.name, disabled, unreachable });
    }
    return answers;
  });
  return { at, people };
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
