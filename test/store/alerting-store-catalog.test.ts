// Alerting store, on SQLite and PostgreSQL: migrations; services, integrations, policies and channels;
// contact methods and notification rules; settings; what deleting a service takes with it; rollback.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import type {
  ContactMethod,
  Integration,
  NotificationChannel,
  Service,
} from "../../src/core/alerts/records.js";
import type { EscalationPolicy } from "../../src/core/escalation/policy.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrateToLatest, pendingMigrations } from "../../src/store/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/migrations/index.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { HOUR } from "../support/fake-clock.js";
import {
  alert,
  at,
  channel,
  delivery,
  incident,
  integration,
  policy,
  service,
  T0,
  useAlertingStore,
  user,
} from "./alerting-store-kit.js";

describeEachDialect("alerting store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const { clock, givenService } = useAlertingStore(dialect, (opened) => ({ db, store } = opened));

  describe("migrations", () => {
    it("apply on a fresh database and leave nothing pending", async () => {
      const fresh = await createFreshDatabase(dialect, { migrate: false });
      try {
        assert.deepEqual(await pendingMigrations(fresh.handle), [...MIGRATION_NAMES]);
        assert.deepEqual(await migrateToLatest(fresh.handle), {
          applied: [...MIGRATION_NAMES],
        });
        assert.deepEqual(await pendingMigrations(fresh.handle), []);
        assert.deepEqual(await new KyselyStore(fresh.handle, () => clock.now()).checkReady(), {
          ok: true,
          detail: "database reachable and migrated",
        });
      } finally {
        await fresh.drop();
      }
    });
  });

  describe("services, integrations, policies, channels", () => {
    it("round-trip every field and apply updates", async () => {
      const p = policy("pol-rt");
      const ch = channel("ch-rt");
      const s = service("svc-rt", {
        description: "Takes the money",
        teamId: "team-rt",
        escalationPolicyId: p.id,
        channelId: ch.id,
        grouping: { mode: "labels", labels: ["alertname", "cluster"], windowMinutes: 30 },
        autoResolve: true,
        reopenWindowMinutes: 15,
        createdAt: at(1),
        updatedAt: at(2),
      });
      const i = integration("int-rt", s.id, {
        kind: "heartbeat",
        defaultLevel: "notify",
        rateLimitPerMinute: 60,
        heartbeatIntervalSeconds: 300,
        heartbeatGraceSeconds: 60,
        lastCheckInAt: at(3),
        disabledAt: at(4),
        rotatedAt: at(5),
      });
      await store.run(async (tx) => {
        await tx.teams.insert({ id: "team-rt", name: "Payments", createdAt: T0 });
        await tx.escalationPolicies.insert(p);
        await tx.channels.insert(ch);
        await tx.services.insert(s);
        await tx.integrations.insert(i);
      });
      await store.run(async (tx) => {
        assert.deepEqual(await tx.escalationPolicies.findById(p.id), p);
        assert.deepEqual(await tx.channels.findById(ch.id), ch);
        assert.deepEqual(await tx.services.findById(s.id), s);
        assert.deepEqual(await tx.services.findByName(s.name), s);
        assert.deepEqual(await tx.integrations.findById(i.id), i);
        assert.deepEqual(await tx.integrations.findByKey(i.key), i);
        assert.deepEqual(await tx.integrations.listForService(s.id), [i]);
        assert.equal(await tx.services.findById("nope"), undefined);
        assert.equal(await tx.integrations.findByKey("nope"), undefined);
      });

      const s2: Service = {
        ...s,
        name: "Renamed",
        autoResolve: false,
        teamId: null,
        grouping: { mode: "none", labels: [], windowMinutes: null },
        updatedAt: at(10),
      };
      const i2: Integration = {
        ...i,
        key: "rotated-key",
        heartbeatIntervalSeconds: null,
        heartbeatGraceSeconds: null,
        lastCheckInAt: null,
        disabledAt: null,
        rotatedAt: at(11),
      };
      const p2: EscalationPolicy = {
        ...p,
        name: "Renamed policy",
        steps: [{ delayMinutes: 1, targets: [{ kind: "user", userId: "u-9" }] }],
        repeatCount: 0,
        updatedAt: at(12),
      };
      const ch2: NotificationChannel = {
        ...ch,
        name: "Renamed channel",
        kind: "webhook",
        config: {},
        updatedAt: at(13),
      };
      await store.run(async (tx) => {
        await tx.services.update(s2);
        await tx.integrations.update(i2);
        await tx.escalationPolicies.update(p2);
        await tx.channels.update(ch2);
      });
      await store.run(async (tx) => {
        assert.deepEqual(await tx.services.findById(s.id), s2);
        assert.equal(await tx.services.findByName(s.name), undefined);
        assert.deepEqual(await tx.integrations.findByKey("rotated-key"), i2);
        assert.equal(await tx.integrations.findByKey(i.key), undefined);
        assert.deepEqual(await tx.escalationPolicies.findById(p.id), p2);
        assert.deepEqual(await tx.channels.findById(ch.id), ch2);
        assert.ok((await tx.services.list()).some((x) => x.id === s.id));
        assert.ok((await tx.escalationPolicies.list()).some((x) => x.id === p.id));
        assert.ok((await tx.channels.list()).some((x) => x.id === ch.id));
      });
    });

    it("a check-in and a disable at the same time both land: findForChange holds the row", async () => {
      const { integrationId } = await givenService("svc-race");
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let hasRead = () => {};
      const checkInRead = new Promise<void>((resolve) => (hasRead = resolve));
      const checkIn = store.run(async (tx) => {
        const found = (await tx.integrations.findForChange(integrationId)) as Integration;
        hasRead();
        await gate;
        await tx.integrations.update({ ...found, lastCheckInAt: at(20) });
      });
      await checkInRead;
      const disable = store.run(async (tx) => {
        const found = (await tx.integrations.findForChange(integrationId)) as Integration;
        await tx.integrations.update({ ...found, disabledAt: at(21) });
      });
      // Time for the disable to commit first, were the row not held (what lost the check-in or the disable).
      await Promise.race([disable, new Promise((resolve) => setTimeout(resolve, 200))]);
      release();
      await Promise.all([checkIn, disable]);
      const after = await store.run((tx) => tx.integrations.findById(integrationId));
      assert.deepEqual([after?.lastCheckInAt, after?.disabledAt], [at(20), at(21)]);
    });

    it("refuses a second integration with the same key and a second service with the same name", async () => {
      const { serviceId } = await givenService("svc-uniq");
      await assert.rejects(
        store.run((tx) =>
          tx.integrations.insert(integration("int-uniq-2", serviceId, { key: `key-${serviceId}-int` })),
        ),
      );
      await assert.rejects(
        store.run((tx) => tx.services.insert(service("svc-uniq-2", { name: `Service ${serviceId}` }))),
      );
    });
  });

  describe("contact methods and notification rules", () => {
    it("round-trip methods, replace rules wholesale, and delete", async () => {
      await store.run((tx) => tx.users.insert(user("u-cm")));
      const m1: ContactMethod = {
        id: "cm-1",
        userId: "u-cm",
        kind: "email",
        label: "Work",
        config: { address: "ada@example.com" },
        createdAt: at(1),
      };
      const m2: ContactMethod = {
        id: "cm-2",
        userId: "u-cm",
        kind: "ntfy",
        label: "Phone",
        config: { topic: "ada", priority: 5, tags: ["rotating_light"] },
        createdAt: at(2),
      };
      await store.run(async (tx) => {
        await tx.contactMethods.insert(m2);
        await tx.contactMethods.insert(m1);
      });
      await store.run(async (tx) => {
        assert.deepEqual(await tx.contactMethods.findById("cm-2"), m2);
        assert.deepEqual(await tx.contactMethods.listForUser("u-cm"), [m1, m2]);
        assert.deepEqual(await tx.contactMethods.listRules("u-cm"), []);
      });

      const first = [
        { id: "r-1", userId: "u-cm", contactMethodId: "cm-2", delayMinutes: 0 },
        { id: "r-2", userId: "u-cm", contactMethodId: "cm-1", delayMinutes: 5 },
        { id: "r-3", userId: "u-cm", contactMethodId: "cm-2", delayMinutes: 10 },
      ];
      await store.run((tx) => tx.contactMethods.replaceRules("u-cm", first));
      assert.deepEqual(await store.run((tx) => tx.contactMethods.listRules("u-cm")), first);
      const second = [{ id: "r-4", userId: "u-cm", contactMethodId: "cm-1", delayMinutes: 1 }];
      await store.run((tx) => tx.contactMethods.replaceRules("u-cm", second));
      assert.deepEqual(await store.run((tx) => tx.contactMethods.listRules("u-cm")), second);
      // The same rule ids may come back in a later replacement.
      await store.run((tx) => tx.contactMethods.replaceRules("u-cm", first));
      assert.deepEqual(await store.run((tx) => tx.contactMethods.listRules("u-cm")), first);

      // Deleting a method takes its rules with it.
      assert.equal(await store.run((tx) => tx.contactMethods.delete("cm-2")), true);
      assert.equal(await store.run((tx) => tx.contactMethods.delete("cm-2")), false);
      assert.deepEqual(await store.run((tx) => tx.contactMethods.listRules("u-cm")), [first[1]]);
      await store.run((tx) => tx.contactMethods.replaceRules("u-cm", []));
      assert.deepEqual(await store.run((tx) => tx.contactMethods.listRules("u-cm")), []);
    });

    it("removes a user's contact methods and rules when the user is deleted", async () => {
      await store.run(async (tx) => {
        await tx.users.insert(user("u-gone"));
        await tx.users.insert(user("u-stays"));
        await tx.contactMethods.insert({
          id: "cm-gone",
          userId: "u-gone",
          kind: "email",
          label: "",
          config: {},
          createdAt: T0,
        });
        await tx.contactMethods.insert({
          id: "cm-stays",
          userId: "u-stays",
          kind: "email",
          label: "",
          config: {},
          createdAt: T0,
        });
        await tx.contactMethods.replaceRules("u-gone", [
          { id: "r-gone", userId: "u-gone", contactMethodId: "cm-gone", delayMinutes: 0 },
        ]);
        await tx.contactMethods.replaceRules("u-stays", [
          { id: "r-stays", userId: "u-stays", contactMethodId: "cm-stays", delayMinutes: 0 },
        ]);
      });
      await db.handle.db.deleteFrom("users").where("id", "=", "u-gone").execute();
      await store.run(async (tx) => {
        assert.equal(await tx.contactMethods.findById("cm-gone"), undefined);
        assert.deepEqual(await tx.contactMethods.listForUser("u-gone"), []);
        assert.deepEqual(await tx.contactMethods.listRules("u-gone"), []);
        assert.equal((await tx.contactMethods.findById("cm-stays"))?.id, "cm-stays");
        assert.equal((await tx.contactMethods.listRules("u-stays")).length, 1);
      });
    });
  });

  describe("settings", () => {
    it("sets a value once and returns the stored one afterwards", async () => {
      assert.equal(await store.run((tx) => tx.settings.get("instance.secret")), undefined);
      assert.equal(await store.run((tx) => tx.settings.setIfAbsent("instance.secret", "first")), "first");
      assert.equal(await store.run((tx) => tx.settings.setIfAbsent("instance.secret", "second")), "first");
      assert.equal(await store.run((tx) => tx.settings.get("instance.secret")), "first");
    });
  });

  describe("deleting a service", () => {
    it("takes its integrations, alerts, incidents, timeline, deliveries, change events and windows with it", async () => {
      const { serviceId, integrationId } = await givenService("svc-del-all");
      await store.run(async (tx) => {
        await tx.incidents.insert(incident("inc-del-all", serviceId));
        await tx.alerts.insert(alert("al-del-all", serviceId, integrationId, { incidentId: "inc-del-all" }));
        await tx.timeline.append({
          incidentId: "inc-del-all",
          at: T0,
          kind: "incident.triggered",
          actor: null,
          message: "",
          data: {},
        });
        await tx.deliveries.insertIfAbsent(delivery("d-del-all", "inc-del-all"));
        await tx.changeEvents.insert({
          id: "chg-del-all",
          serviceId,
          integrationId,
          summary: "",
          source: null,
          occurredAt: T0,
          details: {},
          links: [],
          createdAt: T0,
        });
        await tx.maintenance.insert({
          id: "mw-del-all",
          serviceId,
          window: { kind: "one-off", startsAt: T0, endsAt: at(1) },
          reason: "",
          createdBy: null,
          createdAt: T0,
        });
      });
      await db.handle.db.deleteFrom("services").where("id", "=", serviceId).execute();
      await store.run(async (tx) => {
        assert.equal(await tx.integrations.findById(integrationId), undefined);
        assert.equal(await tx.alerts.findById("al-del-all"), undefined);
        assert.equal(await tx.incidents.findById("inc-del-all"), undefined);
        assert.deepEqual(await tx.timeline.listForIncident("inc-del-all"), []);
        assert.equal(await tx.deliveries.findById("d-del-all"), undefined);
        assert.deepEqual(await tx.changeEvents.listForService(serviceId, at(-HOUR), at(HOUR), 10), []);
        assert.deepEqual(await tx.maintenance.listForService(serviceId), []);
      });
    });
  });

  describe("unit of work", () => {
    it("rolls back alert-pipeline writes with the rest of the transaction", async () => {
      await assert.rejects(
        store.run(async (tx) => {
          await tx.services.insert(service("svc-rollback"));
          await tx.settings.setIfAbsent("rollback.key", "v");
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await store.run((tx) => tx.services.findById("svc-rollback")), undefined);
      assert.equal(await store.run((tx) => tx.settings.get("rollback.key")), undefined);
      // The database is still usable after a rollback (nothing is left half-open).
      assert.equal(
        Number((await sql<{ one: number }>`select 1 as one`.execute(db.handle.db)).rows[0]?.one),
        1,
      );
    });
  });
});
