/**
 * An iCalendar file (Google, Outlook, another on-call tool) read as fixed shifts: recurring events
 * expanded inside a range with ical.js (RRULE, RDATE, EXDATE, RECURRENCE-ID), TZID and all-day
 * times turned into instants, each event matched to a user by the caller.
 */
import ICAL from "ical.js";
import { calendarFieldsProblem } from "../calendar-fields.js";
import { AppError } from "../errors.js";
import type { FixedShift, TimeRange } from "../schedules/schedule.js";
import { formatUtcDateTime } from "./ical-feed.js";
import { instantOfWallClock, isKnownTimeZone, utcMsOf } from "./wall-clock-instant.js";

type IcalComponent = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;
type IcalTime = InstanceType<typeof ICAL.Time>;

/** What the caller matches against its users: title, attendees (not declined) and organizer. */
export interface CalendarEventCandidate {
  readonly summary: string;
  /** Lower-cased, without "mailto:". */
  readonly attendeeEmails: string[];
  readonly organizerEmail: string | null;
}

export interface ParseShiftCalendarOptions {
  /** Occurrences that overlap this range are returned whole (not clipped). */
  readonly range: TimeRange;
  /** The user id an event belongs to, or null when it matches nobody. */
  readonly matchUser: (candidate: CalendarEventCandidate) => string | null;
  /** At most this many shifts in the range; more is a VALIDATION error. Default 5,000. */
  readonly maxEvents?: number;
  /** Where all-day events and floating times (no TZID, no Z) are read. Default "UTC". */
  readonly defaultTimeZone?: string;
}

export interface SkippedCalendarEvent {
  readonly uid: string;
  readonly reason: string;
}

export interface ParsedShiftCalendar {
  /** Sorted by start, then user, then sourceId. */
  readonly shifts: FixedShift[];
  readonly skipped: SkippedCalendarEvent[];
}

export const DEFAULT_MAX_IMPORTED_EVENTS = 5_000;
/**
 * Occurrences stepped through (before the range or in it) across the file: ical.js takes ~10 µs
 * each, so this bounds one import to well under a second of CPU.
 */
export const MAX_SCANNED_OCCURRENCES = 50_000;
const DAY_MS = 86_400_000;

/** An event that cannot be imported; the reason goes into `skipped`. */
class SkipEvent extends Error {}

/** An error thrown by the caller's matchUser: the caller's to see, not an event's problem. */
class MatcherError extends Error {}

export function parseShiftCalendar(icsText: string, options: ParseShiftCalendarOptions): ParsedShiftCalendar {
  const defaultTimeZone = options.defaultTimeZone ?? "UTC";
  if (!isKnownTimeZone(defaultTimeZone)) {
    throw invalid("/defaultTimeZone", `unknown time zone ${JSON.stringify(defaultTimeZone)}`);
  }
  const calendars = parseCalendars(icsText);
  const importer = new CalendarImporter(options, defaultTimeZone, badIntervalsByUid(icsText));
  for (const calendar of calendars) importer.importCalendar(calendar);
  return importer.result();
}

