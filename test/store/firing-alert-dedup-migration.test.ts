// Migration 0012 on SQLite and PostgreSQL: a database at 0011 with firing alerts upgrades through the
// real migrator; its alerts are untouched, and a firing alert's dedup key is then unique per
// integration rather than per service (one sender's key no longer collides with another's).
import assert from "node:assert/strict";
import { it } from "node:test";
import { Migrator, sql, type Kysely } from "kysely";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { MIGRATION_NAMES, migrationsFor } from "../../src/store/migrations/index.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { alert, at, integration, service, T0 } from "./alerting-store-kit.js";

const MIGRATION = "0012-firing-alert-dedup-per-integration";

/** Applies every migration before 0012 as a real earlier release did, recorded in schema_migrations. */
async function migrateToPreviousVersion(fresh: FreshDatabase): Promise<void> {
  const all = migrationsFor(fresh.handle.caps);
  const earlier = Object.fromEntries(MIGRATION_NAMES.filter((n) => n < MIGRATION).map((n) => [n, all[n]!]));
  const result = await new Migrator({
    db: fresh.handle.db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => earlier },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  }).migrateToLatest();
  if (result.error) throw result.error;
}

/** The columns the firing-alert dedup index covers, in order. */
async function dedupIndexColumns(fresh: FreshDatabase): Promise<string[]> {
  const db = fresh.handle.db as unknown as Kysely<unknown>;
  if (fresh.handle.caps.dialect === "sqlite") {
    const { rows } = await sql<{ name: string }>`pragma index_info('alerts_firing_dedup')`.execute(db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ indexdef: string }>`
    select indexdef from pg_indexes where indexname = 'alerts_firing_dedup'`.execute(db);
  const columns = /\(([^)]*)\)/.exec(rows[0]?.indexdef ?? "")?.[1] ?? "";
  return columns.split(",").map((c) => c.trim());
}

describeEachDialect("migration 0012: firing-alert dedup per integration", (dialect) => {
  it("upgrades a database with firing alerts, keeping them, and keys them by integration", async () => {
    const fresh = await createFreshDatabase(dialect, { migrate: false });
    try {
      await migrateToPreviousVersion(fresh);
      assert.deepEqual(await dedupIndexColumns(fresh), ["service_id", "dedup_key"]);
      const store = new KyselyStore(fresh.handle, () => T0);
      await store.run(async (tx) => {
        await tx.services.insert(service("svc-m"));
        await tx.services.insert(service("svc-m-other"));
        await tx.integrations.insert(integration("int-webhook", "svc-m", { kind: "webhook" }));
        await tx.integrations.insert(integration("int-pd", "svc-m", { kind: "pagerduty" }));
        await tx.integrations.insert(integration("int-other", "svc-m-other"));
        await tx.alerts.insert(alert("al-fire", "svc-m", "int-webhook", { dedupKey: "db-1-disk" }));
        await tx.alerts.insert(
          alert("al-old", "svc-m", "int-pd", {
            dedupKey: "db-1-disk",
            status: "resolved",
            resolvedAt: at(1),
          }),
        );
        await tx.alerts.insert(alert("al-other", "svc-m-other", "int-other", { dedupKey: "db-1-disk" }));
      });
      // The old index: one firing alert per service and key, whichever integration sends it.
      await assert.rejects(
        store.run((tx) =>
          tx.alerts.insert(alert("al-pd-early", "svc-m", "int-pd", { dedupKey: "db-1-disk" })),
        ),
      );
      const before = await store.run((tx) => tx.alerts.list({ limit: 10 }));

      assert.deepEqual((await migrateToLatest(fresh.handle)).applied, [MIGRATION]);

      assert.deepEqual(await dedupIndexColumns(fresh), ["integration_id", "dedup_key"]);
      assert.deepEqual(await store.run((tx) => tx.alerts.list({ limit: 10 })), before);
      assert.equal(
        (await store.run((tx) => tx.alerts.findFiringOfIntegration("int-webhook", "db-1-disk")))?.id,
        "al-fire",
      );
      assert.equal(
        await store.run((tx) => tx.alerts.findFiringOfIntegration("int-pd", "db-1-disk")),
        undefined,
      );
      // Another integration of the service may now fire the same key; the same one still may not twice.
      await store.run((tx) => tx.alerts.insert(alert("al-pd", "svc-m", "int-pd", { dedupKey: "db-1-disk" })));
      await assert.rejects(
        store.run((tx) =>
          tx.alerts.insert(alert("al-fire-2", "svc-m", "int-webhook", { dedupKey: "db-1-disk" })),
        ),
      );
      assert.deepEqual(await migrateToLatest(fresh.handle), { applied: [] });
    } finally {
      await fresh.drop();
    }
  });
});
