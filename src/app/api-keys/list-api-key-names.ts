import { requireRole } from "../../core/auth/actor.js";
import type { ApiKey } from "../../core/auth/records.js";
import type { AppDeps, Caller } from "../deps.js";

/**
 * What anyone signed in may know of an API key: the label timelines already show to every role
 * ("Dee (API key laptop)"), so a responder's CLI can name who acknowledged. Never the hash, the
 * prefix, the role or when it was used: those stay admin-only on GET /api-keys.
 */
export interface ApiKeyName {
  readonly id: string;
  readonly name: string;
  /** The person it acts for (a user id, as GET /users lists them); null: nobody. */
  readonly createdBy: string | null;
  readonly revokedAt: Date | null;
}

const nameOnly = (key: ApiKey): ApiKeyName => ({
  id: key.id,
  name: key.name,
  createdBy: key.createdBy,
  revokedAt: key.revokedAt,
});

export async function listApiKeyNames(deps: AppDeps, caller: Caller): Promise<ApiKeyName[]> {
  requireRole(caller.actor, "viewer");
  const keys = await deps.uow.read((tx) => tx.apiKeys.list());
  return keys.map(nameOnly);
}
