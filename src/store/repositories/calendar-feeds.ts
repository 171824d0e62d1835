import type { Kysely, Selectable } from "kysely";
import type { CalendarFeedRepository } from "../../app/ports/schedule-store.js";
import type { CalendarFeed } from "../../core/schedules/records.js";
import type { CalendarFeedsTable, Database } from "../schema.js";

const toFeed = (row: Selectable<CalendarFeedsTable>): CalendarFeed => ({
  id: row.id,
  owner:
    row.schedule_id !== null
      ? { kind: "schedule", id: row.schedule_id }
      : { kind: "user", id: row.user_id as string },
  tokenHash: row.token_hash,
  createdAtMs: Number(row.created_at_ms),
});

const ownerColumn = (owner: CalendarFeed["owner"]) => (owner.kind === "schedule" ? "schedule_id" : "user_id");

export function calendarFeedRepository(db: Kysely<Database>): CalendarFeedRepository {
  return {
    async findByTokenHash(tokenHash) {
      const row = await db
        .selectFrom("calendar_feeds")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row && toFeed(row);
    },
    async findForOwner(owner) {
      const row = await db
        .selectFrom("calendar_feeds")
        .selectAll()
        .where(ownerColumn(owner), "=", owner.id)
        .executeTakeFirst();
      return row && toFeed(row);
    },
    async replace(feed) {
      await db.deleteFrom("calendar_feeds").where(ownerColumn(feed.owner), "=", feed.owner.id).execute();
      await db
        .insertInto("calendar_feeds")
        .values({
          id: feed.id,
          token_hash: feed.tokenHash,
          schedule_id: feed.owner.kind === "schedule" ? feed.owner.id : null,
          user_id: feed.owner.kind === "user" ? feed.owner.id : null,
          created_at_ms: feed.createdAtMs,
        })
        .execute();
    },
  };
}
