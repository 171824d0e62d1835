import type {
  LayerRecord,
  OverrideRecord,
  ScheduleRecord,
  ShiftTrade,
  TradeState,
} from "../../core/schedules/records.js";
import type { Gap, GapReason, RotationVersion, Shift } from "../../core/schedules/schedule.js";
import type { Tx } from "../ports/store.js";

/** What the API shows of schedules: instants as Dates (the HTTP layer writes ISO strings), names beside ids. */

export type RotationView = Omit<RotationVersion, "effectiveFromMs" | "effectiveUntilMs">;

export interface LayerView {
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly source: "rotation" | "fixed";
  /** The version in force now (or the last one, for an ended layer); null for an imported layer. */
  readonly rotation: RotationView | null;
  readonly endedAt: Date | null;
}

export interface ScheduleView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly timeZone: string;
  readonly teamId: string | null;
  readonly layers: LayerView[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ShiftView {
  readonly userId: string;
  readonly userName: string;
  readonly start: Date;
  readonly end: Date;
  readonly layerId: string | null;
  readonly overrideId: string | null;
}

export interface OverrideView {
  readonly id: string;
  readonly scheduleId: string;
  readonly userId: string;
  readonly userName: string;
  readonly start: Date;
  readonly end: Date;
  readonly replacesUserId: string | null;
  readonly source: OverrideRecord["source"];
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface TradeView {
  readonly id: string;
  readonly scheduleId: string;
  readonly kind: ShiftTrade["kind"];
  readonly state: TradeState;
  readonly requesterId: string;
  readonly requesterName: string;
  readonly shift: { readonly start: Date; readonly end: Date };
  readonly swapWith: {
    readonly userId: string;
    readonly userName: string;
    readonly start: Date;
    readonly end: Date;
  } | null;
  readonly offeredTo: string | null;
  readonly acceptedBy: string | null;
  readonly note: string;
  readonly createdAt: Date;
  readonly decidedAt: Date | null;
}

/** A stretch with nobody on call; "disabled" names the person whose shift it is. */
export interface GapView {
  readonly start: Date;
  readonly end: Date;
  readonly reason: GapReason;
  readonly userId: string | null;
  readonly userName: string | null;
}

/** Names and zones of people, read once per request. */
export interface PeopleBook {
  name(id: string): string;
  timeZone(id: string): string | null;
  disabled(id: string): boolean;
}

export async function peopleBook(tx: Tx): Promise<PeopleBook> {
  const users = new Map((await tx.users.list()).map((u) => [u.id, u]));
  return {
    name: (id) => users.get(id)?.name ?? id,
    timeZone: (id) => users.get(id)?.timeZone ?? null,
    disabled: (id) => Boolean(users.get(id)?.disabledAt),
  };
}

const settingsOf = (v: RotationVersion): RotationView => ({
  memberIds: v.memberIds,
  shiftLength: v.shiftLength,
  shiftUnit: v.shiftUnit,
  startLocal: v.startLocal,
  restrictions: v.restrictions,
});

/** The rotation version in force at `nowMs`; else the next one to come; else the last one. */
export function versionInForce(
  versions: readonly RotationVersion[],
  nowMs: number,
): RotationVersion | undefined {
  return (
    versions.find(
      (v) => v.effectiveFromMs <= nowMs && (v.effectiveUntilMs === null || nowMs < v.effectiveUntilMs),
    ) ??
    versions.find((v) => v.effectiveFromMs > nowMs) ??
    versions[versions.length - 1]
  );
}

export function layerView({ layer, endedAtMs }: LayerRecord, nowMs: number): LayerView {
  const version = layer.source === "rotation" ? versionInForce(layer.versions, nowMs) : undefined;
  return {
    id: layer.id,
    name: layer.name,
    priority: layer.priority,
    source: layer.source,
    rotation: version ? settingsOf(version) : null,
    endedAt: endedAtMs === null ? null : new Date(endedAtMs),
  };
}

export const scheduleView = (
  record: ScheduleRecord,
  layers: readonly LayerRecord[],
  nowMs: number,
): ScheduleView => ({
  id: record.id,
  name: record.name,
  description: record.description,
  timeZone: record.timeZone,
  teamId: record.teamId,
  layers: layers.map((l) => layerView(l, nowMs)),
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

export const shiftView = (shift: Shift, people: PeopleBook): ShiftView => ({
  userId: shift.userId,
  userName: people.name(shift.userId),
  start: new Date(shift.startMs),
  end: new Date(shift.endMs),
  layerId: shift.layerId,
  overrideId: shift.overrideId,
});

export const gapView = (gap: Gap, people: PeopleBook): GapView => ({
  start: new Date(gap.startMs),
  end: new Date(gap.endMs),
  reason: gap.reason,
  userId: gap.userId,
  userName: gap.userId === null ? null : people.name(gap.userId),
});

export const overrideView = (o: OverrideRecord, people: PeopleBook): OverrideView => ({
  id: o.id,
  scheduleId: o.scheduleId,
  userId: o.userId,
  userName: people.name(o.userId),
  start: new Date(o.startMs),
  end: new Date(o.endMs),
  replacesUserId: o.replacesUserId,
  source: o.source,
  createdBy: o.createdBy,
  createdAt: new Date(o.createdAtMs),
});

export const tradeView = (t: ShiftTrade, state: TradeState, people: PeopleBook): TradeView => ({
  id: t.id,
  scheduleId: t.scheduleId,
  kind: t.kind,
  state,
  requesterId: t.requesterId,
  requesterName: people.name(t.requesterId),
  shift: { start: new Date(t.shift.startMs), end: new Date(t.shift.endMs) },
  swapWith:
    t.swapWith && t.offeredTo
      ? {
          userId: t.offeredTo,
          userName: people.name(t.offeredTo),
          start: new Date(t.swapWith.startMs),
          end: new Date(t.swapWith.endMs),
        }
      : null,
  offeredTo: t.offeredTo,
  acceptedBy: t.acceptedBy,
  note: t.note,
  createdAt: new Date(t.createdAtMs),
  decidedAt: t.decidedAtMs === null ? null : new Date(t.decidedAtMs),
});
