// Alerting store, on SQLite and PostgreSQL: notification deliveries (idempotency, attempts, external ids),
// change events, and maintenance windows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChangeEventRecord, MaintenanceWindowRecord } from "../../src/core/alerts/records.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { describeEachDialect } from "../support/dialects.js";
import { HOUR, MINUTE } from "../support/fake-clock.js";
import { at, channel, delivery, incident, T0, useAlertingStore, user } from "./alerting-store-kit.js";

describeEachDialect("alerting store", (dialect) => {
  let store: KyselyStore;
  const { givenService } = useAlertingStore(dialect, (opened) => ({ store } = opened));

  describe("deliveries", () => {
    it("writes a delivery once per idempotency key and round-trips it", async () => {
      const { serviceId } = await givenService("svc-del");
      await store.run(async (tx) => {
        await tx.incidents.insert(incident("inc-del", serviceId));
        await tx.channels.insert(channel("ch-del"));
      });
      const d = delivery("d-1", "inc-del", {
        event: "escalated",
        recipientKind: "channel",
        recipientId: "ch-del",
        channelId: "ch-del",
        idempotencyKey: "inc-del:escalated:ch-del:1",
        createdAt: at(1),
      });
      assert.equal(await store.run((tx) => tx.deliveries.insertIfAbsent(d)), true);
      assert.equal(
        await store.run((tx) => tx.deliveries.insertIfAbsent({ ...d, id: "d-1-again", status: "sent" })),
        false,
      );
      assert.deepEqual(await store.run((tx) => tx.deliveries.findById("d-1")), d);
      assert.equal(await store.run((tx) => tx.deliveries.findById("d-1-again")), undefined);
      assert.deepEqual(await store.run((tx) => tx.deliveries.listForIncident("inc-del")), [d]);
    });

    it("records attempts and finds the latest external id for a channel", async () => {
      const { serviceId } = await givenService("svc-del-att");
      await store.run(async (tx) => {
        await tx.users.insert(user("u-del"));
        await tx.contactMethods.insert({
          id: "cm-del",
          userId: "u-del",
          kind: "email",
          label: "",
          config: {},
          createdAt: T0,
        });
        await tx.incidents.insert(incident("inc-del-att", serviceId));
        await tx.channels.insert(channel("ch-del-att"));
        await tx.deliveries.insertIfAbsent(
          delivery("d-u", "inc-del-att", {
            recipientId: "u-del",
            contactMethodId: "cm-del",
            createdAt: at(1),
          }),
        );
        await tx.deliveries.insertIfAbsent(
          delivery("d-c1", "inc-del-att", {
            recipientKind: "channel",
            recipientId: "ch-del-att",
            channelId: "ch-del-att",
            createdAt: at(2),
          }),
        );
        await tx.deliveries.insertIfAbsent(
          delivery("d-c2", "inc-del-att", {
            event: "acknowledged",
            recipientKind: "channel",
            recipientId: "ch-del-att",
            channelId: "ch-del-att",
            createdAt: at(3),
          }),
        );
      });
      assert.equal(
        await store.run((tx) => tx.deliveries.findLastExternalId("inc-del-att", "ch-del-att")),
        null,
      );

      await store.run((tx) =>
        tx.deliveries.markAttempt("d-u", { status: "pending", attempts: 1, lastError: "SMTP 451" }),
      );
      let u = await store.run((tx) => tx.deliveries.findById("d-u"));
      assert.deepEqual(
        [u?.status, u?.attempts, u?.lastError, u?.externalId, u?.sentAt],
        ["pending", 1, "SMTP 451", null, null],
      );
      await store.run((tx) =>
        tx.deliveries.markAttempt("d-u", {
          status: "sent",
          attempts: 2,
          lastError: null,
          externalId: "msg-1",
          sentAt: at(10),
        }),
      );
      u = await store.run((tx) => tx.deliveries.findById("d-u"));
      assert.deepEqual(u, {
        ...delivery("d-u", "inc-del-att", {
          recipientId: "u-del",
          contactMethodId: "cm-del",
          createdAt: at(1),
        }),
        status: "sent",
        attempts: 2,
        externalId: "msg-1",
        sentAt: at(10),
      });
      // Leaving externalId and sentAt out keeps them.
      await store.run((tx) =>
        tx.deliveries.markAttempt("d-u", { status: "sent", attempts: 3, lastError: null }),
      );
      u = await store.run((tx) => tx.deliveries.findById("d-u"));
      assert.deepEqual([u?.attempts, u?.externalId, u?.sentAt], [3, "msg-1", at(10)]);

      await store.run(async (tx) => {
        await tx.deliveries.markAttempt("d-c1", {
          status: "sent",
          attempts: 1,
          lastError: null,
          externalId: "ts-1",
          sentAt: at(11),
        });
        await tx.deliveries.markAttempt("d-c2", {
          status: "sent",
          attempts: 1,
          lastError: null,
          externalId: "ts-2",
          sentAt: at(12),
        });
      });
      assert.equal(
        await store.run((tx) => tx.deliveries.findLastExternalId("inc-del-att", "ch-del-att")),
        "ts-2",
      );
      assert.equal(await store.run((tx) => tx.deliveries.findLastExternalId("inc-del-att", "other")), null);
      assert.deepEqual(
        (await store.run((tx) => tx.deliveries.listForIncident("inc-del-att"))).map((d) => d.id),
        ["d-u", "d-c1", "d-c2"],
      );
    });
  });

  describe("change events", () => {
    it("round-trip and list newest first within [from, to]", async () => {
      const { serviceId, integrationId } = await givenService("svc-chg");
      const event = (
        id: string,
        occurredAt: Date,
        overrides: Partial<ChangeEventRecord> = {},
      ): ChangeEventRecord => ({
        id,
        serviceId,
        integrationId,
        summary: `Deploy ${id}`,
        source: null,
        occurredAt,
        details: {},
        links: [],
        createdAt: at(100),
        ...overrides,
      });
      const full = event("chg-2", at(2 * MINUTE), {
        source: "ci",
        details: { sha: "abc123", files: 3 },
        links: [{ href: "https://ci.example.com/1", text: "Build" }],
      });
      await store.run(async (tx) => {
        await tx.changeEvents.insert(event("chg-0", at(0)));
        await tx.changeEvents.insert(event("chg-1", at(MINUTE)));
        await tx.changeEvents.insert(full);
        await tx.changeEvents.insert(event("chg-3", at(3 * MINUTE)));
      });
      const list = (from: Date, to: Date, limit = 10) =>
        store.run((tx) => tx.changeEvents.listForService(serviceId, from, to, limit));
      assert.deepEqual(
        (await list(at(MINUTE), at(2 * MINUTE))).map((e) => e.id),
        ["chg-2", "chg-1"],
      );
      assert.deepEqual(
        (await list(at(0), at(3 * MINUTE), 2)).map((e) => e.id),
        ["chg-3", "chg-2"],
      );
      assert.deepEqual((await list(at(2 * MINUTE), at(2 * MINUTE)))[0], full);
      assert.deepEqual(
        await store.run((tx) => tx.changeEvents.listForService("other", at(0), at(HOUR), 10)),
        [],
      );
    });
  });

  describe("maintenance windows", () => {
    it("round-trip one-off and weekly windows, and delete", async () => {
      const { serviceId } = await givenService("svc-mw");
      const oneOff: MaintenanceWindowRecord = {
        id: "mw-1",
        serviceId,
        window: { kind: "one-off", startsAt: at(HOUR), endsAt: at(2 * HOUR) },
        reason: "DB upgrade",
        createdBy: "u-1",
        createdAt: at(1),
      };
      const weekly: MaintenanceWindowRecord = {
        id: "mw-2",
        serviceId,
        window: {
          kind: "weekly",
          weekdays: [0, 6],
          startTime: "23:30",
          durationMinutes: 90,
          timeZone: "Europe/Berlin",
        },
        reason: "",
        createdBy: null,
        createdAt: at(2),
      };
      await store.run(async (tx) => {
        await tx.maintenance.insert(weekly);
        await tx.maintenance.insert(oneOff);
      });
      assert.deepEqual(await store.run((tx) => tx.maintenance.listForService(serviceId)), [oneOff, weekly]);
      assert.deepEqual(await store.run((tx) => tx.maintenance.findById("mw-2")), weekly);
      assert.equal(await store.run((tx) => tx.maintenance.findById("mw-404")), undefined);
      assert.equal(await store.run((tx) => tx.maintenance.delete("mw-1")), true);
      assert.equal(await store.run((tx) => tx.maintenance.delete("mw-1")), false);
      assert.deepEqual(await store.run((tx) => tx.maintenance.listForService(serviceId)), [weekly]);
    });
  });
});
