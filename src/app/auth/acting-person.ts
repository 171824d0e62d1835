import type { Actor } from "../../core/auth/actor.js";
import type { User } from "../../core/auth/records.js";
import type { Tx } from "../ports/store.js";

/**
 * The person an actor acts for: a signed-in user, or the person an API key acts for (who made it, or
 * whom `apikey create --user` named). Undefined for a key that acts for no person, for Firebreak
 * itself, and for a disabled person, who acts for nobody any more.
 */
export async function actingPerson(tx: Tx, actor: Actor): Promise<User | undefined> {
  let userId: string | null = null;
  if (actor.kind === "user") userId = actor.id;
  else if (actor.kind === "api_key") userId = (await tx.apiKeys.findById(actor.id))?.createdBy ?? null;
  const user = userId === null ? undefined : await tx.users.findById(userId);
  return user && !user.disabledAt ? user : undefined;
}
