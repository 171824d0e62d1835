import { requireRole } from "../../core/auth/actor.js";
import { toPublicApiKey, type ApiKey, type PublicApiKey } from "../../core/auth/records.js";
import { roleAllows, type Role } from "../../core/auth/roles.js";
import { AppError, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashToken, newId, newToken } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";

/** Key prefix; a leaked key is easy to recognise and to scan for. */
export const API_KEY_PREFIX = "fbk";
const SHOWN_PREFIX_LENGTH = 12;

export interface CreateApiKeyInput {
  readonly name: string;
  readonly role: Role;
}

/** Creates a scoped API key. The token is returned here once; only its hash is stored. */
export async function createApiKey(
  deps: AppDeps,
  caller: Caller,
  input: CreateApiKeyInput,
): Promise<{ token: string; apiKey: PublicApiKey }> {
  requireRole(caller.actor, "admin");
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw validationError([{ path: "/name", message: "must be 1 to 200 characters" }]);
  }
  if (!roleAllows(caller.actor.role, input.role)) {
    throw new AppError(
      "FORBIDDEN",
      `cannot create a key with more power (${input.role}) than the caller has`,
    );
  }
  const now = deps.clock.now();
  const token = newToken(API_KEY_PREFIX);
  const apiKey: ApiKey = {
    id: newId(),
    name,
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    tokenHash: hashToken(token),
    role: input.role,
    createdBy: caller.actor.kind === "user" ? caller.actor.id : null,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  const shown = toPublicApiKey(apiKey);
  await deps.uow.run(async (tx) => {
    await tx.apiKeys.insert(apiKey);
    await recordChange(tx, caller, now, {
      action: "api_key.create",
      entityType: "api_key",
      entityId: apiKey.id,
      before: null,
      after: shown,
    });
  });
  return { token, apiKey: shown };
}