function parseCalendars(icsText: string): IcalComponent[] {
  if (typeof icsText !== "string" || icsText.trim() === "") throw invalid("/ics", "is empty");
  let parsed: unknown;
  try {
    parsed = ICAL.parse(icsText.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw invalid("/ics", parseFailure(error));
  }
  const roots = Array.isArray(parsed) && typeof parsed[0] === "string" ? [parsed] : parsed;
  if (!Array.isArray(roots) || roots.length === 0) throw invalid("/ics", "is not an iCalendar file");
  return roots.map((root) => {
    const component = new ICAL.Component(root as unknown[]);
    if (component.name !== "vcalendar") throw invalid("/ics", "does not begin with BEGIN:VCALENDAR");
    return component;
  });
}

class CalendarImporter {
  private readonly shifts: FixedShift[] = [];
  private readonly skipped: SkippedCalendarEvent[] = [];
  private readonly skippedKeys = new Set<string>();
  private readonly userByItem = new Map<IcalEvent, string | null>();
  private readonly maxEvents: number;
  private scanned = 0;
  /** The series being imported: whether an occurrence fell in the range, or before or after it. */
  private seen = { inRange: false, before: false, after: false };

  constructor(
    private readonly options: ParseShiftCalendarOptions,
    private readonly defaultTimeZone: string,
    private readonly badIntervals: ReadonlyMap<string, string>,
  ) {
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_IMPORTED_EVENTS;
  }

  importCalendar(calendar: IcalComponent): void {
    const byUid = new Map<string, { masters: IcalComponent[]; exceptions: IcalComponent[] }>();
    for (const vevent of calendar.getAllSubcomponents("vevent")) {
      const uid = textOf(vevent.getFirstPropertyValue("uid"));
      if (uid === "") {
        this.skip("", "has no UID");
        continue;
      }
      const group = byUid.get(uid) ?? { masters: [], exceptions: [] };
      (vevent.hasProperty("recurrence-id") ? group.exceptions : group.masters).push(vevent);
      byUid.set(uid, group);
    }
    for (const [uid, group] of byUid) this.importSeries(uid, group.masters, group.exceptions);
  }

  result(): ParsedShiftCalendar {
    const shifts = [...this.shifts].sort(
      (a, b) =>
        a.startMs - b.startMs || compareText(a.userId, b.userId) || compareText(a.sourceId, b.sourceId),
    );
    return { shifts, skipped: [...this.skipped] };
  }

  /** One UID: its master event (maybe recurring) and the occurrences it overrides. */
  private importSeries(uid: string, masters: IcalComponent[], exceptions: IcalComponent[]): void {
    this.seen = { inRange: false, before: false, after: false };
    const shiftsBefore = this.shifts.length;
    const skippedBefore = this.skipped.length;
    this.importSeriesEvents(uid, masters, exceptions);
    // Every event left out is named in `skipped`, also one wholly outside the range.
    if (this.shifts.length > shiftsBefore || this.seen.inRange) return;
    if (this.seen.before || this.seen.after) this.skip(uid, this.outsideRangeReason());
    else if (this.skipped.length === skippedBefore) this.skip(uid, "has no occurrences");
  }

  private outsideRangeReason(): string {
    const from = new Date(this.options.range.startMs).toISOString();
    const until = new Date(this.options.range.endMs).toISOString();
    if (!this.seen.after) return `is over: it ended before ${from}`;
    if (!this.seen.before) return `starts at or after ${until}, past the imported range`;
    return `has no occurrence from ${from} to ${until}`;
  }

  private importSeriesEvents(uid: string, masters: IcalComponent[], exceptions: IcalComponent[]): void {
    const [master, ...duplicates] = masters;
    if (duplicates.length > 0) this.skip(uid, `${duplicates.length} more event(s) with the same UID ignored`);
    this.guard(uid, () => {
      if (master !== undefined) this.importMaster(uid, master, exceptions);
    });
    for (const exception of exceptions) {
      this.guard(uid, () => {
        refuseInvalidDates(exception);
        const event = new ICAL.Event(exception, { exceptions: [] });
        const recurrenceKey = this.recurrenceKeyOf(event.recurrenceId, tzidOf(exception, "recurrence-id"));
        const sourceId = `${uid}/${recurrenceKey}`;
        if (isCancelled(exception)) {
          this.skip(uid, `occurrence ${recurrenceKey} is cancelled`);
          return;
        }
        const start = this.instantOf(event.startDate, tzidOf(exception, "dtstart"));
        const end = this.instantOf(event.endDate, endTzidOf(exception));
        this.addShift(uid, event, sourceId, start, end);
      });
    }
  }

  private importMaster(uid: string, master: IcalComponent, exceptions: IcalComponent[]): void {
    if (isCancelled(master)) throw new SkipEvent("is cancelled");
    if (!master.hasProperty("dtstart")) throw new SkipEvent("has no DTSTART");
    refuseInvalidDates(master);
    const badInterval = this.badIntervals.get(uid);
    if (badInterval !== undefined)
      throw new SkipEvent(`has RRULE INTERVAL=${badInterval}: INTERVAL must be a whole number from 1 up`);
    const event = new ICAL.Event(master, { exceptions });
    const startTzid = tzidOf(master, "dtstart");
    if (!event.isRecurring()) {
      const start = this.instantOf(event.startDate, startTzid);
      this.addShift(uid, event, uid, start, this.instantOf(event.endDate, endTzidOf(master)));
      return;
    }
    // Occurrences that end (with a day's slack for daylight saving) before the range need no detail,
    // unless a RANGE=THISANDFUTURE exception may move them.
    const skipBeforeMs =
      event.rangeExceptions.length === 0
        ? this.options.range.startMs - event.duration.toSeconds() * 1000 - DAY_MS
        : -Infinity;
    const iterator = event.iterator();
    for (let occurrence = iterator.next(); occurrence; occurrence = iterator.next()) {
      if (++this.scanned > MAX_SCANNED_OCCURRENCES) {
        throw invalid(
          "/ics",
          `has recurring events too frequent to expand (more than ${MAX_SCANNED_OCCURRENCES} occurrences, event ${uid})`,
        );
      }
      const recurrenceMs = this.instantOf(occurrence, startTzid);
      if (recurrenceMs >= this.options.range.endMs) {
        this.seen.after = true;
        break;
      }
      if (recurrenceMs < skipBeforeMs) {
        this.seen.before = true;
        continue;
      }
      // Overridden occurrences are imported from their own RECURRENCE-ID event.
      if (isDirectException(event, occurrence)) continue;
      const details = event.getOccurrenceDetails(occurrence);
      const itemStartTzid = details.item === event ? startTzid : tzidOf(details.item.component, "dtstart");
      const start = this.instantOf(details.startDate, itemStartTzid);
      const end = this.instantOf(details.endDate, itemStartTzid);
      const sourceId = `${uid}/${this.recurrenceKeyOf(occurrence, startTzid)}`;
      this.addShift(uid, details.item, sourceId, start, end);
    }
  }

  private addShift(uid: string, item: IcalEvent, sourceId: string, startMs: number, endMs: number): void {
    const { range } = this.options;
    if (endMs <= startMs) throw new SkipEvent("ends at or before its start");
    if (endMs <= range.startMs || startMs >= range.endMs) {
      if (endMs <= range.startMs) this.seen.before = true;
      else this.seen.after = true;
      return;
    }
    this.seen.inRange = true;
    const userId = this.userOf(item);
    if (userId === null) {
      const summary = textOf(item.summary);
      this.skip(uid, `no user matches ${summary === "" ? "the event" : JSON.stringify(summary)}`);
      return;
    }
    if (this.shifts.length >= this.maxEvents) {
      throw invalid("/ics", `has more than ${this.maxEvents} events in the range; import a shorter range`);
    }
    this.shifts.push({ userId, startMs, endMs, sourceId });
  }

  private userOf(item: IcalEvent): string | null {
    let userId = this.userByItem.get(item);
    if (userId === undefined) {
      const candidate = candidateOf(item);
      try {
        userId = this.options.matchUser(candidate);
      } catch (error) {
        throw new MatcherError("matchUser failed", { cause: error });
      }
      this.userByItem.set(item, userId);
    }
    return userId;
  }

  /** "20250310T140000Z" for a date-time occurrence, "20250310" for an all-day one: stable per occurrence. */
  private recurrenceKeyOf(time: IcalTime, tzid: string | null): string {
    if (time.isDate) return `${String(time.year).padStart(4, "0")}${pad2(time.month)}${pad2(time.day)}`;
    return formatUtcDateTime(this.instantOf(time, tzid));
  }

  /** An ical.js time as epoch ms. `tzid` is the TZID parameter of the property it came from. */
  private instantOf(time: IcalTime | null | undefined, tzid: string | null): number {
    if (!time) throw new SkipEvent("has no start or end time");
    const wall = {
      year: time.year,
      month: time.month,
      day: time.day,
      hour: time.isDate ? 0 : time.hour,
      minute: time.isDate ? 0 : time.minute,
      second: time.isDate ? 0 : time.second,
    };
    if (![wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second].every(Number.isFinite)) {
      throw new SkipEvent("has an unreadable date");
    }
    let ms: number;
    if (time.isDate) ms = instantOfWallClock(wall, this.defaultTimeZone);
    else if (time.zone === ICAL.Timezone.utcTimezone) ms = utcMsOf(wall);
    else if (tzid === null) ms = instantOfWallClock(wall, this.defaultTimeZone);
    else if (isKnownTimeZone(tzid)) ms = instantOfWallClock(wall, tzid);
    else if (hasDefinition(time))
      ms = time.toUnixTime() * 1000; // a VTIMEZONE in the file (Outlook's names)
    else throw new SkipEvent(`uses an unknown time zone ${JSON.stringify(tzid)}`);
    if (!Number.isFinite(ms)) throw new SkipEvent("has an unreadable date");
    return ms;
  }

  /** Runs one event's import; an event's own problem becomes a `skipped` entry, not a failure. */
  private guard(uid: string, importEvent: () => void): void {
    try {
      importEvent();
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof MatcherError) throw error.cause;
      const reason = error instanceof SkipEvent ? error.message : `cannot be read: ${messageOf(error)}`;
      this.skip(uid, reason);
    }
  }

  private skip(uid: string, reason: string): void {
    const key = JSON.stringify([uid, reason]);
    if (this.skippedKeys.has(key)) return;
    this.skippedKeys.add(key);
    this.skipped.push({ uid, reason });
  }
}

