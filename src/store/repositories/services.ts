import type { Kysely, Selectable } from "kysely";
import type { ServiceRepository } from "../../app/ports/alerting-store.js";
import type { Service } from "../../core/alerts/records.js";
import type { GroupingRule } from "../../core/incidents/grouping.js";
import type { DialectCapabilities } from "../capabilities.js";
import type { Database, ServicesTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromFlag, fromJsonText, toFlag, toJsonText } from "./json.js";

const toService = (row: Selectable<ServicesTable>): Service => ({
  id: row.id,
  // An archived service keeps its name here; `name` then holds a placeholder (see archivedNameHolder).
  name: row.archived_name ?? row.name,
  description: row.description,
  teamId: row.team_id,
  escalationPolicyId: row.escalation_policy_id,
  channelId: row.channel_id,
  grouping: fromJsonText<GroupingRule>(row.grouping_json),
  autoResolve: fromFlag(row.auto_resolve),
  reopenWindowMinutes: Number(row.reopen_window_minutes),
  createdAt: fromMs(row.created_at),
  updatedAt: fromMs(row.updated_at),
  // Only on archived ones: a live record reads back exactly as it was written.
  ...(row.archived_at !== null && { archivedAt: fromMs(row.archived_at) }),
});

/**
 * What an archived service holds in the unique `name` column, so the name is free for a new service:
 * its id (unique) behind a control character no person types.
 */
const archivedNameHolder = (id: string) => `\u001farchived ${id}`;

const mutableColumns = (s: Service) => ({
  name: s.name,
  description: s.description,
  team_id: s.teamId,
  escalation_policy_id: s.escalationPolicyId,
  channel_id: s.channelId,
  grouping_json: toJsonText(s.grouping),
  auto_resolve: toFlag(s.autoResolve),
  reopen_window_minutes: s.reopenWindowMinutes,
  updated_at: toMs(s.updatedAt),
});

export function serviceRepository(db: Kysely<Database>, caps: DialectCapabilities): ServiceRepository {
  return {
    async lockAlertGroups(serviceId, groupingKeys) {
      return caps.lockAlertGroups(db, serviceId, groupingKeys);
    },
    async insert(s) {
      await db
        .insertInto("services")
        .values({ id: s.id, created_at: toMs(s.createdAt), ...mutableColumns(s) })
        .execute();
    },
    async update(s) {
      await db.updateTable("services").set(mutableColumns(s)).where("id", "=", s.id).execute();
    },
    async findById(id) {
      const row = await db.selectFrom("services").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toService(row);
    },
    async findByName(name) {
      const row = await db
        .selectFrom("services")
        .selectAll()
        .where("name", "=", name)
        .where("archived_at", "is", null)
        .executeTakeFirst();
      return row && toService(row);
    },
    async list() {
      const rows = await db
        .selectFrom("services")
        .selectAll()
        .where("archived_at", "is", null)
        .orderBy("name")
        .execute();
      return rows.map(toService);
    },
    async listArchived() {
      const rows = await db
        .selectFrom("services")
        .selectAll()
        .where("archived_at", "is not", null)
        .orderBy("archived_name")
        .orderBy("archived_at")
        .execute();
      return rows.map(toService);
    },
    async archive(id, at) {
      await db
        .updateTable("services")
        .set((eb) => ({
          archived_at: toMs(at),
          archived_name: eb.ref("name"),
          name: archivedNameHolder(id),
          updated_at: toMs(at),
        }))
        .where("id", "=", id)
        .where("archived_at", "is", null)
        .execute();
    },
  };
}
