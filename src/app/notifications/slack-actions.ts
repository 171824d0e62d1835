import type { ContactMethod } from "../../core/alerts/records.js";
import type { User } from "../../core/auth/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { acknowledge, resolve } from "../incidents/incident-actions.js";
import type { Tx } from "../ports/store.js";
import { userActor } from "./act-on-link.js";

/** A Slack member ID: U… or W… and upper-case letters and digits. */
const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{2,30}$/;

/**
 * Whether a contact method links this Slack member to its owner: a `slack` contact method whose
 * label names the member ID as a word ("Slack U024BE7LH"), or whose config carries it as `slackUserId`.
 */
export function linksSlackMember(
  method: Pick<ContactMethod, "kind" | "label" | "config">,
  slackUserId: string,
): boolean {
  if (method.kind !== "slack" || !SLACK_MEMBER_ID.test(slackUserId)) return false;
  if (method.config.slackUserId === slackUserId) return true;
  return method.label.split(/[^A-Za-z0-9]+/).includes(slackUserId);
}

/** The enabled Firebreak users a Slack member is linked to (more than one is a misconfiguration). */
export async function usersLinkedTo(tx: Tx, slackUserId: string): Promise<User[]> {
  const linked: User[] = [];
  for (const user of await tx.users.list()) {
    if (user.disabledAt) continue;
    const methods = await tx.contactMethods.listForUser(user.id);
    if (methods.some((m) => linksSlackMember(m, slackUserId))) linked.push(user);
  }
  return linked;
}

export type SlackActionOutcome =
  | { readonly kind: "unlinked" }
  | { readonly kind: "ambiguous" }
  | { readonly kind: "done"; readonly incident: Incident; readonly user: Pick<User, "id" | "email"> };

/**
 * A button in a Slack app message: acknowledge or resolve in the name of the Firebreak user the
 * clicking Slack member is linked to. The request's signature was checked by the caller. AppErrors
 * (resolved incident, viewer role, unknown incident) propagate with messages fit to show.
 */
export async function actFromSlack(
  deps: AlertingDeps,
  input: {
    slackUserId: string;
    action: "acknowledge" | "resolve";
    incidentId: string;
    requestId: string | null;
  },
): Promise<SlackActionOutcome> {
  const linked = await deps.uow.run((tx) => usersLinkedTo(tx, input.slackUserId));
  const user = linked[0];
  if (!user) return { kind: "unlinked" };
  if (linked.length > 1) return { kind: "ambiguous" };
  const caller = { actor: userActor(user), requestId: input.requestId };
  const incident =
    input.action === "acknowledge"
      ? await acknowledge(deps, caller, input.incidentId)
      : await resolve(deps, caller, input.incidentId);
  return { kind: "done", incident, user: { id: user.id, email: user.email } };
}
