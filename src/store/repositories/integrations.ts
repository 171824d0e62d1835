import type { Kysely, Selectable } from "kysely";
import { heartbeatCheckJobKey } from "../../app/heartbeats/heartbeat-check-key.js";
import type { IntegrationRepository, PendingHeartbeatCheck } from "../../app/ports/alerting-store.js";
import type { AlertLevel } from "../../core/alerts/alert-event.js";
import type { Integration, IntegrationKind } from "../../core/alerts/records.js";
import type { DialectCapabilities } from "../capabilities.js";
import type { Database, IntegrationsTable } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";
import { inListChunks } from "./multi-row.js";

const numberOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

const toIntegration = (row: Selectable<IntegrationsTable>): Integration => ({
  id: row.id,
  serviceId: row.service_id,
  kind: row.kind as IntegrationKind,
  name: row.name,
  key: row.key,
  defaultLevel: row.default_level as AlertLevel,
  rateLimitPerMinute: Number(row.rate_limit_per_minute),
  heartbeatIntervalSeconds: numberOrNull(row.heartbeat_interval_seconds),
  heartbeatGraceSeconds: numberOrNull(row.heartbeat_grace_seconds),
  lastCheckInAt: fromMsOrNull(row.last_check_in_at),
  disabledAt: fromMsOrNull(row.disabled_at),
  createdAt: fromMs(row.created_at),
  rotatedAt: fromMsOrNull(row.rotated_at),
  // Only on archived ones: a live record reads back exactly as it was written.
  ...(row.archived_at !== null && { archivedAt: fromMs(row.archived_at) }),
});

const mutableColumns = (i: Integration) => ({
  service_id: i.serviceId,
  kind: i.kind,
  name: i.name,
  key: i.key,
  default_level: i.defaultLevel,
  rate_limit_per_minute: i.rateLimitPerMinute,
  heartbeat_interval_seconds: i.heartbeatIntervalSeconds,
  heartbeat_grace_seconds: i.heartbeatGraceSeconds,
  last_check_in_at: toMsOrNull(i.lastCheckInAt),
  disabled_at: toMsOrNull(i.disabledAt),
  rotated_at: toMsOrNull(i.rotatedAt),
});

export function integrationRepository(
  db: Kysely<Database>,
  caps: DialectCapabilities,
): IntegrationRepository {
  return {
    async insert(i) {
      await db
        .insertInto("integrations")
        .values({ id: i.id, created_at: toMs(i.createdAt), ...mutableColumns(i) })
        .execute();
    },
    async update(i) {
      await db.updateTable("integrations").set(mutableColumns(i)).where("id", "=", i.id).execute();
    },
    async findById(id) {
      const row = await db.selectFrom("integrations").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toIntegration(row);
    },
    async findForChange(id) {
      const row = await db
        .selectFrom("integrations")
        .selectAll()
        .where("id", "=", id)
        .where("archived_at", "is", null)
        .$if(caps.rowLocks, (q) => q.forUpdate())
        .executeTakeFirst();
      return row && toIntegration(row);
    },
    async findByKey(key) {
      const row = await db
        .selectFrom("integrations")
        .selectAll()
        .where("key", "=", key)
        .where("archived_at", "is", null)
        .executeTakeFirst();
      return row && toIntegration(row);
    },
    async findByKeys(keys) {
      const found: Integration[] = [];
      for (const chunk of inListChunks(keys)) {
        const rows = await db
          .selectFrom("integrations")
          .selectAll()
          .where("key", "in", chunk)
          .where("archived_at", "is", null)
          .execute();
        for (const row of rows) found.push(toIntegration(row));
      }
      return found;
    },
    async listForService(serviceId) {
      const rows = await db
        .selectFrom("integrations")
        .selectAll()
        .where("service_id", "=", serviceId)
        .where("archived_at", "is", null)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toIntegration);
    },
    async countByService(serviceId) {
      const rows = await db
        .selectFrom("integrations")
        .select((eb) => [
          "service_id",
          eb.fn.countAll<number | string | bigint>().as("total"),
          eb.fn
            .count<number | string | bigint>(eb.case().when("disabled_at", "is", null).then(1).end())
            .as("enabled"),
        ])
        .where("archived_at", "is", null)
        .where("kind", "!=", "manual")
        .$if(serviceId !== undefined, (q) => q.where("service_id", "=", serviceId as string))
        .groupBy("service_id")
        .execute();
      return new Map(
        rows.map((row) => [row.service_id, { total: Number(row.total), enabled: Number(row.enabled) }]),
      );
    },
    async pendingHeartbeatChecks(integrationIds) {
      const pending = new Map<string, PendingHeartbeatCheck>();
      const idByKey = new Map(integrationIds.map((id) => [heartbeatCheckJobKey(id), id]));
      for (const chunk of inListChunks([...idByKey.keys()])) {
        const rows = await db
          .selectFrom("jobs")
          .select(["job_key", "run_at", "payload_json"])
          .where("job_key", "in", chunk)
          .where("kind", "=", "heartbeat.check")
          .where("failed_at", "is", null)
          .execute();
        for (const row of rows) {
          const id = row.job_key === null ? undefined : idByKey.get(row.job_key);
          if (id === undefined) continue;
          const payload = JSON.parse(row.payload_json) as { checkInAtMs?: number | null };
          pending.set(id, { runAt: fromMs(row.run_at), checkInAtMs: payload.checkInAtMs ?? null });
        }
      }
      return pending;
    },
    async archive(id, at) {
      // Disabled too: a heartbeat timer or an ingest that read the key a moment ago then stops.
      await db
        .updateTable("integrations")
        .set((eb) => ({
          archived_at: toMs(at),
          disabled_at: eb.fn.coalesce("disabled_at", eb.val(toMs(at))),
        }))
        .where("id", "=", id)
        .where("archived_at", "is", null)
        .execute();
    },
  };
}
