import { requireRole } from "../../core/auth/actor.js";
import { normalizeEmail } from "../../core/auth/credentials.js";
import { toPublicApiKey, type ApiKey, type PublicApiKey } from "../../core/auth/records.js";
import { roleAllows, type Role } from "../../core/auth/roles.js";
import { AppError, notFound, validationError } from "../../core/errors.js";
import { recordChange } from "../audit/record-change.js";
import { hashToken, newId, newToken } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import { checkName } from "../../core/visible-name.js";

/** Key prefix; a leaked key is easy to recognise and to scan for. */
export const API_KEY_PREFIX = "fbk";
const SHOWN_PREFIX_LENGTH = 12;

export interface CreateApiKeyInput {
  readonly name: string;
  readonly role: Role;
  /**
   * The email of the person the key acts for (incident roles, "my tasks"). Only Firebreak itself may
   * name one (`firebreak apikey create --user`); a signed-in user's key acts for that user.
   */
  readonly actsForEmail?: string;
}

/** Creates a scoped API key. The token is returned here once; only its hash is stored. */
export async function createApiKey(
  deps: AppDeps,
  caller: Caller,
  input: CreateApiKeyInput,
): Promise<{ token: string; apiKey: PublicApiKey }> {
  requireRole(caller.actor, "admin");
  const name = input.name.trim();
  const nameErrors = checkName(name);
  if (nameErrors.length > 0) throw validationError(nameErrors);
  if (!roleAllows(caller.actor.role, input.role)) {
    throw new AppError(
      "FORBIDDEN",
      `cannot create a key with more power (${input.role}) than the caller has`,
    );
  }
  if (input.actsForEmail !== undefined && caller.actor.kind !== "system")
    throw new AppError("FORBIDDEN", "only Firebreak itself may make a key act for another person");
  const now = deps.clock.now();
  const token = newToken(API_KEY_PREFIX);
  const shown = await deps.uow.run(async (tx) => {
    let createdBy = caller.actor.kind === "user" ? caller.actor.id : null;
    if (input.actsForEmail !== undefined) {
      const email = normalizeEmail(input.actsForEmail);
      const person = await tx.users.findByEmail(email);
      if (!person) throw notFound("user", email);
      if (person.disabledAt) throw new AppError("CONFLICT", `user ${email} is disabled`);
      // The key could never use more than its person holds: say so now, not with a weaker key later.
      if (!roleAllows(person.role, input.role))
        throw validationError([
          { path: "/role", message: `can be at most ${person.role}: ${email} is a ${person.role}` },
        ]);
      createdBy = person.id;
    }
    const apiKey: ApiKey = {
      id: newId(),
      name,
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      tokenHash: hashToken(token),
      role: input.role,
      createdBy,
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
    };
    const shown = toPublicApiKey(apiKey);
    await tx.apiKeys.insert(apiKey);
    await recordChange(tx, caller, now, {
      action: "api_key.create",
      entityType: "api_key",
      entityId: apiKey.id,
      before: null,
      after: shown,
    });
    return shown;
  });
  return { token, apiKey: shown };
}
