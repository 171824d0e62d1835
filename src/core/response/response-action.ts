import { validationError, type FieldError } from "../errors.js";

/**
 * What every response rule gets besides its own input: who acts and when. The use case fills it from
 * the caller and the clock it read once; core never reads either.
 */

/** Display name for a user id in timeline messages and errors (the app's people book); ids when absent. */
export type NameOf = (userId: string) => string;

export const idAsName: NameOf = (userId) => userId;

/** Who does it (a user id), when (epoch ms), and how to name people in what gets written. */
export interface Action {
  readonly actorId: string;
  readonly atMs: number;
  readonly nameOf?: NameOf;
}

/** An action on an incident, with its Incident Handler at that moment: the rules that say "only the handler" need it. */
export interface IncidentAction extends Action {
  readonly handlerId: string;
}

/**
 * A timeline entry as data. The use case stamps it with the incident id, `at` (the action's atMs)
 * and the actor, then appends it. `kind` is `entity.verb`, e.g. `fix.started`, `handover.accepted`.
 */
export interface TimelineDraft {
  readonly kind: string;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A rule's answer: the new state and the timeline entries to write with it, in order. */
export interface Changed<T> {
  readonly next: T;
  readonly timeline: readonly TimelineDraft[];
}

export const isNonEmptyId = (value: unknown): value is string =>
  typeof value === "string" && value.trim().length > 0 && value.length <= 200;

export const isInstantMs = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** A required user id (or, with `nullable`, null) at `path`. */
export const userIdErrors = (userId: unknown, path: string, nullable = false): FieldError[] =>
  (nullable && userId === null) || isNonEmptyId(userId)
    ? []
    : [{ path, message: nullable ? "needs a user id or null" : "needs a user id" }];

/** Problems with an action's own fields (actor, time, handler when given). */
export function checkAction(action: Action | IncidentAction): FieldError[] {
  const errors: FieldError[] = [];
  if (!isNonEmptyId(action.actorId)) errors.push({ path: "/actorId", message: "needs a user id" });
  if (!isInstantMs(action.atMs)) errors.push({ path: "/atMs", message: "must be an instant in epoch ms" });
  if ("handlerId" in action && !isNonEmptyId(action.handlerId))
    errors.push({ path: "/handlerId", message: "needs the Incident Handler's user id" });
  return errors;
}

/** Throws VALIDATION with every problem at once; does nothing when there is none. */
export function throwIfInvalid(errors: readonly FieldError[]): void {
  if (errors.length > 0) throw validationError(errors);
}

export const nameIn = (action: Action): NameOf => action.nameOf ?? idAsName;
