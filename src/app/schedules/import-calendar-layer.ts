import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import type { User } from "../../core/auth/records.js";
import {
  parseShiftCalendar,
  type CalendarEventCandidate,
  type SkippedCalendarEvent,
} from "../../core/calendars/ical-import.js";
import { validationError } from "../../core/errors.js";
import type { LayerRecord } from "../../core/schedules/records.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import { requireTeamManager } from "../teams/team-manager.js";
import { armScheduleJobs } from "./arm-schedule-jobs.js";
import { findSchedule } from "./load-schedule.js";
import { nextPriority } from "./manage-layers.js";
import { checkLayerFields, checkTimeZone } from "./schedule-input.js";
import { layerView, type LayerView } from "./schedule-views.js";

export interface ImportLayerInput {
  readonly name: string;
  readonly priority?: number;
  /** The calendar file's text. */
  readonly ics: string;
  /** Where all-day events and floating times are read; default: the schedule's zone. */
  readonly defaultTimeZone?: string;
}

/** How far ahead recurring events are expanded. */
export const IMPORT_HORIZON_DAYS = 366;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Who an event belongs to: an attendee's or the organizer's email, else the one person whose name
 * or email the title contains (the longest such name, so "Alexandra" beats "Alex").
 */
export function userMatcher(users: readonly User[]): (event: CalendarEventCandidate) => string | null {
  const enabled = users.filter((u) => !u.disabledAt);
  const byEmail = new Map(enabled.map((u) => [u.email.toLowerCase(), u.id]));
  return (event) => {
    for (const email of [...event.attendeeEmails, ...(event.organizerEmail ? [event.organizerEmail] : [])]) {
      const id = byEmail.get(email.toLowerCase());
      if (id) return id;
    }
    const title = event.summary.toLowerCase();
    let bestId: string | null = null;
    let bestLength = 0;
    let tied = false;
    for (const user of enabled) {
      for (const key of [user.email.toLowerCase(), user.name.toLowerCase()]) {
        if (key.length < 2 || !title.includes(key)) continue;
        if (key.length > bestLength) [bestId, bestLength, tied] = [user.id, key.length, false];
        else if (key.length === bestLength && bestId !== user.id) tied = true;
      }
    }
    return tied ? null : bestId;
  };
}

/**
 * A fixed layer from an ICS calendar: its events from now on (the past is not rewritten), each
 * matched to a user; events nobody matches are reported as skipped.
 */
export async function importCalendarLayer(
  deps: AppDeps,
  caller: Caller,
  scheduleIdOrName: string,
  input: ImportLayerInput,
): Promise<{ layer: LayerView; imported: number; skipped: SkippedCalendarEvent[] }> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const fieldErrors = [
    ...checkLayerFields(input, ""),
    ...(input.defaultTimeZone === undefined ? [] : checkTimeZone(input.defaultTimeZone, "/defaultTimeZone")),
  ];
  if (fieldErrors.length > 0) throw validationError(fieldErrors);
  return deps.uow.run(async (tx) => {
    const schedule = await findSchedule(tx, scheduleIdOrName);
    const doing = `importing a layer into schedule ${schedule.name}`;
    await requireTeamManager(tx, caller, doing, schedule.teamId);
    const parsed = parseShiftCalendar(input.ics, {
      range: { startMs: nowMs, endMs: nowMs + IMPORT_HORIZON_DAYS * DAY_MS },
      matchUser: userMatcher(await tx.users.list()),
      defaultTimeZone: input.defaultTimeZone ?? schedule.timeZone,
    });
    // Occurrences come back whole; the part before now is history and stays as it was.
    const shifts = parsed.shifts
      .map((s) => ({ ...s, startMs: Math.max(s.startMs, nowMs) }))
      .filter((s) => s.endMs > s.startMs);
    const layers = await tx.schedules.listLayers(schedule.id);
    const record: LayerRecord = {
      layer: {
        id: newId(),
        name: input.name.trim(),
        priority: input.priority ?? nextPriority(layers),
        source: "fixed",
        shifts,
      },
      endedAtMs: null,
    };
    await tx.schedules.insertLayer(schedule.id, record, nowMs);
    const view = layerView(record, nowMs);
    await armScheduleJobs(tx, tx.jobs, schedule.id, now);
    await recordChange(tx, caller, now, {
      action: "schedule.layer_import",
      entityType: "schedule",
      entityId: schedule.id,
      before: null,
      after: { layer: view, imported: shifts.length, skipped: parsed.skipped.length },
    });
    return { layer: view, imported: shifts.length, skipped: parsed.skipped };
  });
}
