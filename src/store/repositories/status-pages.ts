import { sql, type Kysely, type Selectable } from "kysely";
import type {
  StatusComponentRepository,
  StatusPageHead,
  StatusPageRepository,
} from "../../app/ports/status-store.js";
import type {
  ComponentGroupRecord,
  ComponentStatus,
  StatusComponentRecord,
  StatusPageRecord,
} from "../../core/status/status-records.js";
import type { Database } from "../schema.js";
import type {
  StatusComponentGroupsTable,
  StatusComponentsTable,
  StatusPagesTable,
} from "../status-schema.js";
import { fromFlag, toFlag } from "./json.js";

const toPage = (row: Selectable<StatusPagesTable>): StatusPageRecord => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  logoUrl: row.logo_url,
  brandColor: row.brand_color,
  customDomain: row.custom_domain,
  private: fromFlag(row.is_private),
  secretTokenHash: row.secret_token_hash,
  timeZone: row.time_zone,
  version: Number(row.version),
  createdAtMs: Number(row.created_at_ms),
  updatedAtMs: Number(row.updated_at_ms),
});

const toHead = (
  row: Pick<
    Selectable<StatusPagesTable>,
    "id" | "slug" | "custom_domain" | "is_private" | "secret_token_hash" | "version"
  >,
): StatusPageHead => ({
  id: row.id,
  slug: row.slug,
  customDomain: row.custom_domain,
  private: fromFlag(row.is_private),
  secretTokenHash: row.secret_token_hash,
  version: Number(row.version),
});

