import type { Kysely, Selectable } from "kysely";
import type { ChannelRepository } from "../../app/ports/alerting-store.js";
import type { NotificationChannel } from "../../core/alerts/records.js";
import type { DialectCapabilities } from "../capabilities.js";
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

/**
 * The advisory lock scope of channel names. lockAlertGroups keys its locks by (service id, key); no
 * service id starts with NUL, so this never holds up alert processing.
 */
const CHANNEL_NAMES_SCOPE = "\u0000channel names";

/** Row locks, strongest first: a delete conflicts with both others; a rename and a use do not conflict. */
type ChannelRowLock = "delete" | "change" | "use";

export function channelRepository(db: Kysely<Database>, caps: DialectCapabilities): ChannelRepository {
  const findLocked = async (id: string, lock: ChannelRowLock) => {
    const row = await db
      .selectFrom("notification_channels")
      .selectAll()
      .where("id", "=", id)
      .$if(caps.rowLocks && lock === "delete", (q) => q.forUpdate())
      .$if(caps.rowLocks && lock === "change", (q) => q.forNoKeyUpdate())
      .$if(caps.rowLocks && lock === "use", (q) => q.forKeyShare())
      .executeTakeFirst();
    return row && toChannel(row);
  };
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
    findForChange: (id) => findLocked(id, "change"),
    findForDelete: (id) => findLocked(id, "delete"),
    findForUse: (id) => findLocked(id, "use"),
    async lockNames() {
      await caps.lockAlertGroups(db, CHANNEL_NAMES_SCOPE, ["names"]);
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
    async listOpenWarRoomIncidents(channelId, limit) {
      const rows = await db
        .selectFrom("incident_responses as r")
        .innerJoin("incidents as i", "i.id", "r.incident_id")
        .select("i.number")
        .where("r.channel_kind", "=", "thread")
        .where("r.channel_id", "=", channelId)
        .where("i.state", "!=", "resolved")
        .orderBy("i.number")
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.number));
    },
  };
}
