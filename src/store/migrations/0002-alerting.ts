import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * The alert pipeline: policies, channels, services, integrations, alerts, incidents (+ their number
 * counter), timeline, contact methods and rules, deliveries, change events, maintenance, settings.
 * Booleans are INTEGER 0/1 and JSON is text in both databases; instants are BIGINT epoch ms.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createTable("escalation_policies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("steps_json", "text", (c) => c.notNull())
    .addColumn("repeat_count", "integer", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("notification_channels")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("config_json", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("services")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("set null"))
    .addColumn("escalation_policy_id", "text", (c) =>
      c.references("escalation_policies.id").onDelete("set null"),
    )
    .addColumn("channel_id", "text", (c) => c.references("notification_channels.id").onDelete("set null"))
    .addColumn("grouping_json", "text", (c) => c.notNull())
    .addColumn("auto_resolve", "integer", (c) => c.notNull())
    .addColumn("reopen_window_minutes", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("integrations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("default_level", "text", (c) => c.notNull())
    .addColumn("rate_limit_per_minute", "integer", (c) => c.notNull())
    .addColumn("heartbeat_interval_seconds", "integer")
    .addColumn("heartbeat_grace_seconds", "integer")
    .addColumn("last_check_in_at", "bigint")
    .addColumn("disabled_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("rotated_at", "bigint")
    .execute();
  await db.schema.createIndex("integrations_service").on("integrations").column("service_id").execute();

  await db.schema
    .createTable("incidents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("number", "bigint", (c) => c.notNull().unique())
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("grouping_key", "text", (c) => c.notNull())
    .addColumn("opened_at", "bigint", (c) => c.notNull())
    .addColumn("acknowledged_at", "bigint")
    .addColumn("acknowledged_by", "text")
    .addColumn("resolved_at", "bigint")
    .addColumn("resolved_by", "text")
    .addColumn("escalation_snapshot_json", "text")
    .addColumn("escalation_step", "integer", (c) => c.notNull())
    .addColumn("escalation_loop", "integer", (c) => c.notNull())
    .addColumn("escalation_version", "integer", (c) => c.notNull())
    .addColumn("assignee_ids_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // Grouping looks up open incidents by key; reopening looks up recently resolved ones.
  await db.schema
    .createIndex("incidents_open_group")
    .on("incidents")
    .columns(["service_id", "grouping_key"])
    .where(sql.ref("state"), "<>", "resolved")
    .execute();
  await db.schema
    .createIndex("incidents_resolved_group")
    .on("incidents")
    .columns(["service_id", "grouping_key", "resolved_at"])
    .where(sql.ref("state"), "=", "resolved")
    .execute();
  await db.schema.createIndex("incidents_state").on("incidents").column("state").execute();
  await db.schema
    .createIndex("incidents_service_number")
    .on("incidents")
    .columns(["service_id", "number"])
    .execute();

  // Incident numbers come from `UPDATE counters SET value = value + 1 … RETURNING value`: the row lock
  // (PostgreSQL) or the single writer (SQLite) makes it atomic, and a rollback gives the number back.
  await db.schema
    .createTable("counters")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into counters (name, value) values ('incident_number', 0)`.execute(db);

  await db.schema
    .createTable("alerts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addColumn("integration_id", "text", (c) => c.notNull().references("integrations.id").onDelete("cascade"))
    .addColumn("dedup_key", "text", (c) => c.notNull())
    .addColumn("grouping_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("suppressed", "integer", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("severity", "text")
    .addColumn("labels_json", "text", (c) => c.notNull())
    .addColumn("details_json", "text", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("links_json", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("last_event_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addColumn("resolved_at", "bigint")
    .addColumn("incident_id", "text", (c) => c.references("incidents.id").onDelete("set null"))
    .addColumn("event_count", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  // At most one firing alert per (service, dedup key); resolved ones may repeat the key.
  await db.schema
    .createIndex("alerts_firing_dedup")
    .unique()
    .on("alerts")
    .columns(["service_id", "dedup_key"])
    .where(sql.ref("status"), "=", "firing")
    .execute();
  await db.schema.createIndex("alerts_incident").on("alerts").column("incident_id").execute();
  await db.schema.createIndex("alerts_created").on("alerts").columns(["created_at", "id"]).execute();

  await db.schema
    .createTable("timeline_entries")
    .addColumn("id", caps.autoIncrementType, caps.autoIncrement)
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_kind", "text")
    .addColumn("actor_id", "text")
    .addColumn("actor_label", "text")
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("timeline_entries_incident")
    .on("timeline_entries")
    .columns(["incident_id", "id"])
    .execute();

  await db.schema
    .createTable("contact_methods")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("config_json", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("contact_methods_user").on("contact_methods").column("user_id").execute();

  await db.schema
    .createTable("notification_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("contact_method_id", "text", (c) =>
      c.notNull().references("contact_methods.id").onDelete("cascade"),
    )
    .addColumn("delay_minutes", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notification_rules_user").on("notification_rules").column("user_id").execute();
  await db.schema
    .createIndex("notification_rules_method")
    .on("notification_rules")
    .column("contact_method_id")
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("recipient_kind", "text", (c) => c.notNull())
    .addColumn("recipient_id", "text", (c) => c.notNull())
    .addColumn("contact_method_id", "text", (c) => c.references("contact_methods.id").onDelete("set null"))
    .addColumn("channel_id", "text", (c) => c.references("notification_channels.id").onDelete("set null"))
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("external_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint")
    .execute();
  await db.schema.createIndex("deliveries_incident").on("deliveries").column("incident_id").execute();

  await db.schema
    .createTable("change_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addColumn("integration_id", "text", (c) => c.notNull().references("integrations.id").onDelete("cascade"))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .addColumn("details_json", "text", (c) => c.notNull())
    .addColumn("links_json", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("change_events_service_time")
    .on("change_events")
    .columns(["service_id", "occurred_at"])
    .execute();

  await db.schema
    .createTable("maintenance_windows")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addColumn("window_json", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    // The actor's id (a user or an API key), kept as written: no foreign key.
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("maintenance_windows_service")
    .on("maintenance_windows")
    .column("service_id")
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
