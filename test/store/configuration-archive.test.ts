// Deleting configuration in the store, on SQLite and PostgreSQL: archived services and integrations
// (kept for their incidents, gone from look-ups), deleted policies and teams, and migration 0008.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { MIGRATION_NAMES, migrationsFor } from "../../src/store/migrations/index.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { at, integration, policy, service, T0, useAlertingStore, user } from "./alerting-store-kit.js";

describeEachDialect("archiving and deleting configuration in the store", (dialect) => {
  let store: KyselyStore;
  useAlertingStore(dialect, (opened) => ({ store } = opened));

  describe("services", () => {
    it("an archived service keeps its name for its incidents, and gives the name up", async () => {
      await store.run(async (tx) => {
        await tx.services.insert(service("svc-old", { name: "payments" }));
        await tx.integrations.insert(integration("int-old", "svc-old"));
      });
      await store.run((tx) => tx.services.archive("svc-old", at(10)));
      await store.run(async (tx) => {
        const archived = await tx.services.findById("svc-old");
        assert.equal(archived?.name, "payments");
        assert.deepEqual(archived?.archivedAt, at(10));
        assert.equal(await tx.services.findByName("payments"), undefined);
        assert.ok(!(await tx.services.list()).some((s) => s.id === "svc-old"));
        // The name is free: the unique column no longer holds it.
        await tx.services.insert(service("svc-new", { name: "payments" }));
        assert.equal((await tx.services.findByName("payments"))?.id, "svc-new");
        assert.equal((await tx.services.findById("svc-new"))?.archivedAt, undefined, "live: no archivedAt");
      });
      // Archiving twice changes nothing (the name stays as archived the first time).
      await store.run((tx) => tx.services.archive("svc-old", at(20)));
      assert.deepEqual((await store.run((tx) => tx.services.findById("svc-old")))?.archivedAt, at(10));
    });
  });

  describe("integrations", () => {
    it("an archived integration's key is unknown, but the record stays for its alerts", async () => {
      await store.run(async (tx) => {
        await tx.services.insert(service("svc-i"));
        await tx.integrations.insert(integration("int-a", "svc-i"));
        await tx.integrations.insert(integration("int-b", "svc-i", { disabledAt: at(1) }));
        await tx.integrations.insert(integration("int-c", "svc-i"));
      });
      await store.run(async (tx) => {
        await tx.integrations.archive("int-a", at(5));
        await tx.integrations.archive("int-b", at(5));
      });
      await store.run(async (tx) => {
        assert.equal(await tx.integrations.findByKey("key-int-a"), undefined);
        assert.deepEqual(
          (await tx.integrations.findByKeys(["key-int-a", "key-int-b", "key-int-c"])).map((i) => i.id),
          ["int-c"],
        );
        assert.deepEqual(
          (await tx.integrations.listForService("svc-i")).map((i) => i.id),
          ["int-c"],
        );
        assert.equal(await tx.integrations.findForChange("int-a"), undefined);
        const kept = await tx.integrations.findById("int-a");
        assert.deepEqual(kept?.archivedAt, at(5));
        assert.deepEqual(kept?.disabledAt, at(5), "archived integrations are disabled too");
        assert.deepEqual((await tx.integrations.findById("int-b"))?.disabledAt, at(1), "kept as it was");
      });
    });
  });

  describe("escalation policies and teams", () => {
    it("finds a policy by exact name and deletes it, freeing the services that named it", async () => {
      await store.run(async (tx) => {
        await tx.escalationPolicies.insert(policy("pol-d", { name: "Night" }));
        await tx.services.insert(service("svc-p", { escalationPolicyId: "pol-d" }));
      });
      await store.run(async (tx) => {
        assert.equal((await tx.escalationPolicies.findByName("Night"))?.id, "pol-d");
        assert.equal(await tx.escalationPolicies.findByName("night"), undefined, "exact, as services");
        assert.equal(await tx.escalationPolicies.delete("pol-d"), true);
        assert.equal(await tx.escalationPolicies.delete("pol-d"), false);
      });
      const after = await store.run((tx) => tx.services.findById("svc-p"));
      assert.equal(after?.escalationPolicyId, null);
    });

    it("deletes a team with its memberships", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("u-team"));
        await tx.teams.insert({ id: "team-d", name: "Deleted", createdAt: T0 });
        await tx.teams.upsertMember({ teamId: "team-d", userId: "u-team", role: "member", createdAt: T0 });
      });
      assert.equal(await store.run((tx) => tx.teams.delete("team-d")), true);
      await store.run(async (tx) => {
        assert.equal(await tx.teams.findById("team-d"), undefined);
        assert.deepEqual(await tx.teams.listMembers("team-d"), []);
        assert.ok(await tx.users.findById("u-team"), "the person stays");
        assert.equal(await tx.teams.delete("team-d"), false);
      });
    });
  });
});

describeEachDialect("migration 0008", (dialect) => {
  it("gives the existing manual-pages webhooks the manual kind, and nothing else", async () => {
    const fresh: FreshDatabase = await createFreshDatabase(dialect, { migrate: false });
    try {
      const migrations = migrationsFor(fresh.handle.caps);
      const db = fresh.handle.db as unknown as Kysely<unknown>;
      for (const name of MIGRATION_NAMES.filter((n) => n < "0008")) await migrations[name]!.up(db);
      const store = new KyselyStore(fresh.handle, () => T0);
      await store.run(async (tx) => {
        await tx.services.insert(service("svc-m"));
        await tx.integrations.insert(
          integration("int-manual", "svc-m", { kind: "webhook", name: "manual pages" }),
        );
        await tx.integrations.insert(integration("int-hook", "svc-m", { kind: "webhook", name: "deploys" }));
      });
      await migrations["0008-archived-configuration"]!.up(db);
      const kinds = await store.run(async (tx) =>
        (await tx.integrations.listForService("svc-m")).map((i) => [i.id, i.kind]),
      );
      assert.deepEqual(kinds, [
        ["int-hook", "webhook"],
        ["int-manual", "manual"],
      ]);
    } finally {
      await fresh.drop();
    }
  });
});
