import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * Public status pages: pages (with a version bumped by every change of what they show, the public
 * cache's key), component groups, components and their links to services, incidents and their
 * updates, scheduled maintenances and their updates, and subscribers (tokens stored as hashes).
 * Instants are BIGINT epoch ms (`_ms`); JSON is text; booleans are INTEGER 0/1.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createTable("status_pages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("logo_url", "text")
    .addColumn("brand_color", "text", (c) => c.notNull())
    .addColumn("custom_domain", "text", (c) => c.unique())
    .addColumn("is_private", "integer", (c) => c.notNull())
    .addColumn("secret_token_hash", "text")
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("status_component_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("status_pages.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_component_groups_page")
    .on("status_component_groups")
    .column("page_id")
    .execute();

  await db.schema
    .createTable("status_components")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("status_pages.id").onDelete("cascade"))
    // Deleting a group ungroups its components (the use case does it; no FK so both dialects agree).
    .addColumn("group_id", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("manual_status", "text")
    .addColumn("only_show_if_degraded", "integer", (c) => c.notNull())
    .addColumn("showcase", "integer", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("status_components_page").on("status_components").column("page_id").execute();

  // Which services a component reflects: the response workflow publishes to the pages of these.
  await db.schema
    .createTable("status_component_services")
    .addColumn("component_id", "text", (c) =>
      c.notNull().references("status_components.id").onDelete("cascade"),
    )
    .addColumn("service_id", "text", (c) => c.notNull().references("services.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("status_component_services_pk", ["component_id", "service_id"])
    .execute();
  await db.schema
    .createIndex("status_component_services_service")
    .on("status_component_services")
    .column("service_id")
    .execute();

  await db.schema
    .createTable("status_incidents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("status_pages.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("impact", "text", (c) => c.notNull())
    .addColumn("component_ids_json", "text", (c) => c.notNull())
    .addColumn("component_status", "text", (c) => c.notNull())
    .addColumn("source_incident_id", "text")
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .addColumn("monitoring_at_ms", "bigint")
    .addColumn("resolved_at_ms", "bigint")
    // One status incident per page and response-workflow incident (NULLs are distinct in both).
    .addUniqueConstraint("status_incidents_source", ["page_id", "source_incident_id"])
    .execute();
  await db.schema
    .createIndex("status_incidents_page_created")
    .on("status_incidents")
    .columns(["page_id", "created_at_ms"])
    .execute();

  await db.schema
    .createTable("status_incident_updates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("incident_id", "text", (c) =>
      c.notNull().references("status_incidents.id").onDelete("cascade"),
    )
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("component_status", "text")
    .addColumn("affected_json", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_incident_updates_incident")
    .on("status_incident_updates")
    .columns(["incident_id", "created_at_ms"])
    .execute();

  await db.schema
    .createTable("status_maintenances")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("status_pages.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("component_ids_json", "text", (c) => c.notNull())
    .addColumn("scheduled_for_ms", "bigint", (c) => c.notNull())
    .addColumn("scheduled_until_ms", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("started_at_ms", "bigint")
    .addColumn("completed_at_ms", "bigint")
    .addColumn("cancelled_at_ms", "bigint")
    // The services whose maintenance windows this maintenance made (to undo them when it changes).
    .addColumn("held_service_ids_json", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_maintenances_page_for")
    .on("status_maintenances")
    .columns(["page_id", "scheduled_for_ms"])
    .execute();

  await db.schema
    .createTable("status_maintenance_updates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("maintenance_id", "text", (c) =>
      c.notNull().references("status_maintenances.id").onDelete("cascade"),
    )
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_maintenance_updates_maintenance")
    .on("status_maintenance_updates")
    .columns(["maintenance_id", "created_at_ms"])
    .execute();

  await db.schema
    .createTable("status_subscribers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("status_pages.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    // '' for email subscribers, so the unique key below also holds on PostgreSQL (NULLs are distinct).
    .addColumn("webhook_url", "text", (c) => c.notNull())
    .addColumn("confirm_token_hash", "text", (c) => c.notNull().unique())
    .addColumn("unsubscribe_token_hash", "text", (c) => c.notNull().unique())
    .addColumn("confirmed_at_ms", "bigint")
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addUniqueConstraint("status_subscribers_address", ["page_id", "kind", "email", "webhook_url"])
    .execute();
}
