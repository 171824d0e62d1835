import type { Kysely, Selectable } from "kysely";
import type { ChannelRepository } from "../../app/ports/alerting-store.js";
import type { NotificationChannel } from "../../core/alerts/records.js";
import type { Database, NotificationChannelsTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

const toChannel = (row: Selectable<NotificationChannelsTable>): NotificationChannel => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  config: fromJsonText<NotificationChannel["config"]>(row.config_json),
  createdAt: fromMs(row.created_at),
  updatedAt: fromMs(row.updated_at),
});

const mutableColumns = (c: NotificationChannel) => ({
  name: c.name,
  kind: c.kind,
  config_json: toJsonText(c.config),
  updated_at: toMs(c.updatedAt),
});

export function channelRepository(db: Kysely<Database>): ChannelRepository {
  return {
    async insert(c) {
      await db
        .insertInto("notification_channels")
        .values({ id: c.id, created_at: toMs(c.createdAt), ...mutableColumns(c) })
        .execute();
    },
    async update(c) {
      await db.updateTable("notification_channels").set(mutableColumns(c)).where("id", "=", c.id).execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom("notification_channels")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toChannel(row);
    },
    async delete(id) {
      const result = await db.deleteFrom("notification_channels").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await db
        .selectFrom("notification_channels")
        .selectAll()
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(toChannel);
    },
  };
}