/** The properties whose values are dates or date-times an event is placed by. */
const DATED_PROPERTIES = ["dtstart", "dtend", "recurrence-id", "rdate", "exdate"];

/**
 * Refuses a date the calendar does not have (month 13, day 32, 30 February, hour 24): ical.js would
 * roll it over into another day (2027-13-01 is read as 2028-01-01), putting the shift where nobody
 * meant it. Checked on the text as written, before ical.js reads it.
 */
function refuseInvalidDates(component: IcalComponent): void {
  for (const property of component.getAllProperties()) {
    const name = property.name;
    const values: unknown[] = (property.jCal as unknown[]).slice(3);
    const written =
      name === "rrule" || name === "exrule"
        ? values.map((recur) => (recur as { until?: unknown } | null)?.until)
        : DATED_PROPERTIES.includes(name)
          ? values.flatMap((value) => (Array.isArray(value) ? value.slice(0, 1) : [value]))
          : [];
    for (const value of written) {
      if (typeof value !== "string") continue;
      const problem = invalidDateProblem(value);
      const label =
        name === "rrule" || name === "exrule" ? `${name.toUpperCase()} UNTIL` : name.toUpperCase();
      if (problem !== null) throw new SkipEvent(`has an invalid date in ${label} ${value}: ${problem}`);
    }
  }
}

