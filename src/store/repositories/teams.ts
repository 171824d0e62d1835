import type { Kysely } from "kysely";
import type { TeamRepository } from "../../app/ports/store.js";
import type { MembershipRole } from "../../core/auth/records.js";
import type { Database } from "../schema.js";
import { fromMs, toMs } from "./instants.js";

export function teamRepository(db: Kysely<Database>): TeamRepository {
  const toTeam = (row: { id: string; name: string; created_at: number }) => ({
    id: row.id,
    name: row.name,
    createdAt: fromMs(row.created_at),
  });
  return {
    async insert(t) {
      await db
        .insertInto("teams")
        .values({ id: t.id, name: t.name, created_at: toMs(t.createdAt) })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom("teams").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toTeam(row);
    },
    async findByName(name) {
      const row = await db.selectFrom("teams").selectAll().where("name", "=", name).executeTakeFirst();
      return row && toTeam(row);
    },
    async list() {
      const rows = await db.selectFrom("teams").selectAll().orderBy("name").execute();
      return rows.map(toTeam);
    },
    async delete(id) {
      // Memberships cascade in the schema; deleted here too so no foreign-key setting is relied on.
      await db.deleteFrom("memberships").where("team_id", "=", id).execute();
      const result = await db.deleteFrom("teams").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async upsertMember(m) {
      await db
        .insertInto("memberships")
        .values({ team_id: m.teamId, user_id: m.userId, role: m.role, created_at: toMs(m.createdAt) })
        .onConflict((oc) => oc.columns(["team_id", "user_id"]).doUpdateSet({ role: m.role }))
        .execute();
    },
    async removeMember(teamId, userId) {
      const result = await db
        .deleteFrom("memberships")
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listMembers(teamId) {
      const rows = await db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.user_id")
        .select([
          "memberships.team_id",
          "memberships.user_id",
          "memberships.role",
          "memberships.created_at",
          "users.email",
          "users.name",
        ])
        .where("memberships.team_id", "=", teamId)
        .orderBy("users.name")
        .execute();
      return rows.map((r) => ({ ...toMembership(r), email: r.email, name: r.name }));
    },
    async listMembershipsOf(userId) {
      const rows = await db
        .selectFrom("memberships")
        .innerJoin("teams", "teams.id", "memberships.team_id")
        .select([
          "memberships.team_id",
          "memberships.user_id",
          "memberships.role",
          "memberships.created_at",
          "teams.name",
        ])
        .where("memberships.user_id", "=", userId)
        .orderBy("teams.name")
        .execute();
      return rows.map((r) => ({ ...toMembership(r), teamName: r.name }));
    },
  };
}

interface MembershipColumns {
  readonly team_id: string;
  readonly user_id: string;
  readonly role: string;
  readonly created_at: number;
}

function toMembership(r: MembershipColumns) {
  return {
    teamId: r.team_id,
    userId: r.user_id,
    role: r.role as MembershipRole,
    createdAt: fromMs(r.created_at),
  };
}
