// On-call schedules as the console uses them: schedules and their layers, timelines, overrides,
// trades, who is on call, fairness, follow-the-sun plans and calendar feeds. Shapes follow
// /work/notes/schedules-api.md (the REST contract); instants arrive as ISO strings.
import { request, type User } from "./api";

export type ShiftUnit = "hours" | "days" | "weeks";

/** A time-of-day window on one weekday (0 = Sunday … 6 = Saturday), local to the schedule. */
export interface TimeWindow {
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface Rotation {
  memberIds: string[];
  shiftLength: number;
  shiftUnit: ShiftUnit;
  /** "YYYY-MM-DDTHH:MM" in the schedule's zone: when the first member's first shift begins. */
  startLocal: string;
  restrictions: TimeWindow[];
}

export interface Layer {
  id: string;
  name: string;
  priority: number;
  source: "rotation" | "fixed";
  /** The version in force now; null for an imported (fixed) layer. */
  rotation: Rotation | null;
  endedAt: string | null;
}

export interface LayerInput {
  name: string;
  priority?: number;
  rotation: Rotation;
}

export interface Schedule {
  id: string;
  name: string;
  description: string;
  timeZone: string;
  teamId: string | null;
  layers: Layer[];
  createdAt: string;
  updatedAt: string;
}

export interface Shift {
  userId: string;
  userName: string;
  start: string;
  end: string;
  layerId: string | null;
  overrideId: string | null;
  /** Only on a person's shifts across schedules. */
  scheduleId?: string;
  scheduleName?: string;
}

export type OverrideSource = "manual" | "swap" | "cover" | "take-over";

export interface Override {
  id: string;
  scheduleId: string;
  userId: string;
  userName: string;
  start: string;
  end: string;
  replacesUserId: string | null;
  source: OverrideSource;
  createdBy: string | null;
  createdAt: string;
}

/** Overlapping another override of the same person is allowed, and said in `warnings`. */
export interface CreatedOverride extends Override {
  warnings: string[];
}

export interface Span {
  start: string;
  end: string;
}

/** Nobody on call: nobody scheduled, or the shift of someone who has been disabled. */
export interface Gap extends Span {
  reason: "unscheduled" | "disabled";
  userId: string | null;
  userName: string | null;
}

export interface Person {
  id: string;
  name: string;
  timeZone: string | null;
}

export interface Timeline {
  scheduleId: string | null;
  timeZone: string;
  start: string;
  end: string;
  layers: Array<{ id: string; name: string; priority: number; shifts: Shift[] }>;
  overrides: Override[];
  final: Shift[];
  gaps: Gap[];
  people: Person[];
}

export type TradeKind = "swap" | "cover";
export type TradeState = "pending" | "accepted" | "declined" | "cancelled" | "expired";

export interface Trade {
  id: string;
  scheduleId: string;
  /** Not in the contract's Trade shape; shown when the server sends it. */
  scheduleName?: string;
  kind: TradeKind;
  state: TradeState;
  requesterId: string;
  requesterName: string;
  shift: Span;
  swapWith: { userId: string; userName: string; start: string; end: string } | null;
  offeredTo: string | null;
  acceptedBy: string | null;
  note: string;
  createdAt: string;
  decidedAt: string | null;
}

export interface NewTrade {
  kind: TradeKind;
  shift: Span;
  offeredTo?: string;
  swapWith?: Span;
  requesterId?: string;
  note?: string;
}

export interface OnCallEntry {
  scheduleId: string | null;
  scheduleName: string | null;
  userId: string;
  userName: string;
  start: string | null;
  end: string | null;
  via: "schedule" | "user" | "team";
  /** Via a schedule: the layer, or the override, that puts them on call. */
  layerId: string | null;
  layerName: string | null;
  overrideId: string | null;
  overrideSource: OverrideSource | null;
  /** Asked by escalation policy: the policy whose first step pages them. */
  escalationPolicyId?: string;
  /** Why a page now reaches them by no contact method ("has no contact methods"); null: it does. */
  unreachable: string | null;
}

/** Whether a page now reaches a person, whatever step names them (the on-call read's `unreachable`). */
export interface PersonReachability {
  userId: string;
  userName: string;
  disabled: boolean;
  /** After the name: "has no contact methods" or "is disabled"; null: a page reaches them. */
  unreachable: string | null;
}

/** How many people one reachability read may name (the server refuses more). */
export const MAX_REACHABILITY_PEOPLE = 100;

/** A schedule with nobody on call now (reason "disabled": whose shift it is). */
export interface OnCallGap {
  scheduleId: string;
  scheduleName: string;
  reason: "unscheduled" | "disabled";
  userId: string | null;
  userName: string | null;
  start: string | null;
  end: string | null;
  /** Asked by escalation policy: the policy whose first step names the schedule. */
  escalationPolicyId?: string;
}

/** How many escalation policies one on-call read may name (the server refuses more). */
export const MAX_ON_CALL_POLICIES = 100;

export interface FairnessRow {
  userId: string;
  /** Added by the route; the core report has only ids. */
  userName?: string;
  timeZone?: string;
  /** The person set no zone: the schedule's was used for their nights and weekends. */
  timeZoneAssumed?: boolean;
  shiftCount: number;
  weekendShiftCount: number;
  hoursOnCall: number;
  nightHours: number;
  weekendHours: number;
  holidayHours: number;
  holidayNames?: string[];
}

export interface Spread {
  min: number;
  max: number;
  range: number;
  /** Standard deviation over the mean: 0 is perfectly even. */
  coefficientOfVariation: number;
}

/** A whole day in the schedule's zone counted as a holiday. */
export interface FairnessHoliday {
  /** "YYYY-MM-DD" */
  date: string;
  name: string;
}

export interface FairnessReport {
  people: FairnessRow[];
  /** The holidays the report counted. */
  holidays?: FairnessHoliday[];
  totals?: Omit<FairnessRow, "userId" | "userName" | "timeZone" | "timeZoneAssumed" | "holidayNames">;
  spread?: Partial<Record<"hoursOnCall" | "nightHours" | "weekendHours", Spread>>;
  /** Every spread is within a quarter of the average. */
  fair?: boolean;
}

export interface FollowTheSunMember {
  userId: string;
  timeZone: string;
  /** "HH:MM" in the member's own zone. */
  workStart: string;
  workEnd: string;
}

export interface FollowTheSunRequest {
  scheduleTimeZone: string;
  members: FollowTheSunMember[];
  shiftHours: number;
  /** "YYYY-MM-DD": the day whose offsets the plan is computed for. */
  referenceDate: string;
  /** "YYYY-MM-DDTHH:MM" in the schedule's zone: when the generated rotations begin. */
  startLocal: string;
}

export interface FollowTheSunSlot {
  index: number;
  /** "HH:MM" in the schedule's zone; the end may be "24:00". */
  startTime: string;
  endTime: string;
  startUtcTime: string;
  endUtcTime: string;
  hours: number;
  /** Members whose working hours hold the whole slot. */
  candidateIds: string[];
  /** Who takes the slot, in turn. */
  assignedIds: string[];
  hoursOutsideWorkingHours: number;
}

export interface UncoveredStretch {
  slotIndex: number;
  startTime: string;
  endTime: string;
  startUtcTime: string;
  endUtcTime: string;
  /** Hours outside the takers' working hours. */
  hours: number;
  takenByIds: string[];
  /** How many of `hours` fall at night in each taker's own zone. */
  nightHours: number;
}

export interface FollowTheSunPlan {
  layers: LayerInput[];
  slots: FollowTheSunSlot[];
  uncovered: UncoveredStretch[];
  uncoveredHoursPerDay: number;
  nightHoursPerWeekByUser: Record<string, number>;
  notes: string[];
}

/** A user as the schedules pages read them: with their own time zone when they set one. */
export type ZonedUser = User & { timeZone?: string | null };

const id = encodeURIComponent;
const V1 = "/api/v1";
const range = (start: string, end: string) => `start=${id(start)}&end=${id(end)}`;

export const schedules = {
  list: () => request<Schedule[]>("GET", `${V1}/schedules`),
  get: (ref: string) => request<Schedule>("GET", `${V1}/schedules/${id(ref)}`),
  create: (body: { name: string; timeZone: string; teamId?: string; description?: string }) =>
    request<Schedule>("POST", `${V1}/schedules`, body),
  update: (
    ref: string,
    body: { name?: string; timeZone?: string; teamId?: string | null; description?: string },
  ) => request<Schedule>("PATCH", `${V1}/schedules/${id(ref)}`, body),
  remove: (ref: string) => request<void>("DELETE", `${V1}/schedules/${id(ref)}`),

  addLayer: (ref: string, body: LayerInput) =>
    request<Layer>("POST", `${V1}/schedules/${id(ref)}/layers`, body),
  updateLayer: (ref: string, layerId: string, body: LayerInput) =>
    request<Layer>("PUT", `${V1}/schedules/${id(ref)}/layers/${id(layerId)}`, body),
  endLayer: (ref: string, layerId: string) =>
    request<void>("DELETE", `${V1}/schedules/${id(ref)}/layers/${id(layerId)}`),

  preview: (body: { timeZone: string; layers: LayerInput[]; start: string; end: string }) =>
    request<Timeline>("POST", `${V1}/schedules/preview`, body),
  timeline: (ref: string, start: string, end: string) =>
    request<Timeline>("GET", `${V1}/schedules/${id(ref)}/timeline?${range(start, end)}`),

  addOverride: (ref: string, body: { userId: string; start: string; end: string; replacesUserId?: string }) =>
    request<CreatedOverride>("POST", `${V1}/schedules/${id(ref)}/overrides`, body),
  /** Overrides from now to 62 days ahead. */
  upcomingOverrides: (ref: string) => request<Override[]>("GET", `${V1}/schedules/${id(ref)}/overrides`),
  removeOverride: (ref: string, overrideId: string) =>
    request<void>("DELETE", `${V1}/schedules/${id(ref)}/overrides/${id(overrideId)}`),
  takeOver: (ref: string, body: { userId?: string; end?: string } = {}) =>
    request<Override>("POST", `${V1}/schedules/${id(ref)}/take-over`, body),

  requestTrade: (ref: string, body: NewTrade) =>
    request<Trade>("POST", `${V1}/schedules/${id(ref)}/trades`, body),
  myTrades: () => request<Trade[]>("GET", `${V1}/trades?state=pending&mine=true`),
  decideTrade: (tradeId: string, verb: "accept" | "decline" | "cancel") =>
    request<Trade>("POST", `${V1}/trades/${id(tradeId)}/${verb}`),

  fairness: (ref: string, start: string, end: string, holidays: readonly FairnessHoliday[] = []) => {
    // Names are encoded inside the list, so a comma in a name cannot split an entry.
    const list = holidays.map((h) => `${h.date}:${id(h.name)}`).join(",");
    const extra = list ? `&holidays=${id(list)}` : "";
    return request<FairnessReport>("GET", `${V1}/schedules/${id(ref)}/fairness?${range(start, end)}${extra}`);
  },
  followTheSun: (body: FollowTheSunRequest) =>
    request<FollowTheSunPlan>("POST", `${V1}/schedules/follow-the-sun/preview`, body),

  onCall: (
    filter: {
      scheduleId?: string;
      serviceId?: string;
      teamId?: string;
      /** Several policies in one read (at most MAX_ON_CALL_POLICIES): each answer names its policy. */
      escalationPolicyIds?: readonly string[];
    } = {},
  ) => {
    const { escalationPolicyIds = [], ...single } = filter;
    const params = new URLSearchParams(single as Record<string, string>);
    for (const policyId of escalationPolicyIds) params.append("escalationPolicyId", policyId);
    const query = params.toString();
    return request<{ at: string; entries: OnCallEntry[]; gaps?: OnCallGap[] }>(
      "GET",
      `${V1}/oncall${query ? `?${query}` : ""}`,
    );
  },
  /** Reachability of these people, in reads of up to MAX_REACHABILITY_PEOPLE ids (none asked: no request). */
  reachability: async (userIds: readonly string[]): Promise<PersonReachability[]> => {
    const unique = [...new Set(userIds)];
    const reads: Array<Promise<{ people: PersonReachability[] }>> = [];
    for (let i = 0; i < unique.length; i += MAX_REACHABILITY_PEOPLE) {
      const params = new URLSearchParams();
      for (const userId of unique.slice(i, i + MAX_REACHABILITY_PEOPLE)) params.append("userId", userId);
      reads.push(request("GET", `${V1}/oncall/reachability?${params.toString()}`));
    }
    return (await Promise.all(reads)).flatMap((answer) => answer.people);
  },
  shiftsOf: (userRef: string, start: string, end: string) =>
    request<Shift[]>("GET", `${V1}/users/${id(userRef)}/shifts?${range(start, end)}`),

  scheduleFeed: (ref: string) => request<{ url: string }>("GET", `${V1}/schedules/${id(ref)}/calendar-feed`),
  rotateScheduleFeed: (ref: string) =>
    request<{ url: string }>("POST", `${V1}/schedules/${id(ref)}/calendar-feed/rotate`),
  myFeed: () => request<{ url: string }>("GET", `${V1}/me/calendar-feed`),
  rotateMyFeed: () => request<{ url: string }>("POST", `${V1}/me/calendar-feed/rotate`),
  csvUrl: (ref: string, start: string, end: string) =>
    `${V1}/schedules/${id(ref)}/shifts.csv?${range(start, end)}`,

  setMyTimeZone: (timeZone: string | null) => request<ZonedUser>("PATCH", `${V1}/me`, { timeZone }),
};

export const UNIT_LABEL: Record<ShiftUnit, string> = { hours: "hours", days: "days", weeks: "weeks" };

export const TRADE_STATE_LABEL: Record<TradeState, string> = {
  pending: "Waiting",
  accepted: "Accepted",
  declined: "Declined",
  cancelled: "Cancelled",
  expired: "Expired",
};

export const OVERRIDE_SOURCE_LABEL: Record<OverrideSource, string> = {
  manual: "Override",
  swap: "Swap",
  cover: "Cover",
  "take-over": "Take-over",
};