/** What is wrong with a written "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss" value, or null when nothing is. */
export function invalidDateProblem(written: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(written);
  if (!match) return null; // a shape ical.js itself refuses, with its own reason
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  // 60 is a leap second, which RFC 5545 allows.
  const fields = { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
  return calendarFieldsProblem(fields, { leapSecond: true }) ?? null;
}

/**
 * The INTERVAL of each UID's RRULE when it is not a positive whole number (RFC 5545 3.3.10), from the
 * text as written: ical.js reads INTERVAL=0 or -2 as 1, so the file would mean something else.
 */
function badIntervalsByUid(icsText: string): Map<string, string> {
  const bad = new Map<string, string>();
  const lines = icsText.replace(/\r?\n[ \t]/g, "").split(/\r\n|\n|\r/);
  let uid = "";
  let interval: string | undefined;
  for (const line of lines) {
    const name = /^[A-Za-z0-9-]+/.exec(line)?.[0]?.toUpperCase();
    if (name === "BEGIN" && /^BEGIN:VEVENT$/i.test(line.trim())) [uid, interval] = ["", undefined];
    else if (name === "UID") uid = line.slice(line.indexOf(":") + 1);
    else if (name === "RRULE" || name === "EXRULE") {
      const written = /(?:^|;)INTERVAL=([^;]*)/i.exec(line.slice(line.indexOf(":") + 1))?.[1];
      if (written !== undefined && !/^0*[1-9]\d*$/.test(written.trim())) interval = written;
    } else if (name === "END" && /^END:VEVENT$/i.test(line.trim()) && interval !== undefined)
      bad.set(uid, interval);
  }
  return bad;
}

function isDirectException(event: IcalEvent, occurrence: IcalTime): boolean {
  const utcId = occurrence.convertToZone(ICAL.Timezone.utcTimezone).toString();
  return Object.hasOwn(event.exceptions, occurrence.toString()) || Object.hasOwn(event.exceptions, utcId);
}

function candidateOf(item: IcalEvent): CalendarEventCandidate {
  const attendeeEmails = item.attendees
    // Someone who declined the event is not taking the shift.
    .filter((attendee) => textOf(attendee.getParameter("partstat")).toUpperCase() !== "DECLINED")
    .map((attendee) => emailOf(attendee.getFirstValue()))
    .filter((email): email is string => email !== null);
  return { summary: textOf(item.summary), attendeeEmails, organizerEmail: emailOf(item.organizer) };
}

function emailOf(calAddress: unknown): string | null {
  const email = textOf(calAddress)
    .trim()
    .replace(/^mailto:/i, "")
    .toLowerCase();
  return email === "" ? null : email;
}

/**
 * Why ical.js refused the text. Its structural errors quote the offending line, which is not echoed;
 * a value error (an RRULE part) names a short token and is kept.
 */
function parseFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/component began but did not end/i.test(message)) return "is truncated: a BEGIN has no matching END";
  if (error instanceof Error && error.name === "Error" && message !== "") {
    return `has a value that cannot be read: ${message.slice(0, 120)}`;
  }
  return "is not an iCalendar file";
}

function tzidOf(component: IcalComponent, propertyName: string): string | null {
  const tzid = component.getFirstProperty(propertyName)?.getParameter("tzid");
  return typeof tzid === "string" && tzid !== "" ? tzid : null;
}

/** DTEND's zone, or DTSTART's when the end comes from DURATION. */
function endTzidOf(component: IcalComponent): string | null {
  return component.hasProperty("dtend") ? tzidOf(component, "dtend") : tzidOf(component, "dtstart");
}

function hasDefinition(time: IcalTime): boolean {
  const zone = time.zone as { component?: unknown } | null;
  return zone !== null && zone !== ICAL.Timezone.localTimezone && zone.component !== undefined;
}

function isCancelled(component: IcalComponent): boolean {
  return textOf(component.getFirstPropertyValue("status")).toUpperCase() === "CANCELLED";
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function invalid(path: string, message: string): AppError {
  return new AppError("VALIDATION", `calendar ${message}`, { fields: [{ path, message }] });
}