export function statusPageRepository(db: Kysely<Database>): StatusPageRepository {
  const row = (p: StatusPageRecord) => ({
    slug: p.slug,
    title: p.title,
    logo_url: p.logoUrl,
    brand_color: p.brandColor,
    custom_domain: p.customDomain,
    is_private: toFlag(p.private),
    secret_token_hash: p.secretTokenHash,
    time_zone: p.timeZone,
    created_at_ms: p.createdAtMs,
    updated_at_ms: p.updatedAtMs,
  });
  return {
    async insert(p) {
      await db
        .insertInto("status_pages")
        .values({ id: p.id, version: p.version, ...row(p) })
        .execute();
    },
    async update(p) {
      await db.updateTable("status_pages").set(row(p)).where("id", "=", p.id).execute();
    },
    async delete(id) {
      const result = await db.deleteFrom("status_pages").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async findById(id) {
      const r = await db.selectFrom("status_pages").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toPage(r);
    },
    async findBySlug(slug) {
      const r = await db.selectFrom("status_pages").selectAll().where("slug", "=", slug).executeTakeFirst();
      return r && toPage(r);
    },
    async list() {
      const rows = await db.selectFrom("status_pages").selectAll().orderBy("title").orderBy("id").execute();
      return rows.map(toPage);
    },
    async touch(id, atMs) {
      // updated_at never goes backwards, even when two changes commit out of clock order.
      const r = await db
        .updateTable("status_pages")
        .set({
          version: sql<number>`version + 1`,
          updated_at_ms: sql<number>`case when updated_at_ms > ${atMs} then updated_at_ms else ${atMs} end`,
        })
        .where("id", "=", id)
        .returning("version")
        .executeTakeFirst();
      return Number(r?.version ?? 0);
    },
    async listHeads() {
      const rows = await db
        .selectFrom("status_pages")
        .select(["id", "slug", "custom_domain", "is_private", "secret_token_hash", "version"])
        .execute();
      return rows.map(toHead);
    },
    async headOf(id) {
      const r = await db
        .selectFrom("status_pages")
        .select(["id", "slug", "custom_domain", "is_private", "secret_token_hash", "version"])
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toHead(r);
    },
  };
}

const toGroup = (r: Selectable<StatusComponentGroupsTable>): ComponentGroupRecord => ({
  id: r.id,
  pageId: r.page_id,
  name: r.name,
  position: Number(r.position),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

const toComponent = (r: Selectable<StatusComponentsTable>, serviceIds: string[]): StatusComponentRecord => ({
  id: r.id,
  pageId: r.page_id,
  groupId: r.group_id,
  name: r.name,
  description: r.description,
  position: Number(r.position),
  serviceIds,
  manualStatus: r.manual_status as ComponentStatus | null,
  onlyShowIfDegraded: fromFlag(r.only_show_if_degraded),
  showcase: fromFlag(r.showcase),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

export function statusComponentRepository(db: Kysely<Database>): StatusComponentRepository {
  const withServices = async (
    rows: Selectable<StatusComponentsTable>[],
  ): Promise<StatusComponentRecord[]> => {
    if (rows.length === 0) return [];
    const links = await db
      .selectFrom("status_component_services")
      .selectAll()
      .where(
        "component_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("service_id")
      .execute();
    const byComponent = new Map<string, string[]>();
    for (const l of links)
      byComponent.set(l.component_id, [...(byComponent.get(l.component_id) ?? []), l.service_id]);
    return rows.map((r) => toComponent(r, byComponent.get(r.id) ?? []));
  };
  const componentRow = (c: StatusComponentRecord) => ({
    page_id: c.pageId,
    group_id: c.groupId,
    name: c.name,
    description: c.description,
    position: c.position,
    manual_status: c.manualStatus,
    only_show_if_degraded: toFlag(c.onlyShowIfDegraded),
    showcase: toFlag(c.showcase),
    created_at_ms: c.createdAtMs,
    updated_at_ms: c.updatedAtMs,
  });
  const writeLinks = async (c: StatusComponentRecord) => {
    await db.deleteFrom("status_component_services").where("component_id", "=", c.id).execute();
    if (c.serviceIds.length > 0)
      await db
        .insertInto("status_component_services")
        .values(c.serviceIds.map((serviceId) => ({ component_id: c.id, service_id: serviceId })))
        .execute();
  };
  return {
    async listGroups(pageId) {
      const rows = await db
        .selectFrom("status_component_groups")
        .selectAll()
        .where("page_id", "=", pageId)
        .orderBy("position")
        .orderBy("id")
        .execute();
      return rows.map(toGroup);
    },
    async findGroup(id) {
      const r = await db
        .selectFrom("status_component_groups")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return r && toGroup(r);
    },
    async insertGroup(g) {
      await db
        .insertInto("status_component_groups")
        .values({
          id: g.id,
          page_id: g.pageId,
          name: g.name,
          position: g.position,
          created_at_ms: g.createdAtMs,
          updated_at_ms: g.updatedAtMs,
        })
        .execute();
    },
    async updateGroup(g) {
      await db
        .updateTable("status_component_groups")
        .set({ name: g.name, position: g.position, updated_at_ms: g.updatedAtMs })
        .where("id", "=", g.id)
        .execute();
    },
    async deleteGroup(id) {
      await db.updateTable("status_components").set({ group_id: null }).where("group_id", "=", id).execute();
      const result = await db.deleteFrom("status_component_groups").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listComponents(pageId) {
      const rows = await db
        .selectFrom("status_components")
        .selectAll()
        .where("page_id", "=", pageId)
        .orderBy("position")
        .orderBy("id")
        .execute();
      return withServices(rows);
    },
    async findComponent(id) {
      const r = await db.selectFrom("status_components").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? (await withServices([r]))[0] : undefined;
    },
    async insertComponent(c) {
      await db
        .insertInto("status_components")
        .values({ id: c.id, ...componentRow(c) })
        .execute();
      await writeLinks(c);
    },
    async updateComponent(c) {
      await db.updateTable("status_components").set(componentRow(c)).where("id", "=", c.id).execute();
      await writeLinks(c);
    },
    async deleteComponent(id) {
      const result = await db.deleteFrom("status_components").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listForService(serviceId) {
      const rows = await db
        .selectFrom("status_components")
        .selectAll("status_components")
        .innerJoin(
          "status_component_services",
          "status_component_services.component_id",
          "status_components.id",
        )
        .where("status_component_services.service_id", "=", serviceId)
        .orderBy("status_components.page_id")
        .orderBy("status_components.position")
        .orderBy("status_components.id")
        .execute();
      return withServices(rows);
    },
  };
}
