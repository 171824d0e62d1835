import { AppError } from "../errors.js";
import { checkAction, nameIn, throwIfInvalid, type Changed, type IncidentAction } from "./response-action.js";

/**
 * Where the response stands; the same words as the public status flow. A separate axis from the
 * paging state (triggered / acknowledged / resolved): "resolved" here goes with the incident's resolve.
 */
export type ResponsePhase = "investigating" | "identified" | "monitoring" | "resolved";

export const RESPONSE_PHASES: readonly ResponsePhase[] = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
];

export const PHASE_TITLES: Readonly<Record<ResponsePhase, string>> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

/**
 * The moves allowed. Any open phase may go to any other (a fix can fail, a cause can prove wrong);
 * a resolved incident only reopens, into investigating.
 */
export const PHASE_MOVES: Readonly<Record<ResponsePhase, readonly ResponsePhase[]>> = {
  investigating: ["identified", "monitoring", "resolved"],
  identified: ["investigating", "monitoring", "resolved"],
  monitoring: ["investigating", "identified", "resolved"],
  resolved: ["investigating"],
};

export const canMovePhase = (from: ResponsePhase, to: ResponsePhase): boolean =>
  PHASE_MOVES[from].includes(to);

/**
 * The handler moves the phase by hand. Moving to the current phase changes nothing. Firebreak's own
 * moves (a deployed fix → monitoring, a regression → investigating) come from those rules' results.
 */
export function movePhase(
  from: ResponsePhase,
  to: ResponsePhase,
  action: IncidentAction,
): Changed<ResponsePhase> {
  throwIfInvalid([
    ...checkAction(action),
    ...(RESPONSE_PHASES.includes(to)
      ? []
      : [{ path: "/phase", message: "must be investigating, identified, monitoring or resolved" }]),
  ]);
  if (action.actorId !== action.handlerId)
    throw new AppError(
      "FORBIDDEN",
      `only the Incident Handler (${nameIn(action)(action.handlerId)}) moves the phase`,
    );
  if (from === to) return { next: from, timeline: [] };
  if (!canMovePhase(from, to))
    throw new AppError(
      "PRECONDITION_FAILED",
      `a ${from} incident cannot go to ${to}: reopen it into investigating`,
    );
  return { next: to, timeline: [phaseChange(from, to, `by ${nameIn(action)(action.actorId)}`)] };
}

/** The timeline entry for any phase change, by hand or by Firebreak; `why` ends the message. */
export const phaseChange = (from: ResponsePhase, to: ResponsePhase, why: string) => ({
  kind: "phase.changed",
  message: `${PHASE_TITLES[from]} → ${PHASE_TITLES[to]} ${why}`,
  data: { from, to },
});

/** A fix that fails by hand while its watch runs takes the incident back to identified (cause known, fix not). */
export const phaseAfterFixFailed = (current: ResponsePhase): ResponsePhase =>
  current === "monitoring" ? "identified" : current;
