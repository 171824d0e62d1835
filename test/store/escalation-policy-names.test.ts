// Migration 0010 on SQLite and PostgreSQL: a database that holds escalation policies of the same name
// (the name check was only in code) migrates, each gets a name of its own, and the index then holds.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { Kysely } from "kysely";
import type { Tx } from "../../src/app/ports/store.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { isAppError } from "../../src/core/errors.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { MIGRATION_NAMES, migrationsFor } from "../../src/store/migrations/index.js";
import { createFreshDatabase, describeEachDialect } from "../support/dialects.js";
import { at, policy, T0 } from "./alerting-store-kit.js";

const HOUR = 3_600_000;
const LONG = "x".repeat(200);

describeEachDialect("migration 0010: unique escalation-policy names", (dialect) => {
  it("renames duplicates, the oldest keeping its name, and refuses a second insert of a name", async () => {
    const fresh = await createFreshDatabase(dialect, { migrate: false });
    try {
      const migrations = migrationsFor(fresh.handle.caps);
      const db = fresh.handle.db as unknown as Kysely<unknown>;
      for (const name of MIGRATION_NAMES.filter((n) => n < "0010")) await migrations[name]!.up(db);
      const store = new KyselyStore(fresh.handle, () => T0);
      const made = (id: string, atMs: number) => ({
        at: at(atMs),
        actor: systemActor(),
        action: "escalation_policy.create",
        entityType: "escalation_policy",
        entityId: id,
        before: null,
        after: null,
        requestId: null,
      });
      await store.run(async (tx) => {
        // Made third, first, and (no audit entry) by its last change: p-b is the oldest "Ops".
        await tx.escalationPolicies.insert(policy("p-a", { name: "Ops", updatedAt: at(0) }));
        await tx.escalationPolicies.insert(policy("p-b", { name: "Ops", updatedAt: at(0) }));
        await tx.escalationPolicies.insert(policy("p-c", { name: "Ops", updatedAt: at(-HOUR) }));
        await tx.audit.record(made("p-a", -2 * HOUR));
        await tx.audit.record(made("p-b", -3 * HOUR));
        // Already called what the first rename would pick; and a name that differs only in case.
        await tx.escalationPolicies.insert(policy("p-d", { name: "Ops (2)" }));
        await tx.escalationPolicies.insert(policy("p-e", { name: "ops" }));
        // Same instant: the lower id is the older.
        await tx.escalationPolicies.insert(policy("p-g", { name: LONG, updatedAt: at(0) }));
        await tx.escalationPolicies.insert(policy("p-f", { name: LONG, updatedAt: at(0) }));
      });

      await migrations["0010-unique-policy-names"]!.up(db);

      const names = await store.run(async (tx) =>
        Object.fromEntries((await tx.escalationPolicies.list()).map((p) => [p.id, p.name])),
      );
      assert.deepEqual(names, {
        "p-a": "Ops (3)",
        "p-b": "Ops",
        "p-c": "Ops (4)",
        "p-d": "Ops (2)",
        "p-e": "ops",
        "p-f": LONG,
        "p-g": `${"x".repeat(196)} (2)`,
      });

      const conflictOf = (work: (tx: Tx) => Promise<void>) =>
        store.run(work).then(
          () => assert.fail("a second policy named Ops was stored"),
          (err: unknown) => (isAppError(err) ? err.code : String(err)),
        );
      assert.equal(
        await conflictOf((tx) => tx.escalationPolicies.insert(policy("p-h", { name: "Ops" }))),
        "CONFLICT",
      );
      assert.equal(
        await conflictOf((tx) => tx.escalationPolicies.update(policy("p-e", { name: "Ops" }))),
        "CONFLICT",
      );
      // Names compare exactly, case and all, as the check in code does.
      await store.run((tx) => tx.escalationPolicies.insert(policy("p-i", { name: "OPS" })));
      assert.equal((await store.run((tx) => tx.escalationPolicies.findByName("OPS")))?.id, "p-i");
    } finally {
      await fresh.drop();
    }
  });
});
