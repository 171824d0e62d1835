import { AppError, type FieldError } from "../errors.js";
import { UNFILLED_PLACEHOLDER, type PublicStatus } from "./public-update-templates.js";
import {
  checkAction,
  isInstantMs,
  isNonEmptyId,
  nameIn,
  throwIfInvalid,
  type Action,
  type TimelineDraft,
} from "./response-action.js";
import { RESPONSE_PHASES } from "./response-phase.js";
import type { IncidentRoles } from "./roles.js";
import { IMPACT_LEVELS, type ImpactLevel } from "./triage.js";

/**
 * Public updates: what the status page shows about an incident. Data corruption and outages must have
 * them, and Firebreak reminds the handler whenever the last one is older than the service's interval.
 *
 * Suggested port for src/app/ports/status-publisher.ts (the status-page issue implements it; core stays
 * free of I/O):
 *   export interface StatusPublisher {
 *     publish(update: PublicUpdate, incident: PublicIncidentSummary): Promise<void>;
 *   }
 */

export interface PublicUpdate {
  readonly status: PublicStatus;
  readonly message: string;
  readonly postedBy: string;
  readonly postedAtMs: number;
  /** Status-page components it concerns; empty: the service as a whole. */
  readonly componentIds: readonly string[];
}

/** What the status page may know about the incident: nothing internal (no internal title, alerts, people). */
export interface PublicIncidentSummary {
  readonly incidentId: string;
  readonly level: ImpactLevel;
  readonly status: PublicStatus;
  readonly startedAtMs: number;
  readonly resolvedAtMs: number | null;
  readonly componentIds: readonly string[];
}

export type PublicUpdateInput = Pick<PublicUpdate, "status" | "message" | "componentIds">;

export const MAX_PUBLIC_MESSAGE_LENGTH = 5000;
export const MAX_PUBLIC_COMPONENTS = 50;

export function checkPublicUpdate(input: PublicUpdateInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!RESPONSE_PHASES.includes(input.status))
    errors.push({ path: "/status", message: "must be investigating, identified, monitoring or resolved" });
  if (
    typeof input.message !== "string" ||
    input.message.trim().length === 0 ||
    input.message.length > MAX_PUBLIC_MESSAGE_LENGTH
  )
    errors.push({ path: "/message", message: `must be 1 to ${MAX_PUBLIC_MESSAGE_LENGTH} characters` });
  else if (UNFILLED_PLACEHOLDER.test(input.message))
    errors.push({
      path: "/message",
      message: `fill in the placeholder ${UNFILLED_PLACEHOLDER.exec(input.message)?.[0]}`,
    });
  if (!Array.isArray(input.componentIds) || input.componentIds.length > MAX_PUBLIC_COMPONENTS)
    errors.push({
      path: "/componentIds",
      message: `must be a list of at most ${MAX_PUBLIC_COMPONENTS} component ids`,
    });
  else
    input.componentIds.forEach((id, i) => {
      if (!isNonEmptyId(id)) errors.push({ path: `/componentIds/${i}`, message: "needs a component id" });
      else if (input.componentIds.indexOf(id) !== i)
        errors.push({ path: `/componentIds/${i}`, message: `${id} is listed twice` });
    });
  return errors;
}

/** One voice: the communications lead posts, or the handler when there is none (the handler always may). */
export function postPublicUpdate(
  input: PublicUpdateInput,
  roles: Pick<IncidentRoles, "handlerId" | "commsLeadId">,
  action: Action,
): { readonly update: PublicUpdate; readonly timeline: readonly TimelineDraft[] } {
  throwIfInvalid([...checkAction(action), ...checkPublicUpdate(input)]);
  if (action.actorId !== roles.handlerId && action.actorId !== roles.commsLeadId) {
    const name = nameIn(action);
    const who = roles.commsLeadId ? `${name(roles.commsLeadId)} (communications lead) or ` : "";
    throw new AppError(
      "FORBIDDEN",
      `only ${who}${name(roles.handlerId)} (Incident Handler) can post public updates`,
    );
  }
  const update: PublicUpdate = {
    status: input.status,
    message: input.message.trim(),
    postedBy: action.actorId,
    postedAtMs: action.atMs,
    componentIds: [...input.componentIds],
  };
  return {
    update,
    timeline: [
      {
        kind: "public-update.posted",
        message: `Public update (${input.status}) posted by ${nameIn(action)(action.actorId)}: ${update.message}`,
        data: { status: update.status, componentIds: update.componentIds },
      },
    ],
  };
}

