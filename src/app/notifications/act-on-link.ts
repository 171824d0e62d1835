import type { Actor } from "../../core/auth/actor.js";
import type { User } from "../../core/auth/records.js";
import { AppError } from "../../core/errors.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { acknowledge, resolve } from "../incidents/incident-actions.js";
import { verifyActionLink, type LinkAction } from "./action-links.js";

/**
 * The signed acknowledge/resolve links in messages. Opening one only shows what it would do (link
 * scanners open links); the action happens on the confirming POST, in the name of the person the link
 * was sent to.
 */

export interface LinkPreview {
  readonly action: LinkAction;
  readonly incident: Incident;
  readonly user: Pick<User, "id" | "name" | "email">;
}

export const userActor = (user: User): Actor => ({
  kind: "user",
  id: user.id,
  role: user.role,
  label: user.email,
});

async function load(deps: AlertingDeps, token: string): Promise<LinkPreview & { fullUser: User }> {
  const verdict = verifyActionLink(deps.linkSecret, token, deps.clock.now());
  if (!verdict.ok) throw new AppError("VALIDATION", verdict.reason);
  const { incidentId, userId, action } = verdict.claims;
  const found = await deps.uow.run(async (tx) => ({
    incident: await tx.incidents.findById(incidentId),
    user: await tx.users.findById(userId),
    // When paging for the incident last started over (reopened, or re-triggered by a regression).
    restartedAt: await tx.timeline.lastEntryAt(incidentId, ["incident.reopened", "incident.retriggered"]),
  }));
  if (!found.incident) throw new AppError("NOT_FOUND", "the incident of this link no longer exists");
  const { issuedAt } = verdict.claims;
  // A link from an earlier page must not acknowledge or resolve the page that came after it.
  if (issuedAt && found.restartedAt && found.restartedAt.getTime() > issuedAt.getTime())
    throw new AppError(
      "PRECONDITION_FAILED",
      `INC-${found.incident.number} was paged again after this link was sent; use the newer message or open the incident in Firebreak`,
    );
  if (!found.user || found.user.disabledAt)
    throw new AppError("FORBIDDEN", "the account this link was sent to is disabled");
  const { id, name, email } = found.user;
  return { action, incident: found.incident, user: { id, name, email }, fullUser: found.user };
}

/** What the link would do; changes nothing. */
export async function previewActionLink(deps: AlertingDeps, token: string): Promise<LinkPreview> {
  const { fullUser: _user, ...preview } = await load(deps, token);
  return preview;
}

/** Acknowledges or resolves the link's incident as the link's person (who must still hold the responder role). */
export async function actOnLink(
  deps: AlertingDeps,
  token: string,
  requestId: string | null,
): Promise<LinkPreview> {
  const { action, fullUser, user, incident } = await load(deps, token);
  const caller = { actor: userActor(fullUser), requestId };
  const updated =
    action === "acknowledge"
      ? await acknowledge(deps, caller, incident.id)
      : await resolve(deps, caller, incident.id);
  return { action, incident: updated, user };
}
