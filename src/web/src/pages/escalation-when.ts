// When an incident's escalation moves on, in the same words on the incident's page and in the lists.
import type { Incident } from "../alerting-api";

/** "03:14 (in 4 min)", or "(overdue)" when the timer is late. */
export function whenText(iso: string, nowMs: number, clockOf: (iso: string) => string): string {
  const minutes = Math.ceil((new Date(iso).getTime() - nowMs) / 60_000);
  const until = minutes <= 0 ? "overdue" : minutes === 1 ? "in under a minute" : `in ${minutes} min`;
  return `${clockOf(iso)} (${until})`;
}

const hourMinute = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
/** "03:14" in the reader's time zone, as the incident page shows its next step. */
export const hourMinuteOf = (iso: string): string => hourMinute.format(new Date(iso));

type Escalating = Pick<
  Incident,
  "state" | "level" | "escalation" | "escalationStep" | "escalationLoop" | "assigneeIds"
>;

/**
 * A list row's "Next page": which step the escalation timer pages and when ("step 2 at 03:14 (in 4 min)"),
 * that the policy resumes after a reassignment, or that the last step runs out; once it has run out
 * with nobody acknowledging, that nobody is paged any more (the most urgent row at night). Null when
 * nothing is pending otherwise: acknowledged, resolved, no policy, notify level, or an older server.
 */
export function nextPageText(args: {
  incident: Escalating;
  /** The list's nextEscalationAt; older servers leave it out. */
  nextEscalationAt: string | null | undefined;
  nowMs: number;
  clockOf(iso: string): string;
}): string | null {
  const { incident, nextEscalationAt: next } = args;
  const e = incident.escalation;
  if (incident.state !== "triggered" || !e) return null;
  const lastOfRound = incident.escalationStep >= e.steps.length - 1;
  const lastStep = lastOfRound && incident.escalationLoop >= e.repeatCount;
  // No timer at the last step of a page: every step was tried (null, not undefined: a server that says).
  if (!next)
    return next === null && lastStep && incident.level === "page" && incident.assigneeIds.length === 0
      ? "nobody is paged: every step was tried"
      : null;
  const when = whenText(next, args.nowMs, args.clockOf);
  if (incident.assigneeIds.length > 0) return `${e.policyName} resumes at ${when}`;
  if (lastStep) return `runs out at ${when}`;
  // After a round's last step the policy goes round again from step 1.
  const step = lastOfRound ? 1 : incident.escalationStep + 2;
  const loop = lastOfRound ? incident.escalationLoop + 1 : incident.escalationLoop;
  return `step ${step}${loop > 0 ? ` (round ${loop + 1})` : ""} at ${when}`;
}
