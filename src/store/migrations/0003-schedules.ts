import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/**
 * On-call schedules: schedules, their layers and rotation versions, overrides, shift trades, secret
 * calendar feeds, and each user's optional time zone. Instants are BIGINT epoch ms (named `_ms`);
 * JSON is text in both databases.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  await db.schema.alterTable("users").addColumn("time_zone", "text").execute();

  await db.schema
    .createTable("schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("set null"))
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("schedules_team").on("schedules").column("team_id").execute();

  // A layer is a rotation (its versions below) or a fixed list of shifts (an imported calendar).
  await db.schema
    .createTable("schedule_layers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("fixed_shifts_json", "text")
    .addColumn("ended_at_ms", "bigint")
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("schedule_layers_schedule")
    .on("schedule_layers")
    .column("schedule_id")
    .execute();

  // Editing a rotation closes the version in force and adds one: the past keeps the settings it had.
  await db.schema
    .createTable("rotation_versions")
    .addColumn("layer_id", "text", (c) => c.notNull().references("schedule_layers.id").onDelete("cascade"))
    .addColumn("effective_from_ms", "bigint", (c) => c.notNull())
    .addColumn("effective_until_ms", "bigint")
    .addColumn("settings_json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rotation_versions_pk", ["layer_id", "effective_from_ms"])
    .execute();

  await db.schema
    .createTable("schedule_overrides")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("start_ms", "bigint", (c) => c.notNull())
    .addColumn("end_ms", "bigint", (c) => c.notNull())
    .addColumn("replaces_user_id", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();
  // Look-ups ask for the overrides of a schedule that end after some instant.
  await db.schema
    .createIndex("schedule_overrides_schedule_end")
    .on("schedule_overrides")
    .columns(["schedule_id", "end_ms"])
    .execute();

  await db.schema
    .createTable("shift_trades")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("requester_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("shift_start_ms", "bigint", (c) => c.notNull())
    .addColumn("shift_end_ms", "bigint", (c) => c.notNull())
    .addColumn("swap_start_ms", "bigint")
    .addColumn("swap_end_ms", "bigint")
    .addColumn("offered_to", "text")
    .addColumn("accepted_by", "text")
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("override_ids_json", "text", (c) => c.notNull())
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("decided_at_ms", "bigint")
    .execute();
  await db.schema
    .createIndex("shift_trades_schedule_state")
    .on("shift_trades")
    .columns(["schedule_id", "state"])
    .execute();
  await db.schema.createIndex("shift_trades_state").on("shift_trades").column("state").execute();

  // Only a hash of the URL's token is kept (as for API keys); rotating replaces the owner's row.
  await db.schema
    .createTable("calendar_feeds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("schedule_id", "text", (c) => c.unique().references("schedules.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.unique().references("users.id").onDelete("cascade"))
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();
}
