import { didYouMean } from "../suggest.js";
import { UsageError } from "../usage-error.js";

/** The options of `firebreak incidents`: which states, how many, from where, and the "more" notice. */

const INCIDENT_STATES = ["triggered", "acknowledged", "resolved"];
/** What --state takes: the states, "open" (the console's tab) for triggered and acknowledged, and "all". */
const STATE_WORDS = [...INCIDENT_STATES, "open", "all"];
const OPEN_STATES = ["triggered", "acknowledged"];

/** --state, given once or more, each maybe "a,b": spaces and case forgiven, "" refused; "open" is two. */
export function incidentStates(value: unknown): string[] {
  const given = typeof value === "string" ? [value] : Array.isArray(value) ? (value as string[]) : undefined;
  if (given === undefined) return OPEN_STATES;
  const states = given.flatMap((v) => v.split(",")).map((s) => s.trim().toLowerCase());
  // "" (from --state "" or a trailing comma) is wrong too, so compare with undefined.
  const wrong = states.find((s) => !STATE_WORDS.includes(s));
  if (wrong !== undefined)
    throw new UsageError(
      `--state must be open, all, triggered, acknowledged or resolved, got "${wrong}"${didYouMean(wrong, STATE_WORDS)}`,
    );
  const wanted = new Set(
    states.flatMap((s) => (s === "open" ? OPEN_STATES : s === "all" ? INCIDENT_STATES : [s])),
  );
  // In the server's order, whatever the order typed.
  return INCIDENT_STATES.filter((s) => wanted.has(s));
}

/** The API's page of incidents: 50 unless asked, at most 500. */
export const DEFAULT_INCIDENTS_PAGE = 50;
export const MAX_INCIDENTS_PAGE = 500;

/** --limit: a whole number the API takes as its page size. */
export function incidentsLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_INCIDENTS_PAGE;
  const typed = typeof value === "string" ? value.trim() : "";
  const limit = /^\d{1,9}$/.test(typed) ? Number(typed) : Number.NaN;
  if (limit >= 1 && limit <= MAX_INCIDENTS_PAGE) return limit;
  throw new UsageError(
    `--limit must be a whole number from 1 to ${MAX_INCIDENTS_PAGE}` +
      (typeof value === "string" ? `, got "${value}"` : ""),
  );
}

/** --before: the API's cursor, an incident number, typed as 753, INC-753 or #753. */
export function incidentCursor(value: unknown): number {
  const typed = typeof value === "string" ? value.trim() : "";
  const match = /^(?:INC-?|#)?(\d{1,9})$/i.exec(typed);
  const number = match ? Number(match[1]) : 0;
  if (number >= 1) return number;
  throw new UsageError(
    "--before must be an incident number such as 753 or INC-753 (the last one a page listed)" +
      (typeof value === "string" ? `, got "${value}"` : ""),
  );
}

/** Said on stderr when more incidents match than were listed: how to get the next ones. */
export function moreIncidentsNotice(cursor: number, limit: number, asJson: boolean): string {
  if (asJson) return `${JSON.stringify({ more: true, before: cursor })}\n`;
  const bigger = limit < MAX_INCIDENTS_PAGE ? ` (or --limit N, up to ${MAX_INCIDENTS_PAGE})` : "";
  return `More incidents than these ${limit}: run again with --before ${cursor} for the next ones${bigger}.\n`;
}

/** What of an incident's escalation the NEXT PAGE column reads; older servers may leave parts out. */
export interface EscalatingRow {
  state: string;
  nextEscalationAt?: string | null | undefined;
  escalation?: { steps: readonly unknown[]; repeatCount: number } | null;
  escalationStep?: number;
  escalationLoop?: number;
  assigneeIds?: readonly string[];
}

/**
 * The NEXT PAGE column: how long until a triggered incident's escalation moves on ("in 4m", "in 1h05m",
 * "overdue" while the engine is late), counted from `nowMs`; "runs out in 4m" when that timer pages
 * nobody (the last step of the last round), as the console says; "-" when nothing is pending.
 */
export function nextPageCell(incident: EscalatingRow, nowMs: number): string {
  const at = incident.nextEscalationAt ? Date.parse(incident.nextEscalationAt) : Number.NaN;
  if (incident.state !== "triggered" || Number.isNaN(at)) return "-";
  // Rounded up, as the console counts: "in 4m" until the last second of the fourth minute.
  const minutes = Math.ceil((at - nowMs) / 60_000);
  const e = incident.escalation;
  const runsOut =
    e !== null &&
    e !== undefined &&
    (incident.assigneeIds?.length ?? 0) === 0 &&
    (incident.escalationStep ?? 0) >= e.steps.length - 1 &&
    (incident.escalationLoop ?? 0) >= e.repeatCount;
  const prefix = runsOut ? "runs out " : "";
  if (minutes <= 0) return runsOut ? "runs out now" : "overdue";
  if (minutes === 1) return `${prefix}in <1m`;
  if (minutes < 60) return `${prefix}in ${minutes}m`;
  return `${prefix}in ${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
