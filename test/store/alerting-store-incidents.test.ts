// Alerting store, on SQLite and PostgreSQL: incidents (round trip, grouping, reopening, listing,
// numbering, concurrent numbering on two instances) and their timeline, storms included.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Tx } from "../../src/app/ports/store.js";
import { snapshotOf } from "../../src/core/escalation/policy.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { openDatabase } from "../../src/store/open-database.js";
import { createFreshDatabase, describeEachDialect } from "../support/dialects.js";
import { HOUR, MINUTE } from "../support/fake-clock.js";
import { at, incident, policy, service, T0, useAlertingStore } from "./alerting-store-kit.js";

/** A system entry of `kind` at `ms` after T0, its message the kind. */
const timelineEntry = (incidentId: string, kind: string, ms: number) => ({
  incidentId,
  at: at(ms),
  kind,
  actor: null,
  message: kind,
  data: {},
});

describeEachDialect("alerting store", (dialect) => {
  let store: KyselyStore;
  const { clock, givenService } = useAlertingStore(dialect, (opened) => ({ store } = opened));

  describe("incidents", () => {
    it("round-trip every field, the escalation snapshot included, and apply updates", async () => {
      const { serviceId } = await givenService("svc-inc-rt");
      const snapshot = snapshotOf(policy("pol-snap", { updatedAt: at(-HOUR) }));
      const draft = incident("inc-rt", serviceId, {
        title: "Checkout is down",
        state: "acknowledged",
        level: "notify",
        groupingKey: 'group:{}/{alertname="X"}',
        openedAt: at(1),
        acknowledgedAt: at(2),
        acknowledgedBy: "u-ack",
        escalation: snapshot,
        escalationStep: 1,
        escalationLoop: 2,
        escalationVersion: 3,
        assigneeIds: ["u-a", "u-b"],
        updatedAt: at(3),
      });
      const inserted = await store.run((tx) => tx.incidents.insert(draft));
      assert.ok(Number.isInteger(inserted.number) && inserted.number > 0);
      assert.deepEqual(inserted, { ...draft, number: inserted.number });
      await store.run(async (tx) => {
        assert.deepEqual(await tx.incidents.findById(draft.id), inserted);
        assert.deepEqual(await tx.incidents.findByNumber(inserted.number), inserted);
        assert.equal(await tx.incidents.findByNumber(999_999), undefined);
      });

      const resolved: Incident = {
        ...inserted,
        state: "resolved",
        resolvedAt: at(10),
        resolvedBy: "system",
        escalation: null,
        assigneeIds: [],
        escalationVersion: 4,
        updatedAt: at(10),
      };
      await store.run((tx) => tx.incidents.update(resolved));
      assert.deepEqual(await store.run((tx) => tx.incidents.findById(draft.id)), resolved);
    });

    it("lists open incidents by grouping key, never resolved ones", async () => {
      const { serviceId } = await givenService("svc-inc-group");
      const other = await givenService("svc-inc-group-other");
      await store.run(async (tx) => {
        await tx.incidents.insert(incident("inc-g-trig", serviceId, { groupingKey: "k" }));
        await tx.incidents.insert(
          incident("inc-g-ack", serviceId, {
            groupingKey: "k",
            state: "acknowledged",
            acknowledgedAt: at(1),
            acknowledgedBy: "u",
          }),
        );
        await tx.incidents.insert(
          incident("inc-g-res", serviceId, {
            groupingKey: "k",
            state: "resolved",
            resolvedAt: at(2),
            resolvedBy: "u",
          }),
        );
        await tx.incidents.insert(incident("inc-g-otherkey", serviceId, { groupingKey: "other" }));
        await tx.incidents.insert(incident("inc-g-othersvc", other.serviceId, { groupingKey: "k" }));
      });
      const open = await store.run((tx) => tx.incidents.listOpenByGroupingKey(serviceId, "k"));
      assert.deepEqual(open.map((i) => i.id).sort(), ["inc-g-ack", "inc-g-trig"]);
      assert.deepEqual(await store.run((tx) => tx.incidents.listOpenByGroupingKey(serviceId, "none")), []);
    });

    it("finds the most recently resolved incident resolved at or after `since`", async () => {
      const { serviceId } = await givenService("svc-inc-reopen");
      const resolvedAt = (id: string, when: Date) =>
        incident(id, serviceId, { groupingKey: "k", state: "resolved", resolvedAt: when, resolvedBy: "u" });
      await store.run(async (tx) => {
        await tx.incidents.insert(resolvedAt("inc-r-old", at(-2 * HOUR)));
        await tx.incidents.insert(resolvedAt("inc-r-new", at(-10 * MINUTE)));
        await tx.incidents.insert(incident("inc-r-open", serviceId, { groupingKey: "k" }));
        await tx.incidents.insert(
          incident("inc-r-otherkey", serviceId, {
            groupingKey: "j",
            state: "resolved",
            resolvedAt: at(0),
            resolvedBy: "u",
          }),
        );
      });
      const find = (since: Date, key = "k") =>
        store.run((tx) => tx.incidents.findRecentlyResolved(serviceId, key, since));
      assert.equal((await find(at(-3 * HOUR)))?.id, "inc-r-new");
      assert.equal((await find(at(-10 * MINUTE)))?.id, "inc-r-new", "resolved exactly at `since` counts");
      assert.equal(await find(at(-10 * MINUTE + 1)), undefined);
      assert.equal((await find(at(-3 * HOUR), "j"))?.id, "inc-r-otherkey");
      assert.equal(
        await store.run((tx) => tx.incidents.findRecentlyResolved("svc-inc-group-other", "k", at(-3 * HOUR))),
        undefined,
      );
    });

    it("lists newest first, filtered by states and service, paged by number", async () => {
      const { serviceId } = await givenService("svc-inc-list");
      const other = await givenService("svc-inc-list-other");
      const numbers = new Map<string, number>();
      await store.run(async (tx) => {
        for (const [id, svc, state] of [
          ["inc-l-1", serviceId, "triggered"],
          ["inc-l-2", serviceId, "resolved"],
          ["inc-l-3", other.serviceId, "triggered"],
          ["inc-l-4", serviceId, "acknowledged"],
          ["inc-l-5", serviceId, "triggered"],
        ] as const) {
          const created = await tx.incidents.insert(incident(id, svc, { state }));
          numbers.set(id, created.number);
        }
      });
      const ids = async (args: Parameters<Tx["incidents"]["list"]>[0]) =>
        (await store.run((tx) => tx.incidents.list(args))).map((i) => i.id);
      assert.deepEqual(await ids({ serviceId, limit: 10 }), ["inc-l-5", "inc-l-4", "inc-l-2", "inc-l-1"]);
      assert.deepEqual(await ids({ serviceId, states: ["triggered", "acknowledged"], limit: 10 }), [
        "inc-l-5",
        "inc-l-4",
        "inc-l-1",
      ]);
      assert.deepEqual(await ids({ serviceId, states: ["resolved"], limit: 10 }), ["inc-l-2"]);
      assert.deepEqual(await ids({ serviceId, states: [], limit: 10 }), []);
      const firstPage = await ids({ serviceId, limit: 2 });
      assert.deepEqual(firstPage, ["inc-l-5", "inc-l-4"]);
      assert.deepEqual(await ids({ serviceId, limit: 2, beforeNumber: numbers.get("inc-l-4")! }), [
        "inc-l-2",
        "inc-l-1",
      ]);
      assert.deepEqual(await ids({ serviceId, limit: 2, beforeNumber: numbers.get("inc-l-1")! }), []);
      const everything = await ids({ limit: 1000 });
      assert.ok(everything.indexOf("inc-l-3") < everything.indexOf("inc-l-2"), "all services, newest first");
      assert.deepEqual(await ids({ states: ["triggered"], serviceId: other.serviceId, limit: 10 }), [
        "inc-l-3",
      ]);
    });

    it("numbers incidents 1, 2, 3… and gives a rolled-back number back", async () => {
      const fresh = await createFreshDatabase(dialect);
      try {
        const own = new KyselyStore(fresh.handle, () => clock.now());
        await own.run((tx) => tx.services.insert(service("svc-num")));
        const first = await own.run((tx) => tx.incidents.insert(incident("inc-n-1", "svc-num")));
        await assert.rejects(
          own.run(async (tx) => {
            await tx.incidents.insert(incident("inc-n-rolled-back", "svc-num"));
            throw new Error("boom");
          }),
          /boom/,
        );
        const second = await own.run((tx) => tx.incidents.insert(incident("inc-n-2", "svc-num")));
        const third = await own.run((tx) => tx.incidents.insert(incident("inc-n-3", "svc-num")));
        assert.deepEqual([first.number, second.number, third.number], [1, 2, 3]);
        assert.equal((await own.run((tx) => tx.incidents.findByNumber(2)))?.id, "inc-n-2");
      } finally {
        await fresh.drop();
      }
    });

    it(
      dialect === "postgres"
        ? "numbers 20 incidents from 20 concurrent transactions on two instances 1..20"
        : "numbers 20 incidents 1..20",
      async () => {
        const fresh = await createFreshDatabase(dialect);
        const second =
          fresh.location.kind === "postgres"
            ? openDatabase({ kind: "postgres", url: fresh.location.url, poolSize: 10 })
            : undefined;
        try {
          const stores = [new KyselyStore(fresh.handle, () => clock.now())];
          if (second) stores.push(new KyselyStore(second, () => clock.now()));
          await stores[0]!.run((tx) => tx.services.insert(service("svc-conc")));
          const open = (n: number) =>
            stores[n % stores.length]!.run(async (tx) => {
              const created = await tx.incidents.insert(incident(`inc-c-${n}`, "svc-conc"));
              // Keep the transaction open a little so that the others pile up behind its row lock.
              await tx.timeline.append({
                incidentId: created.id,
                at: T0,
                kind: "incident.triggered",
                actor: null,
                message: "",
                data: {},
              });
              if (dialect === "postgres") await new Promise((resolve) => setTimeout(resolve, 10));
              return created.number;
            });
          const numbers =
            dialect === "postgres"
              ? await Promise.all(Array.from({ length: 20 }, (_, n) => open(n)))
              : await Array.from({ length: 20 }, (_, n) => n).reduce<Promise<number[]>>(
                  async (acc, n) => [...(await acc), await open(n)],
                  Promise.resolve([]),
                );
          assert.deepEqual(
            [...numbers].sort((a, b) => a - b),
            Array.from({ length: 20 }, (_, i) => i + 1),
          );
          const listed = await stores[0]!.run((tx) =>
            tx.incidents.list({ serviceId: "svc-conc", limit: 100 }),
          );
          assert.deepEqual(
            listed.map((i) => i.number),
            Array.from({ length: 20 }, (_, i) => 20 - i),
          );
        } finally {
          await second?.close();
          await fresh.drop();
        }
      },
    );
  });

  describe("timeline", () => {
    it("appends entries and lists them oldest first, actor or not", async () => {
      const { serviceId } = await givenService("svc-tl");
      await store.run((tx) => tx.incidents.insert(incident("inc-tl", serviceId)));
      await store.run(async (tx) => {
        await tx.timeline.append({
          incidentId: "inc-tl",
          at: at(2),
          kind: "incident.acknowledged",
          actor: { kind: "user", id: "u-1", label: "Ada" },
          message: "Acknowledged",
          data: { via: "web" },
        });
        await tx.timeline.append({
          incidentId: "inc-tl",
          at: at(1),
          kind: "incident.triggered",
          actor: null,
          message: "Triggered by 2 alerts",
          data: { alerts: ["a", "b"], n: 2 },
        });
        await tx.timeline.append({
          incidentId: "inc-tl",
          at: at(2),
          kind: "notification.failed",
          actor: { kind: "system", id: "system", label: "engine" },
          message: "",
          data: {},
        });
      });
      const entries = await store.run((tx) => tx.timeline.listForIncident("inc-tl"));
      assert.deepEqual(
        entries.map(({ id: _id, ...rest }) => rest),
        [
          {
            incidentId: "inc-tl",
            at: at(1),
            kind: "incident.triggered",
            actor: null,
            message: "Triggered by 2 alerts",
            data: { alerts: ["a", "b"], n: 2 },
          },
          {
            incidentId: "inc-tl",
            at: at(2),
            kind: "incident.acknowledged",
            actor: { kind: "user", id: "u-1", label: "Ada" },
            message: "Acknowledged",
            data: { via: "web" },
          },
          {
            incidentId: "inc-tl",
            at: at(2),
            kind: "notification.failed",
            actor: { kind: "system", id: "system", label: "engine" },
            message: "",
            data: {},
          },
        ],
      );
      assert.ok(entries.every((e) => typeof e.id === "string" && /^\d+$/.test(e.id)));
      assert.equal(new Set(entries.map((e) => e.id)).size, 3);
      assert.deepEqual(await store.run((tx) => tx.timeline.listForIncident("nope")), []);
    });

    it("lists a storm's timeline with every other entry and only the first alert entries", async () => {
      const { serviceId } = await givenService("svc-tl-storm");
      await store.run((tx) => tx.incidents.insert(incident("inc-tl-storm", serviceId)));
      const entry = (kind: string, ms: number) => timelineEntry("inc-tl-storm", kind, ms);
      await store.run((tx) =>
        tx.timeline.appendMany([
          entry("incident.triggered", 0),
          ...Array.from({ length: 6 }, (_, i) => entry("alert.added", 10 + i)),
          entry("incident.acknowledged", 20),
          ...Array.from({ length: 4 }, (_, i) => entry("alert.resolved", 30 + i)),
          entry("incident.resolved", 40),
        ]),
      );
      const { entries, omittedAlertEntries } = await store.run((tx) =>
        tx.timeline.listForIncidentCapped("inc-tl-storm", 3),
      );
      assert.deepEqual(
        entries.map((e) => e.kind),
        [
          "incident.triggered",
          "alert.added",
          "alert.added",
          "alert.added",
          "incident.acknowledged",
          "incident.resolved",
        ],
      );
      assert.equal(omittedAlertEntries, 7);
      const all = await store.run((tx) => tx.timeline.listForIncidentCapped("inc-tl-storm", 100));
      assert.equal(all.entries.length, 13);
      assert.equal(all.omittedAlertEntries, 0);
    });

    it("says when the latest entry of some kinds was written", async () => {
      const { serviceId } = await givenService("svc-tl-last");
      await store.run((tx) => tx.incidents.insert(incident("inc-tl-last", serviceId)));
      const entry = (kind: string, ms: number) => timelineEntry("inc-tl-last", kind, ms);
      await store.run((tx) =>
        tx.timeline.appendMany([
          entry("incident.reopened", 5),
          entry("incident.acknowledged", 7),
          entry("incident.reopened", 9),
          entry("incident.resolved", 12),
        ]),
      );
      const lastOf = (kinds: string[]) => store.run((tx) => tx.timeline.lastEntryAt("inc-tl-last", kinds));
      assert.deepEqual(await lastOf(["incident.reopened"]), at(9));
      assert.deepEqual(await lastOf(["incident.acknowledged", "incident.reopened"]), at(9));
      assert.deepEqual(await lastOf(["incident.resolved", "incident.reopened"]), at(12));
      assert.equal(await lastOf(["incident.retriggered"]), null);
    });
  });
});
