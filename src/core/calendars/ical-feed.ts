/**
 * On-call shifts as an iCalendar (RFC 5545) subscription feed: one VEVENT per shift, UTC times,
 * TEXT escaping, lines folded at 75 octets with CRLF. Reference: shared/reference/ecosystem.md §7.
 */
import { fnv1a64Hex } from "../alerts/fnv1a64.js";
import type { Shift } from "../schedules/schedule.js";

export const DEFAULT_PRODUCT_ID = "-//Firebreak//On-call calendar//EN";

/** A shift to publish, with the names the calendar shows. */
export type CalendarShift = Shift & {
  readonly userName: string;
  readonly scheduleName: string;
  /** Shown as DESCRIPTION when given (handoff notes, a link). */
  readonly description?: string;
  /** RFC 5545 SEQUENCE: the caller bumps it when a published shift changes. Omitted when not given. */
  readonly sequence?: number;
};

export interface ShiftCalendarInput {
  /** Display name (X-WR-CALNAME and NAME). */
  readonly calendarName: string;
  /** Stable id of the feed ("schedule:<id>", "user:<id>"); part of every UID. */
  readonly calendarId: string;
  readonly shifts: readonly CalendarShift[];
  /** DTSTAMP of every event: when this feed was generated. */
  readonly generatedAtMs: number;
  /** PRODID; defaults to DEFAULT_PRODUCT_ID. */
  readonly productId?: string;
}

const CRLF = "\r\n";
const MAX_LINE_OCTETS = 75;

/** The feed as text: CRLF line endings, every physical line at most 75 octets, ending in CRLF. */
export function renderShiftCalendar(input: ShiftCalendarInput): string {
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(input.productId ?? DEFAULT_PRODUCT_ID)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(input.calendarName)}`,
    `NAME:${escapeText(input.calendarName)}`,
    // Clients poll on their own clock; these ask for hourly refreshes (RFC 7986; Apple/Outlook).
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
  ];
  const dtstamp = formatUtcDateTime(input.generatedAtMs);
  // A shift with no length is no time on call, and RFC 5545 requires DTEND after DTSTART.
  const shifts = input.shifts
    .filter((shift) => shift.endMs > shift.startMs)
    .sort((a, b) => a.startMs - b.startMs || compareText(a.userId, b.userId));
  for (const shift of shifts) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(shiftUid(input.calendarId, shift))}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART:${formatUtcDateTime(shift.startMs)}`,
      `DTEND:${formatUtcDateTime(shift.endMs)}`,
      `SUMMARY:${escapeText(`On call: ${shift.scheduleName} — ${shift.userName}`)}`,
    );
    if (shift.description !== undefined && shift.description !== "") {
      lines.push(`DESCRIPTION:${escapeText(shift.description)}`);
    }
    if (shift.sequence !== undefined) lines.push(`SEQUENCE:${Math.max(0, Math.trunc(shift.sequence))}`);
    // Being on call is not being busy: a week-long shift must not block the person's free/busy time.
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("");
}

/**
 * The UID of a shift: the same on every fetch for the same shift (clients otherwise duplicate
 * events), different for shifts that differ in feed, person, start or source.
 */
export function shiftUid(calendarId: string, shift: Shift): string {
  const key = JSON.stringify([calendarId, shift.userId, shift.startMs, shift.layerId, shift.overrideId]);
  return `${fnv1a64Hex(key)}-${shift.startMs}@firebreak`;
}

/** RFC 5545 §3.3.5 form 2 (UTC): 19970714T173000Z. Sub-second parts are dropped. */
export function formatUtcDateTime(atMs: number): string {
  const iso = new Date(Math.floor(atMs / 1000) * 1000).toISOString(); // 1997-07-14T17:30:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped, newlines as `\n`. Other control
 * characters are not allowed in TEXT and are dropped.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "") // eslint-disable-line no-control-regex
    .replace(/[\\;,\n]/g, (ch) => (ch === "\n" ? "\\n" : `\\${ch}`));
}

/**
 * One content line, folded (RFC 5545 §3.1): CRLF + one space before any octet that would pass 75
 * on its physical line, never inside a UTF-8 sequence. Returns the line with its CRLF.
 */
export function foldLine(line: string): string {
  let out = "";
  let lineOctets = 0;
  for (const char of line) {
    const octets = utf8Length(char);
    if (lineOctets + octets > MAX_LINE_OCTETS) {
      out += `${CRLF} `;
      lineOctets = 1;
    }
    out += char;
    lineOctets += octets;
  }
  return out + CRLF;
}

/** UTF-8 length of one code point; a lone surrogate is encoded as U+FFFD (3 octets). */
function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
