/**
 * Shifts as CSV for payroll (RFC 4180): one row per shift, UTC and local times, hours worked.
 * Text cells are guarded against spreadsheet formula injection (OWASP "CSV injection").
 */
import { AppError } from "../errors.js";
import { isKnownTimeZone, wallClockAt } from "./wall-clock-instant.js";

export interface ShiftCsvRow {
  readonly scheduleName: string;
  readonly userName: string;
  readonly userEmail: string;
  readonly startMs: number;
  readonly endMs: number;
  /** IANA zone for the local columns: the person's, or the schedule's. */
  readonly timeZone: string;
}

export const SHIFTS_CSV_HEADER = [
  "schedule",
  "person",
  "email",
  "start_utc",
  "end_utc",
  "start_local",
  "end_local",
  "hours",
] as const;

const CRLF = "\r\n";
const HOUR_MS = 3_600_000;

/** The CSV text: the header, then one CRLF-terminated row per shift, in the order given. */
export function shiftsCsv(rows: readonly ShiftCsvRow[]): string {
  const lines = [SHIFTS_CSV_HEADER.join(",")];
  rows.forEach((row, index) => {
    if (!isKnownTimeZone(row.timeZone)) {
      const message = `unknown time zone ${JSON.stringify(row.timeZone)}`;
      throw new AppError("VALIDATION", `shift ${index}: ${message}`, {
        fields: [{ path: `/rows/${index}/timeZone`, message }],
      });
    }
    const cells = [
      guardFormula(row.scheduleName),
      guardFormula(row.userName),
      guardFormula(row.userEmail),
      formatUtc(row.startMs),
      formatUtc(row.endMs),
      formatLocal(row.startMs, row.timeZone),
      formatLocal(row.endMs, row.timeZone),
      ((row.endMs - row.startMs) / HOUR_MS).toFixed(2),
    ];
    lines.push(cells.map(quoteCell).join(","));
  });
  return lines.join(CRLF) + CRLF;
}

/**
 * A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
 * single quote, which spreadsheets show as text.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
export function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** ISO 8601 in UTC to the second: 2025-03-03T08:00:00Z. */
function formatUtc(atMs: number): string {
  return `${new Date(Math.floor(atMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** "YYYY-MM-DD HH:MM" on the wall clock of `timeZone`. */
function formatLocal(atMs: number, timeZone: string): string {
  const w = wallClockAt(atMs, timeZone);
  return `${String(w.year).padStart(4, "0")}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
