import type { Kysely, Selectable } from "kysely";
import type { SessionRepository, SignInLinkRepository } from "../../app/ports/store.js";
import type { Session, SignInLink } from "../../core/auth/records.js";
import type { Database, SessionsTable, SignInLinksTable } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";

const toSession = (row: Selectable<SessionsTable>): Session => ({
  id: row.id,
  tokenHash: row.token_hash,
  csrfToken: row.csrf_token,
  userId: row.user_id,
  createdAt: fromMs(row.created_at),
  expiresAt: fromMs(row.expires_at),
});

const toLink = (row: Selectable<SignInLinksTable>): SignInLink => ({
  id: row.id,
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: fromMs(row.created_at),
  expiresAt: fromMs(row.expires_at),
  usedAt: fromMsOrNull(row.used_at),
});

export function sessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async insert(s) {
      await db
        .insertInto("sessions")
        .values({
          id: s.id,
          token_hash: s.tokenHash,
          csrf_token: s.csrfToken,
          user_id: s.userId,
          created_at: toMs(s.createdAt),
          expires_at: toMs(s.expiresAt),
        })
        .execute();
    },
    async findByTokenHash(tokenHash) {
      const row = await db
        .selectFrom("sessions")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row && toSession(row);
    },
    async delete(id) {
      await db.deleteFrom("sessions").where("id", "=", id).execute();
    },
    async deleteForUser(userId, keepSessionId) {
      await db
        .deleteFrom("sessions")
        .where("user_id", "=", userId)
        .$if(keepSessionId !== undefined, (q) => q.where("id", "!=", keepSessionId as string))
        .execute();
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom("sessions").where("expires_at", "<=", toMs(now)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export function signInLinkRepository(db: Kysely<Database>): SignInLinkRepository {
  return {
    async insert(l) {
      await db
        .insertInto("sign_in_links")
        .values({
          id: l.id,
          token_hash: l.tokenHash,
          user_id: l.userId,
          created_at: toMs(l.createdAt),
          expires_at: toMs(l.expiresAt),
          used_at: toMsOrNull(l.usedAt),
        })
        .execute();
    },
    async findByTokenHash(tokenHash) {
      const row = await db
        .selectFrom("sign_in_links")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row && toLink(row);
    },
    async markUsed(id, at) {
      const result = await db
        .updateTable("sign_in_links")
        .set({ used_at: toMs(at) })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async expireForUser(userId, at) {
      await db
        .updateTable("sign_in_links")
        .set({ expires_at: toMs(at) })
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .where("expires_at", ">", toMs(at))
        .execute();
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom("sign_in_links")
        .where("expires_at", "<=", toMs(now))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
