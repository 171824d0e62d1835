// Alerting store, on SQLite and PostgreSQL: alerts. Round trip, one firing alert per integration and
// dedup key, listing, and an incident's alert storm paged, counted and summed up.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Alert } from "../../src/core/alerts/records.js";
import type { Tx } from "../../src/app/ports/store.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { describeEachDialect } from "../support/dialects.js";
import { alert, at, incident, integration, useAlertingStore } from "./alerting-store-kit.js";

describeEachDialect("alerting store", (dialect) => {
  let store: KyselyStore;
  const { givenService } = useAlertingStore(dialect, (opened) => ({ store } = opened));

  describe("alerts", () => {
    it("round-trip every field, JSON and booleans included, and apply updates", async () => {
      const { serviceId, integrationId } = await givenService("svc-alert-rt");
      await store.run((tx) => tx.incidents.insert(incident("inc-alert-rt", serviceId)));
      const a = alert("al-rt", serviceId, integrationId, {
        groupingKey: 'labels:["HighLatency","eu-1"]',
        level: "notify",
        suppressed: true,
        summary: "p99 latency above 2s — ünïcode ✓",
        severity: "critical",
        labels: { alertname: "HighLatency", cluster: "eu-1", "weird key": 'quote " and \\ backslash' },
        details: { value: 2.5, nested: { list: [1, "two", null, false] }, empty: {} },
        source: "prometheus-eu",
        links: [
          { href: "https://grafana.example.com/d/1", text: "Dashboard" },
          { href: "https://runbooks.example.com/latency", text: null },
        ],
        startedAt: at(1),
        lastEventAt: at(2),
        expiresAt: at(3),
        resolvedAt: null,
        incidentId: "inc-alert-rt",
        eventCount: 7,
        createdAt: at(4),
      });
      await store.run((tx) => tx.alerts.insert(a));
      await store.run(async (tx) => {
        assert.deepEqual(await tx.alerts.findById(a.id), a);
        assert.deepEqual(await tx.alerts.findFiringOfIntegration(integrationId, a.dedupKey), a);
        assert.deepEqual(await tx.alerts.listForIncident("inc-alert-rt"), [a]);
        assert.equal(await tx.alerts.countFiringForIncident("inc-alert-rt"), 1);
      });

      const resolved: Alert = {
        ...a,
        status: "resolved",
        suppressed: false,
        resolvedAt: at(20),
        expiresAt: null,
        eventCount: 8,
        lastEventAt: at(20),
        severity: null,
        source: null,
      };
      await store.run((tx) => tx.alerts.update(resolved));
      await store.run(async (tx) => {
        assert.deepEqual(await tx.alerts.findById(a.id), resolved);
        assert.equal(await tx.alerts.findFiringOfIntegration(integrationId, a.dedupKey), undefined);
        assert.equal(await tx.alerts.countFiringForIncident("inc-alert-rt"), 0);
      });
    });

    it("allows one firing alert per integration and dedup key, and any number of resolved ones", async () => {
      const { serviceId, integrationId } = await givenService("svc-dedup");
      const other = await givenService("svc-dedup-other");
      await store.run(async (tx) => {
        await tx.alerts.insert(
          alert("al-d-res-1", serviceId, integrationId, {
            dedupKey: "k",
            status: "resolved",
            resolvedAt: at(1),
          }),
        );
        await tx.alerts.insert(
          alert("al-d-res-2", serviceId, integrationId, {
            dedupKey: "k",
            status: "resolved",
            resolvedAt: at(2),
          }),
        );
        await tx.alerts.insert(alert("al-d-fire", serviceId, integrationId, { dedupKey: "k" }));
        // Same key on another service is another alert.
        await tx.alerts.insert(alert("al-d-other", other.serviceId, other.integrationId, { dedupKey: "k" }));
      });
      await assert.rejects(
        store.run((tx) =>
          tx.alerts.insert(alert("al-d-fire-2", serviceId, integrationId, { dedupKey: "k" })),
        ),
      );
      assert.equal(
        (await store.run((tx) => tx.alerts.findFiringOfIntegration(integrationId, "k")))?.id,
        "al-d-fire",
      );
      // Turning a resolved one back to firing while another fires is refused too.
      const resolved = await store.run((tx) => tx.alerts.findById("al-d-res-1"));
      assert.ok(resolved);
      await assert.rejects(
        store.run((tx) => tx.alerts.update({ ...resolved, status: "firing", resolvedAt: null })),
      );
    });

    it("keeps the same key firing from two integrations of one service as two alerts", async () => {
      // A sender's keys are its own: another integration of the service can neither refresh nor end them.
      const { serviceId, integrationId: webhookId } = await givenService("svc-dedup-two");
      const pagerdutyId = "svc-dedup-two-pd";
      await store.run(async (tx) => {
        await tx.integrations.insert(
          integration(pagerdutyId, serviceId, { kind: "pagerduty", key: "key-pd" }),
        );
        await tx.alerts.insert(alert("al-two-webhook", serviceId, webhookId, { dedupKey: "db-1-disk" }));
        await tx.alerts.insert(alert("al-two-pd", serviceId, pagerdutyId, { dedupKey: "db-1-disk" }));
      });
      const firingIds = (integrationId: string) =>
        store.run(async (tx) => ({
          found: (await tx.alerts.findFiringOfIntegration(integrationId, "db-1-disk"))?.id,
          listed: (await tx.alerts.listFiringOfIntegration(integrationId, ["db-1-disk", "other"])).map(
            (a) => a.id,
          ),
        }));
      assert.deepEqual(await firingIds(webhookId), { found: "al-two-webhook", listed: ["al-two-webhook"] });
      assert.deepEqual(await firingIds(pagerdutyId), { found: "al-two-pd", listed: ["al-two-pd"] });

      const pd = await store.run((tx) => tx.alerts.findById("al-two-pd"));
      assert.ok(pd);
      await store.run((tx) => tx.alerts.update({ ...pd, status: "resolved", resolvedAt: at(5) }));
      assert.deepEqual(await firingIds(pagerdutyId), { found: undefined, listed: [] });
      assert.deepEqual(await firingIds(webhookId), { found: "al-two-webhook", listed: ["al-two-webhook"] });
      // And the PagerDuty integration may fire the key again while the webhook's alert still fires.
      await store.run((tx) =>
        tx.alerts.insert(alert("al-two-pd-again", serviceId, pagerdutyId, { dedupKey: "db-1-disk" })),
      );
      assert.deepEqual(await firingIds(pagerdutyId), {
        found: "al-two-pd-again",
        listed: ["al-two-pd-again"],
      });
    });

    it("lists newest first, filtered by service and status", async () => {
      const { serviceId, integrationId } = await givenService("svc-alert-list");
      await store.run(async (tx) => {
        await tx.alerts.insert(alert("al-l-1", serviceId, integrationId, { createdAt: at(1) }));
        await tx.alerts.insert(
          alert("al-l-2", serviceId, integrationId, {
            createdAt: at(2),
            status: "resolved",
            resolvedAt: at(3),
          }),
        );
        await tx.alerts.insert(alert("al-l-3", serviceId, integrationId, { createdAt: at(3) }));
      });
      const ids = async (args: Parameters<Tx["alerts"]["list"]>[0]) =>
        (await store.run((tx) => tx.alerts.list(args))).map((x) => x.id);
      assert.deepEqual(await ids({ serviceId, limit: 10 }), ["al-l-3", "al-l-2", "al-l-1"]);
      assert.deepEqual(await ids({ serviceId, status: "firing", limit: 10 }), ["al-l-3", "al-l-1"]);
      assert.deepEqual(await ids({ serviceId, status: "resolved", limit: 10 }), ["al-l-2"]);
      assert.deepEqual(await ids({ serviceId, limit: 1 }), ["al-l-3"]);
    });

    it("pages an incident's alerts in start order, counts them, and sums up several incidents at once", async () => {
      const { serviceId, integrationId } = await givenService("svc-alert-storm");
      await store.run(async (tx) => {
        await tx.incidents.insert(incident("inc-storm", serviceId));
        await tx.incidents.insert(incident("inc-calm", serviceId, { groupingKey: "group:calm" }));
        // Inserted out of start order; two of the eight resolved.
        for (const n of [5, 2, 7, 0, 3, 6, 1, 4])
          await tx.alerts.insert(
            alert(`al-s-${n}`, serviceId, integrationId, {
              incidentId: "inc-storm",
              startedAt: at(n * 1_000),
              createdAt: at(n * 1_000),
              labels: { instance: `node-${n}` },
              ...(n % 4 === 1 ? { status: "resolved" as const, resolvedAt: at(9_000) } : {}),
            }),
          );
        await tx.alerts.insert(alert("al-calm", serviceId, integrationId, { incidentId: "inc-calm" }));
      });
      const page = (limit: number, offset: number) =>
        store.run(async (tx) =>
          (await tx.alerts.listForIncident("inc-storm", { limit, offset })).map((a) => a.id),
        );
      assert.deepEqual(await page(3, 0), ["al-s-0", "al-s-1", "al-s-2"]);
      assert.deepEqual(await page(3, 6), ["al-s-6", "al-s-7"]);
      assert.equal((await store.run((tx) => tx.alerts.listForIncident("inc-storm"))).length, 8);
      assert.deepEqual(await store.run((tx) => tx.alerts.countForIncident("inc-storm")), {
        total: 8,
        firing: 6,
      });
      assert.deepEqual(await store.run((tx) => tx.alerts.countForIncident("nope")), { total: 0, firing: 0 });
      // Recorded at T0 + 0…7 s; strictly between the bounds.
      const firstBetween = (afterMs: number, beforeMs: number) =>
        store.run((tx) => tx.alerts.firstCreatedBetween("inc-storm", at(afterMs), at(beforeMs)));
      assert.deepEqual(await firstBetween(2_500, 9_000), at(3_000));
      assert.deepEqual(await firstBetween(3_000, 9_000), at(4_000));
      assert.equal(await firstBetween(7_000, 9_000), null);
      assert.equal(await firstBetween(-1, 0), null);

      const summary = await store.run((tx) =>
        tx.alerts.summarizeForIncidents(["inc-storm", "inc-calm", "nope"], 3),
      );
      assert.deepEqual(
        [...summary].map(([id, s]) => [id, s.first.map((a) => a.id), s.total, s.firing]).sort(),
        [
          ["inc-calm", ["al-calm"], 1, 1],
          ["inc-storm", ["al-s-0", "al-s-1", "al-s-2"], 8, 6],
        ],
      );
      assert.deepEqual(summary.get("inc-storm")!.first[1]!.labels, { instance: "node-1" }, "whole records");
    });
  });
});
