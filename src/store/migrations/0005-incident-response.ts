import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * Incident response: the war room of each incident (triage, roles, phase, watch, channel), its attack
 * plan, fix log, proper-fix follow-ups and public updates; the vendors of the contact directory; and each
 * service's response settings. All keyed by incident or service id: the incidents table is not changed.
 * Instants are BIGINT epoch ms (`_ms`); JSON is text; booleans are INTEGER 0/1.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  // One row per incident once anyone acts on its response; `version` fences concurrent changes.
  await db.schema
    .createTable("incident_responses")
    .addColumn("incident_id", "text", (c) => c.primaryKey().references("incidents.id").onDelete("cascade"))
    .addColumn("phase", "text", (c) => c.notNull())
    .addColumn("severity", "text")
    .addColumn("level", "text")
    .addColumn("on_call_can_handle", "integer")
    .addColumn("call_in_json", "text", (c) => c.notNull())
    .addColumn("triage_note", "text", (c) => c.notNull())
    .addColumn("triaged_at_ms", "bigint")
    .addColumn("triaged_by", "text")
    .addColumn("handler_id", "text")
    .addColumn("comms_lead_id", "text")
    .addColumn("responder_ids_json", "text", (c) => c.notNull())
    .addColumn("pending_handover_json", "text")
    .addColumn("watch_json", "text")
    .addColumn("public_update_required_since_ms", "bigint")
    .addColumn("video_call_url", "text")
    .addColumn("channel_kind", "text")
    .addColumn("channel_id", "text")
    .addColumn("channel_name", "text")
    .addColumn("channel_url", "text")
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("incident_tasks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("owner_id", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("pending_handover_json", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("incident_tasks_incident")
    .on("incident_tasks")
    .columns(["incident_id", "created_at_ms"])
    .execute();
  // "My open tasks" across incidents.
  await db.schema
    .createIndex("incident_tasks_owner")
    .on("incident_tasks")
    .columns(["owner_id", "state"])
    .execute();

  await db.schema
    .createTable("incident_fixes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("started_at_ms", "bigint", (c) => c.notNull())
    .addColumn("deployed_at_ms", "bigint")
    .addColumn("verified_at_ms", "bigint")
    .addColumn("failed_at_ms", "bigint")
    .addColumn("overridden_by", "text")
    .addColumn("override_reason", "text")
    .addUniqueConstraint("incident_fixes_number", ["incident_id", "number"])
    .execute();

  await db.schema
    .createTable("fix_follow_ups")
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("fix_number", "integer", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("due_at_ms", "bigint", (c) => c.notNull())
    .addColumn("closed_at_ms", "bigint")
    .addColumn("closed_by", "text")
    .addColumn("note", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("fix_follow_ups_pk", ["incident_id", "fix_number"])
    .execute();
  // The half-done-fixes report: open ones by deadline.
  await db.schema
    .createIndex("fix_follow_ups_state_due")
    .on("fix_follow_ups")
    .columns(["state", "due_at_ms"])
    .execute();

  await db.schema
    .createTable("public_updates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("posted_by", "text", (c) => c.notNull())
    .addColumn("posted_at_ms", "bigint", (c) => c.notNull())
    .addColumn("component_ids_json", "text", (c) => c.notNull())
    .addColumn("published_at_ms", "bigint")
    .execute();
  await db.schema
    .createIndex("public_updates_incident")
    .on("public_updates")
    .columns(["incident_id", "posted_at_ms"])
    .execute();

  await db.schema
    .createTable("vendors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("phone", "text")
    .addColumn("url", "text")
    .addColumn("notes", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("service_response_settings")
    .addColumn("service_id", "text", (c) => c.primaryKey().references("services.id").onDelete("cascade"))
    .addColumn("runbook_url", "text")
    .addColumn("dashboards_json", "text", (c) => c.notNull())
    .addColumn("links_json", "text", (c) => c.notNull())
    .addColumn("watch_minutes", "integer", (c) => c.notNull())
    .addColumn("follow_up_hours_json", "text", (c) => c.notNull())
    .addColumn("public_update_every_minutes", "integer", (c) => c.notNull())
    .addColumn("stakeholder_emails_json", "text", (c) => c.notNull())
    .addColumn("dependent_service_ids_json", "text", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
}
