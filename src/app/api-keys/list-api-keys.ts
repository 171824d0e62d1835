import { requireRole } from "../../core/auth/actor.js";
import { toPublicApiKey, type PublicApiKey } from "../../core/auth/records.js";
import type { AppDeps, Caller } from "../deps.js";

export async function listApiKeys(deps: AppDeps, caller: Caller): Promise<PublicApiKey[]> {
  requireRole(caller.actor, "admin");
  const keys = await deps.uow.run((tx) => tx.apiKeys.list());
  return keys.map(toPublicApiKey);
}
