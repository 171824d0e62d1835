import type { Kysely, Selectable } from "kysely";
import type {
  ServiceResponseSettings,
  ServiceResponseSettingsRepository,
  TitledLink,
  Vendor,
  VendorRepository,
} from "../../app/ports/response-store.js";
import type { FollowUpHours } from "../../core/response/fix-follow-ups.js";
import type { ServiceResponseSettingsTable, VendorsTable } from "../response-schema.js";
import type { Database } from "../schema.js";
import { fromJsonText, toJsonText } from "./json.js";

const toVendor = (row: Selectable<VendorsTable>): Vendor => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  url: row.url,
  notes: row.notes,
  createdAtMs: Number(row.created_at_ms),
  updatedAtMs: Number(row.updated_at_ms),
});

export function vendorRepository(db: Kysely<Database>): VendorRepository {
  return {
    async insert(v) {
      await db
        .insertInto("vendors")
        .values({
          id: v.id,
          name: v.name,
          phone: v.phone,
          url: v.url,
          notes: v.notes,
          created_at_ms: v.createdAtMs,
          updated_at_ms: v.updatedAtMs,
        })
        .execute();
    },
    async update(v) {
      await db
        .updateTable("vendors")
        .set({ name: v.name, phone: v.phone, url: v.url, notes: v.notes, updated_at_ms: v.updatedAtMs })
        .where("id", "=", v.id)
        .execute();
    },
    async delete(id) {
      const result = await db.deleteFrom("vendors").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async findById(id) {
      const row = await db.selectFrom("vendors").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toVendor(row);
    },
    async findByName(name) {
      const row = await db.selectFrom("vendors").selectAll().where("name", "=", name).executeTakeFirst();
      return row && toVendor(row);
    },
    async list() {
      const rows = await db.selectFrom("vendors").selectAll().orderBy("name").execute();
      return rows.map(toVendor);
    },
  };
}

const toSettings = (row: Selectable<ServiceResponseSettingsTable>): ServiceResponseSettings => ({
  serviceId: row.service_id,
  runbookUrl: row.runbook_url,
  dashboards: fromJsonText<TitledLink[]>(row.dashboards_json),
  links: fromJsonText<TitledLink[]>(row.links_json),
  watchMinutes: Number(row.watch_minutes),
  followUpHours: fromJsonText<FollowUpHours>(row.follow_up_hours_json),
  publicUpdateEveryMinutes: Number(row.public_update_every_minutes),
  stakeholderEmails: fromJsonText<string[]>(row.stakeholder_emails_json),
  dependentServiceIds: fromJsonText<string[]>(row.dependent_service_ids_json),
  updatedAtMs: Number(row.updated_at_ms),
});

export function serviceResponseSettingsRepository(db: Kysely<Database>): ServiceResponseSettingsRepository {
  return {
    async find(serviceId) {
      const row = await db
        .selectFrom("service_response_settings")
        .selectAll()
        .where("service_id", "=", serviceId)
        .executeTakeFirst();
      return row && toSettings(row);
    },
    async upsert(s) {
      const columns = {
        runbook_url: s.runbookUrl,
        dashboards_json: toJsonText(s.dashboards),
        links_json: toJsonText(s.links),
        watch_minutes: s.watchMinutes,
        follow_up_hours_json: toJsonText(s.followUpHours),
        public_update_every_minutes: s.publicUpdateEveryMinutes,
        stakeholder_emails_json: toJsonText(s.stakeholderEmails),
        dependent_service_ids_json: toJsonText(s.dependentServiceIds),
        updated_at_ms: s.updatedAtMs,
      };
      await db
        .insertInto("service_response_settings")
        .values({ service_id: s.serviceId, ...columns })
        .onConflict((oc) => oc.column("service_id").doUpdateSet(columns))
        .execute();
    },
  };
}
