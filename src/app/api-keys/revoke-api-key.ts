import { requireRole } from "../../core/auth/actor.js";
import { toPublicApiKey, type PublicApiKey } from "../../core/auth/records.js";
import { notFound } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";

/**
 * Revokes a key at once, and its live streams on every instance with it. Revoking twice is harmless
 * and keeps the first revocation time.
 */
export async function revokeApiKey(deps: AppDeps, caller: Caller, id: string): Promise<PublicApiKey> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const key = await tx.apiKeys.findById(id);
    if (!key) throw notFound("API key", id);
    if (key.revokedAt) return toPublicApiKey(key);
    await tx.apiKeys.revoke(id, now);
    await tx.credentialChanges.announce({ kind: "api_key", id });
    const after = toPublicApiKey({ ...key, revokedAt: now });
    await recordChange(tx, caller, now, {
      action: "api_key.revoke",
      entityType: "api_key",
      entityId: id,
      before: toPublicApiKey(key),
      after,
    });
    return after;
  });
}
