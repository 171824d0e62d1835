import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { User } from "../../src/core/auth/records.js";
import { migrateToLatest, pendingMigrations } from "../../src/store/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/migrations/index.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";

const user = (id: string, overrides: Partial<User> = {}): User => ({
  id,
  email: `${id}@example.com`,
  name: `User ${id}`,
  role: "responder",
  passwordHash: null,
  disabledAt: null,
  createdAt: new Date("2021-01-01T00:00:00Z"),
  updatedAt: new Date("2021-01-01T00:00:00Z"),
  ...overrides,
});

describeEachDialect("store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
  });
  after(async () => db.drop());

  describe("migrations", () => {
    it("leaves nothing pending and applies nothing the second time", async () => {
      assert.deepEqual(await pendingMigrations(db.handle), []);
      assert.deepEqual(await migrateToLatest(db.handle), { applied: [] });
      assert.deepEqual(await store.checkReady(), { ok: true, detail: "database reachable and migrated" });
    });

    it("reports migrations a new database has not applied yet", async () => {
      const empty = await createFreshDatabase(dialect, { migrate: false });
      try {
        assert.deepEqual(await pendingMigrations(empty.handle), [...MIGRATION_NAMES]);
        const check = await new KyselyStore(empty.handle, () => clock.now()).checkReady();
        assert.equal(check.ok, false);
        assert.match(check.detail, /0001-foundation, 0002-alerting/);
      } finally {
        await empty.drop();
      }
    });
  });

  describe("unit of work", () => {
    it("commits every write of a transaction together", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("u-commit"));
        await tx.jobs.enqueue("sessions.purge", {}, { runAt: clock.now() });
      });
      const found = await store.run((tx) => tx.users.findById("u-commit"));
      assert.equal(found?.email, "u-commit@example.com");
    });

    it("rolls back every write when the work throws", async () => {
      const before = await store.jobs.counts(clock.now());
      await assert.rejects(
        store.run(async (tx) => {
          await tx.users.insert(user("u-rollback"));
          await tx.audit.record({
            at: clock.now(),
            actor: { kind: "system", id: "system", role: "admin", label: "test" },
            action: "user.create",
            entityType: "user",
            entityId: "u-rollback",
            before: null,
            after: { id: "u-rollback" },
            requestId: null,
          });
          await tx.jobs.enqueue("sessions.purge", {}, { runAt: clock.now() });
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await store.run((tx) => tx.users.findById("u-rollback")), undefined);
      assert.deepEqual(await store.run((tx) => tx.audit.list({ limit: 10, entityId: "u-rollback" })), []);
      assert.deepEqual(await store.jobs.counts(clock.now()), before);
    });

    it("reads outside a transaction see what is committed, and refuse to enqueue", async () => {
      await store.run((tx) => tx.users.insert(user("u-read")));
      assert.equal((await store.read((tx) => tx.users.findById("u-read")))?.email, "u-read@example.com");
      const before = await store.jobs.counts(clock.now());
      await assert.rejects(
        store.read((tx) => tx.jobs.enqueue("sessions.purge", {}, { runAt: clock.now() })),
        /uow.read is for reads: enqueue jobs in uow.run/,
      );
      assert.deepEqual(await store.jobs.counts(clock.now()), before);
    });
  });

  describe("users", () => {
    it("round-trips every field, instants included", async () => {
      const original = user("u-fields", {
        role: "admin",
        passwordHash: "scrypt$1$2$3$salt$hash",
        disabledAt: new Date("2021-02-03T04:05:06.789Z"),
      });
      await store.run((tx) => tx.users.insert(original));
      assert.deepEqual(await store.run((tx) => tx.users.findById("u-fields")), original);
      assert.deepEqual(await store.run((tx) => tx.users.findByEmail("u-fields@example.com")), original);
    });

    it("keeps a profile phone through insert, update and clearing (migration 0009)", async () => {
      const withPhone = user("u-phone", { phone: "+49 30 1234567" });
      await store.run((tx) => tx.users.insert(withPhone));
      assert.deepEqual(await store.run((tx) => tx.users.findById("u-phone")), withPhone);
      await store.run((tx) => tx.users.update("u-phone", { phone: "(030) 765-4321" }));
      assert.equal((await store.run((tx) => tx.users.findById("u-phone")))?.phone, "(030) 765-4321");
      await store.run((tx) => tx.users.update("u-phone", { name: "Still has a phone" }));
      const listed = (await store.run((tx) => tx.users.list())).find((u) => u.id === "u-phone");
      assert.equal(listed?.phone, "(030) 765-4321", "an update without phone keeps it");
      await store.run((tx) => tx.users.update("u-phone", { phone: null }));
      const cleared = await store.run((tx) => tx.users.findById("u-phone"));
      assert.equal(cleared?.phone, undefined, "a cleared phone reads back as not set");
      assert.equal(cleared?.name, "Still has a phone");
    });

    it("refuses a second user with the same email", async () => {
      await store.run((tx) => tx.users.insert(user("u-dup")));
      await assert.rejects(
        store.run((tx) => tx.users.insert(user("u-dup2", { email: "u-dup@example.com" }))),
      );
    });

    it("counts enabled admins who can sign in", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("admin-a", { role: "admin", passwordHash: "scrypt$x" }));
        await tx.users.insert(
          user("admin-b", { role: "admin", passwordHash: "scrypt$x", disabledAt: clock.now() }),
        );
        await tx.users.insert(user("admin-c", { role: "admin", passwordHash: null }));
      });
      const admins = await store.run((tx) => tx.users.list());
      const enabled = admins.filter(
        (u) => u.role === "admin" && !u.disabledAt && u.passwordHash !== null,
      ).length;
      assert.ok(enabled >= 1);
      assert.equal(await store.run((tx) => tx.users.countAdmins()), enabled);
    });

    it("updates only the fields it is given", async () => {
      await store.run((tx) => tx.users.insert(user("u-upd")));
      const later = new Date("2021-06-01T00:00:00Z");
      await store.run((tx) => tx.users.update("u-upd", { name: "Renamed", updatedAt: later }));
      const updated = await store.run((tx) => tx.users.findById("u-upd"));
      assert.equal(updated?.name, "Renamed");
      assert.equal(updated?.email, "u-upd@example.com");
      assert.deepEqual(updated?.updatedAt, later);
    });
  });

  describe("sessions and sign-in links", () => {
    it("deletes only expired sessions", async () => {
      await store.run((tx) => tx.users.insert(user("u-sess")));
      const now = clock.now();
      await store.run(async (tx) => {
        await tx.sessions.insert({
          id: "s-old",
          tokenHash: "h-old",
          csrfToken: "c",
          userId: "u-sess",
          createdAt: now,
          expiresAt: new Date(now.getTime() - MINUTE),
        });
        await tx.sessions.insert({
          id: "s-new",
          tokenHash: "h-new",
          csrfToken: "c",
          userId: "u-sess",
          createdAt: now,
          expiresAt: new Date(now.getTime() + HOUR),
        });
      });
      assert.equal(await store.run((tx) => tx.sessions.deleteExpired(now)), 1);
      assert.equal(await store.run((tx) => tx.sessions.findByTokenHash("h-old")), undefined);
      assert.equal((await store.run((tx) => tx.sessions.findByTokenHash("h-new")))?.id, "s-new");
    });

    it("marks a sign-in link used exactly once", async () => {
      await store.run((tx) => tx.users.insert(user("u-link")));
      const now = clock.now();
      await store.run((tx) =>
        tx.signInLinks.insert({
          id: "l1",
          tokenHash: "lh1",
          userId: "u-link",
          createdAt: now,
          expiresAt: new Date(now.getTime() + HOUR),
          usedAt: null,
        }),
      );
      assert.equal(await store.run((tx) => tx.signInLinks.markUsed("l1", now)), true);
      assert.equal(await store.run((tx) => tx.signInLinks.markUsed("l1", now)), false);
    });
  });

  describe("audit log", () => {
    it("lists newest first and pages backwards by id", async () => {
      const actor = { kind: "system", id: "system", role: "admin", label: "test" } as const;
      await store.run(async (tx) => {
        for (let i = 0; i < 5; i++) {
          await tx.audit.record({
            at: clock.now(),
            actor,
            action: "thing.touch",
            entityType: "thing",
            entityId: "t-page",
            before: { i },
            after: { i: i + 1 },
            requestId: `r${i}`,
          });
        }
      });
      const first = await store.run((tx) =>
        tx.audit.list({ limit: 2, entityType: "thing", entityId: "t-page" }),
      );
      assert.deepEqual(
        first.map((e) => e.after),
        [{ i: 5 }, { i: 4 }],
      );
      const next = await store.run((tx) =>
        tx.audit.list({ limit: 2, entityId: "t-page", beforeId: first[1]!.id }),
      );
      assert.deepEqual(
        next.map((e) => e.after),
        [{ i: 3 }, { i: 2 }],
      );
      assert.deepEqual(first[0]!.actor, { kind: "system", id: "system", label: "test" });
    });
  });

  describe("teams", () => {
    it("adds, re-roles and removes members", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("u-team"));
        await tx.teams.insert({ id: "team-1", name: "Payments", createdAt: clock.now() });
        await tx.teams.upsertMember({
          teamId: "team-1",
          userId: "u-team",
          role: "member",
          createdAt: clock.now(),
        });
        await tx.teams.upsertMember({
          teamId: "team-1",
          userId: "u-team",
          role: "manager",
          createdAt: clock.now(),
        });
      });
      const members = await store.run((tx) => tx.teams.listMembers("team-1"));
      assert.deepEqual(
        members.map((m) => [m.userId, m.role, m.email]),
        [["u-team", "manager", "u-team@example.com"]],
      );
      assert.equal(await store.run((tx) => tx.teams.removeMember("team-1", "u-team")), true);
      assert.equal(await store.run((tx) => tx.teams.removeMember("team-1", "u-team")), false);
    });

    it("lists one user's memberships with team names, in team-name order, in one call", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("u-many"));
        await tx.users.insert(user("u-other"));
        await tx.teams.insert({ id: "team-z", name: "Zebra", createdAt: clock.now() });
        await tx.teams.insert({ id: "team-a", name: "Aardvark", createdAt: clock.now() });
        await tx.teams.insert({ id: "team-n", name: "Nobody's", createdAt: clock.now() });
        const join = (teamId: string, userId: string, role: "member" | "manager") =>
          tx.teams.upsertMember({ teamId, userId, role, createdAt: clock.now() });
        await join("team-z", "u-many", "manager");
        await join("team-a", "u-many", "member");
        await join("team-n", "u-other", "manager");
      });
      const mine = await store.run((tx) => tx.teams.listMembershipsOf("u-many"));
      assert.deepEqual(
        mine.map((m) => [m.teamId, m.teamName, m.userId, m.role]),
        [
          ["team-a", "Aardvark", "u-many", "member"],
          ["team-z", "Zebra", "u-many", "manager"],
        ],
      );
      assert.deepEqual(mine[0]!.createdAt, clock.now());
      assert.deepEqual(await store.run((tx) => tx.teams.listMembershipsOf("u-nobody")), []);
    });
  });
});
