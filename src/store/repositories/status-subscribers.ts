import type { Kysely, Selectable } from "kysely";
import type { StatusSubscriberRepository } from "../../app/ports/status-store.js";
import type { StatusSubscriberRecord, SubscriberKind } from "../../core/status/status-records.js";
import type { Database } from "../schema.js";
import type { StatusSubscribersTable } from "../status-schema.js";

const toSubscriber = (r: Selectable<StatusSubscribersTable>): StatusSubscriberRecord => ({
  id: r.id,
  pageId: r.page_id,
  kind: r.kind as SubscriberKind,
  email: r.email,
  webhookUrl: r.webhook_url === "" ? null : r.webhook_url,
  confirmTokenHash: r.confirm_token_hash,
  unsubscribeTokenHash: r.unsubscribe_token_hash,
  confirmedAtMs: r.confirmed_at_ms === null ? null : Number(r.confirmed_at_ms),
  createdAtMs: Number(r.created_at_ms),
});

export function statusSubscriberRepository(db: Kysely<Database>): StatusSubscriberRepository {
  const findBy = async (column: "id" | "confirm_token_hash" | "unsubscribe_token_hash", value: string) => {
    const r = await db
      .selectFrom("status_subscribers")
      .selectAll()
      .where(column, "=", value)
      .executeTakeFirst();
    return r && toSubscriber(r);
  };
  return {
    async insert(s) {
      await db
        .insertInto("status_subscribers")
        .values({
          id: s.id,
          page_id: s.pageId,
          kind: s.kind,
          email: s.email,
          webhook_url: s.webhookUrl ?? "",
          confirm_token_hash: s.confirmTokenHash,
          unsubscribe_token_hash: s.unsubscribeTokenHash,
          confirmed_at_ms: s.confirmedAtMs,
          created_at_ms: s.createdAtMs,
        })
        .execute();
    },
    findById: (id) => findBy("id", id),
    findByConfirmTokenHash: (hash) => findBy("confirm_token_hash", hash),
    findByUnsubscribeTokenHash: (hash) => findBy("unsubscribe_token_hash", hash),
    async findByAddress(pageId, kind, email, webhookUrl) {
      const r = await db
        .selectFrom("status_subscribers")
        .selectAll()
        .where("page_id", "=", pageId)
        .where("kind", "=", kind)
        .where("email", "=", email)
        .where("webhook_url", "=", webhookUrl ?? "")
        .executeTakeFirst();
      return r && toSubscriber(r);
    },
    async confirm(id, atMs) {
      await db
        .updateTable("status_subscribers")
        .set({ confirmed_at_ms: atMs })
        .where("id", "=", id)
        .where("confirmed_at_ms", "is", null)
        .execute();
    },
    async delete(id) {
      const result = await db.deleteFrom("status_subscribers").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listForPage(pageId) {
      const rows = await db
        .selectFrom("status_subscribers")
        .selectAll()
        .where("page_id", "=", pageId)
        .orderBy("created_at_ms")
        .orderBy("id")
        .execute();
      return rows.map(toSubscriber);
    },
    async listConfirmedIds(pageId) {
      const rows = await db
        .selectFrom("status_subscribers")
        .select("id")
        .where("page_id", "=", pageId)
        .where("confirmed_at_ms", "is not", null)
        .orderBy("id")
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
