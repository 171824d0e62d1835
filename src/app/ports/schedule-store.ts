import type {
  CalendarFeed,
  LayerRecord,
  OverrideRecord,
  ScheduleRecord,
  ShiftTrade,
  TradeState,
} from "../../core/schedules/records.js";

/** Repositories of on-call schedules. Every method runs inside the caller's transaction. */

export interface ScheduleRepository {
  insert(schedule: ScheduleRecord): Promise<void>;
  update(schedule: ScheduleRecord): Promise<void>;
  /** Removes the schedule with its layers, overrides, trades and feed. */
  delete(id: string): Promise<boolean>;
  findById(id: string): Promise<ScheduleRecord | undefined>;
  findByName(name: string): Promise<ScheduleRecord | undefined>;
  /** By name. */
  list(): Promise<ScheduleRecord[]>;
  listForTeam(teamId: string): Promise<ScheduleRecord[]>;
  insertLayer(scheduleId: string, layer: LayerRecord, createdAtMs: number): Promise<void>;
  /** Replaces the layer's name, priority, end, fixed shifts and rotation versions. */
  updateLayer(scheduleId: string, layer: LayerRecord): Promise<void>;
  /** In the order they were added; rotation versions sorted by effectiveFromMs. */
  listLayers(scheduleId: string): Promise<LayerRecord[]>;
}

export interface ScheduleOverrideRepository {
  insert(override: OverrideRecord): Promise<void>;
  findById(id: string): Promise<OverrideRecord | undefined>;
  delete(id: string): Promise<boolean>;
  /** Cuts an override short (one in progress that is removed keeps the part already past). */
  setEnd(id: string, endMs: number): Promise<void>;
  /** Overrides of the schedule that overlap [fromMs, toMs), oldest first. */
  listOverlapping(scheduleId: string, fromMs: number, toMs: number): Promise<OverrideRecord[]>;
}

export interface ShiftTradeRepository {
  insert(trade: ShiftTrade): Promise<void>;
  findById(id: string): Promise<ShiftTrade | undefined>;
  /**
   * Moves a pending trade to its decision. False when it was no longer pending (another accept won),
   * so the first of two racing accepts takes it and the second is told CONFLICT.
   */
  decide(
    id: string,
    decision: {
      state: Exclude<TradeState, "pending">;
      acceptedBy: string | null;
      decidedAtMs: number;
      overrideIds: readonly string[];
    },
  ): Promise<boolean>;
  /** Newest first. */
  list(filter: { state?: TradeState; scheduleId?: string; limit: number }): Promise<ShiftTrade[]>;
}

export interface CalendarFeedRepository {
  findByTokenHash(tokenHash: string): Promise<CalendarFeed | undefined>;
  findForOwner(owner: CalendarFeed["owner"]): Promise<CalendarFeed | undefined>;
  /** Removes the owner's feed, if any, and stores this one: the old URL stops working. */
  replace(feed: CalendarFeed): Promise<void>;
}

export interface ScheduleTx {
  readonly schedules: ScheduleRepository;
  readonly scheduleOverrides: ScheduleOverrideRepository;
  readonly shiftTrades: ShiftTradeRepository;
  readonly calendarFeeds: CalendarFeedRepository;
}