/** Customers must hear from us about data corruption and outages; degradation is up to the handler. */
export const requiresPublicUpdate = (level: ImpactLevel | null): boolean =>
  level === "data-corruption" || level === "outage";

export const DEFAULT_PUBLIC_UPDATE_REMINDER_MINUTES = 15;
export const MAX_PUBLIC_UPDATE_REMINDER_MINUTES = 240;
const MINUTE_MS = 60_000;

export interface PublicUpdateReminderInput {
  readonly level: ImpactLevel | null;
  /** When the update became required: the triage that set the level (or raised it to one that requires it). */
  readonly requiredSinceMs: number;
  /** The latest public update on the incident, whenever posted; null: none yet. */
  readonly lastPublicUpdateAtMs: number | null;
  /** The latest public update told customers it is resolved: nothing more to post. */
  readonly lastPublicUpdateResolved?: boolean;
  readonly everyMinutes?: number;
  readonly nowMs: number;
  readonly resolved: boolean;
}

function checkReminderInput(input: PublicUpdateReminderInput, every: number): void {
  throwIfInvalid([
    ...(input.level === null || IMPACT_LEVELS.includes(input.level)
      ? []
      : [{ path: "/level", message: "unknown level" }]),
    ...(isInstantMs(input.requiredSinceMs)
      ? []
      : [{ path: "/requiredSinceMs", message: "must be an instant in epoch ms" }]),
    ...(isInstantMs(input.nowMs) ? [] : [{ path: "/nowMs", message: "must be an instant in epoch ms" }]),
    ...(input.lastPublicUpdateAtMs === null || isInstantMs(input.lastPublicUpdateAtMs)
      ? []
      : [{ path: "/lastPublicUpdateAtMs", message: "must be an instant in epoch ms or null" }]),
    ...(Number.isInteger(every) && every >= 1 && every <= MAX_PUBLIC_UPDATE_REMINDER_MINUTES
      ? []
      : [
          {
            path: "/everyMinutes",
            message: `must be a whole number of minutes from 1 to ${MAX_PUBLIC_UPDATE_REMINDER_MINUTES}`,
          },
        ]),
  ]);
}

/** The instant the reminders count from (the last update, else when one became required); null: none due. */
function reminderAnchorMs(input: PublicUpdateReminderInput): number | null {
  if (input.resolved || !requiresPublicUpdate(input.level) || input.lastPublicUpdateResolved === true)
    return null;
  return input.lastPublicUpdateAtMs ?? input.requiredSinceMs;
}

/**
 * The next reminder to post a public update, strictly after `nowMs`: every N minutes from the last
 * public update (or, before the first, from `requiredSinceMs`), as Statuspage practice keeps customers
 * hearing at a steady pace while the incident lasts. Null when none is required, the incident is
 * resolved, or the last update told customers it is resolved.
 */
export function publicUpdateReminderAt(input: PublicUpdateReminderInput): number | null {
  const every = input.everyMinutes ?? DEFAULT_PUBLIC_UPDATE_REMINDER_MINUTES;
  checkReminderInput(input, every);
  const anchorMs = reminderAnchorMs(input);
  if (anchorMs === null) return null;
  const stepMs = every * MINUTE_MS;
  const stepsDone = input.nowMs < anchorMs ? 0 : Math.floor((input.nowMs - anchorMs) / stepMs);
  return anchorMs + (stepsDone + 1) * stepMs;
}

export type PublicUpdateReminderDue =
  | { readonly kind: "none-yet"; readonly minutesSinceRequired: number }
  | { readonly kind: "stale"; readonly minutesSinceLast: number };

/**
 * Whether a reminder is due at `nowMs` (what the reminder job sends): the incident has gone N minutes
 * or more without a public update. Null otherwise, as when an update was posted since the job was set.
 */
export function publicUpdateReminderDue(input: PublicUpdateReminderInput): PublicUpdateReminderDue | null {
  const every = input.everyMinutes ?? DEFAULT_PUBLIC_UPDATE_REMINDER_MINUTES;
  checkReminderInput(input, every);
  const anchorMs = reminderAnchorMs(input);
  if (anchorMs === null || input.nowMs - anchorMs < every * MINUTE_MS) return null;
  const minutes = Math.floor((input.nowMs - anchorMs) / MINUTE_MS);
  return input.lastPublicUpdateAtMs === null
    ? { kind: "none-yet", minutesSinceRequired: minutes }
    : { kind: "stale", minutesSinceLast: minutes };
}
