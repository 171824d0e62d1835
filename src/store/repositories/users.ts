import type { Kysely, Selectable } from "kysely";
import type { UserRepository } from "../../app/ports/store.js";
import type { User } from "../../core/auth/records.js";
import type { Role } from "../../core/auth/roles.js";
import type { DialectCapabilities } from "../capabilities.js";
import type { Database, UsersTable } from "../schema.js";
import { fromMs, fromMsOrNull, toMs, toMsOrNull } from "./instants.js";

const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as Role,
  passwordHash: row.password_hash,
  disabledAt: fromMsOrNull(row.disabled_at),
  createdAt: fromMs(row.created_at),
  updatedAt: fromMs(row.updated_at),
  // Absent when unset, so a user read back equals the user written before zones existed.
  ...(row.time_zone !== null && { timeZone: row.time_zone }),
  ...(row.phone !== null && { phone: row.phone }),
});

export function userRepository(db: Kysely<Database>, caps: DialectCapabilities): UserRepository {
  return {
    async findById(id) {
      const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toUser(row);
    },
    async findByEmail(email) {
      const row = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
      return row && toUser(row);
    },
    async list() {
      const rows = await db.selectFrom("users").selectAll().orderBy("created_at").orderBy("id").execute();
      return rows.map(toUser);
    },
    async listDisabled() {
      const rows = await db
        .selectFrom("users")
        .select(["id", "disabled_at"])
        .where("disabled_at", "is not", null)
        .$narrowType<{ disabled_at: number }>()
        .orderBy("id")
        .execute();
      return rows.map((r) => ({ id: r.id, disabledAt: fromMs(r.disabled_at) }));
    },
    async count() {
      const row = await db
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countAdmins() {
      // Locks the admins' rows on PostgreSQL, so two concurrent demotions cannot both see "another admin".
      const rows = await db
        .selectFrom("users")
        .select("id")
        .where("role", "=", "admin")
        .where("disabled_at", "is", null)
        .where("password_hash", "is not", null)
        .$if(caps.rowLocks, (q) => q.forUpdate())
        .execute();
      return rows.length;
    },
    async insert(u) {
      await db
        .insertInto("users")
        .values({
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          password_hash: u.passwordHash,
          disabled_at: toMsOrNull(u.disabledAt),
          created_at: toMs(u.createdAt),
          updated_at: toMs(u.updatedAt),
          time_zone: u.timeZone ?? null,
          phone: u.phone ?? null,
        })
        .execute();
    },
    async update(id, changes) {
      await db
        .updateTable("users")
        .set({
          ...(changes.email !== undefined && { email: changes.email }),
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.role !== undefined && { role: changes.role }),
          ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
          ...(changes.disabledAt !== undefined && { disabled_at: toMsOrNull(changes.disabledAt) }),
          ...(changes.updatedAt !== undefined && { updated_at: toMs(changes.updatedAt) }),
          ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
          ...(changes.phone !== undefined && { phone: changes.phone }),
        })
        .where("id", "=", id)
        .execute();
    },
  };
}
