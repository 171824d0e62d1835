import type { Kysely, Selectable } from "kysely";
import type { ApiKeyRepository } from "../../app/ports/store.js";
import type { ApiKey } from "../../core/auth/records.js";
import type { Role } from "../../core/auth/roles.js";
import type { ApiKeysTable, Database } from "../schema.js";
import { fromMs, fromMsOrNull, toMs } from "./instants.js";

const toApiKey = (row: Selectable<ApiKeysTable>): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  tokenHash: row.token_hash,
  role: row.role as Role,
  createdBy: row.created_by,
  createdAt: fromMs(row.created_at),
  lastUsedAt: fromMsOrNull(row.last_used_at),
  revokedAt: fromMsOrNull(row.revoked_at),
});

export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async insert(k) {
      await db
        .insertInto("api_keys")
        .values({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          token_hash: k.tokenHash,
          role: k.role,
          created_by: k.createdBy,
          created_at: toMs(k.createdAt),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toApiKey(row);
    },
    async findByTokenHash(tokenHash) {
      const row = await db
        .selectFrom("api_keys")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row && toApiKey(row);
    },
    async list() {
      const rows = await db
        .selectFrom("api_keys")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map(toApiKey);
    },
    async revoke(id, at) {
      await db
        .updateTable("api_keys")
        .set({ revoked_at: toMs(at) })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .execute();
    },
    async touchLastUsed(id, at) {
      await db
        .updateTable("api_keys")
        .set({ last_used_at: toMs(at) })
        .where("id", "=", id)
        .execute();
    },
  };
}
