import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type {
  MaintenanceRecord,
  StatusComponentRecord,
  StatusIncidentRecord,
  StatusPageRecord,
  StatusSubscriberRecord,
} from "../../src/core/status/status-records.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR } from "../support/fake-clock.js";
import { ROUND_TRIP_T0 as T0, serviceRecord } from "../support/store-records.js";

const page = (id: string, slug: string, over: Partial<StatusPageRecord> = {}): StatusPageRecord => ({
  id,
  slug,
  title: `Page ${slug}`,
  logoUrl: null,
  brandColor: "#1F6FEB",
  customDomain: null,
  private: false,
  secretTokenHash: null,
  timeZone: "Europe/Berlin",
  version: 1,
  createdAtMs: T0,
  updatedAtMs: T0,
  ...over,
});

const component = (
  id: string,
  pageId: string,
  over: Partial<StatusComponentRecord> = {},
): StatusComponentRecord => ({
  id,
  pageId,
  groupId: null,
  name: `Component ${id}`,
  description: null,
  position: 0,
  serviceIds: [],
  manualStatus: null,
  onlyShowIfDegraded: false,
  showcase: true,
  createdAtMs: T0,
  updatedAtMs: T0,
  ...over,
});

const incident = (id: string, over: Partial<StatusIncidentRecord> = {}): StatusIncidentRecord => ({
  id,
  pageId: "p-1",
  name: `Incident ${id}`,
  status: "investigating",
  impact: "major",
  componentIds: ["c-1"],
  componentStatus: "partial_outage",
  sourceIncidentId: null,
  createdAtMs: T0,
  updatedAtMs: T0,
  monitoringAtMs: null,
  resolvedAtMs: null,
  updates: [],
  ...over,
});

describeEachDialect("status page store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
    await store.run(async (tx) => {
      await tx.services.insert(serviceRecord("s-1"));
      await tx.services.insert(serviceRecord("s-2"));
      await tx.statusPages.insert(
        page("p-1", "acme", { customDomain: "status.acme.example", private: true, secretTokenHash: "h" }),
      );
      await tx.statusPages.insert(page("p-2", "other"));
    });
  });
  after(() => db.drop());

  it("round-trips a page, bumps its version and updated_at, and lists the heads", async () => {
    assert.deepEqual(
      await store.run((tx) => tx.statusPages.findBySlug("acme")),
      page("p-1", "acme", { customDomain: "status.acme.example", private: true, secretTokenHash: "h" }),
    );
    assert.equal(await store.run((tx) => tx.statusPages.touch("p-1", T0 + 5)), 2);
    assert.equal(await store.run((tx) => tx.statusPages.touch("p-1", T0 + 1)), 3);
    const after = await store.run((tx) => tx.statusPages.findById("p-1"));
    assert.equal(after?.version, 3);
    assert.equal(after?.updatedAtMs, T0 + 5, "updated_at never goes backwards");
    assert.deepEqual(
      (await store.run((tx) => tx.statusPages.listHeads())).sort((a, b) => a.id.localeCompare(b.id)),
      [
        {
          id: "p-1",
          slug: "acme",
          customDomain: "status.acme.example",
          private: true,
          secretTokenHash: "h",
          version: 3,
        },
        { id: "p-2", slug: "other", customDomain: null, private: false, secretTokenHash: null, version: 1 },
      ],
    );
    // update() leaves the version to touch().
    await store.run((tx) =>
      tx.statusPages.update({ ...page("p-2", "other"), title: "Renamed", version: 99 }),
    );
    assert.equal((await store.run((tx) => tx.statusPages.headOf("p-2")))?.version, 1);
    await assert.rejects(
      store.run((tx) => tx.statusPages.insert(page("p-3", "acme"))),
      /concurrent change|CONFLICT|same record/i,
      "slugs are unique",
    );
  });

  it("stores groups and components with their service links; deleting a group ungroups", async () => {
    await store.run(async (tx) => {
      await tx.statusComponents.insertGroup({
        id: "g-1",
        pageId: "p-1",
        name: "API",
        position: 0,
        createdAtMs: T0,
        updatedAtMs: T0,
      });
      await tx.statusComponents.insertComponent(
        component("c-1", "p-1", {
          groupId: "g-1",
          serviceIds: ["s-1", "s-2"],
          manualStatus: "degraded_performance",
        }),
      );
      await tx.statusComponents.insertComponent(component("c-2", "p-1", { position: 1, description: "Web" }));
      await tx.statusComponents.insertComponent(
        component("c-3", "p-2", { serviceIds: ["s-1"], onlyShowIfDegraded: true, showcase: false }),
      );
    });
    assert.deepEqual(
      await store.run((tx) => tx.statusComponents.findComponent("c-1")),
      component("c-1", "p-1", {
        groupId: "g-1",
        serviceIds: ["s-1", "s-2"],
        manualStatus: "degraded_performance",
      }),
    );
    assert.deepEqual(
      (await store.run((tx) => tx.statusComponents.listForService("s-1"))).map((c) => c.id),
      ["c-1", "c-3"],
    );
    await store.run((tx) =>
      tx.statusComponents.updateComponent(component("c-1", "p-1", { groupId: "g-1", serviceIds: ["s-2"] })),
    );
    assert.deepEqual(
      (await store.run((tx) => tx.statusComponents.listForService("s-1"))).map((c) => c.id),
      ["c-3"],
    );
    assert.equal(await store.run((tx) => tx.statusComponents.deleteGroup("g-1")), true);
    assert.equal((await store.run((tx) => tx.statusComponents.findComponent("c-1")))?.groupId, null);
    assert.deepEqual(
      (await store.run((tx) => tx.statusComponents.listComponents("p-2")))[0],
      component("c-3", "p-2", { serviceIds: ["s-1"], onlyShowIfDegraded: true, showcase: false }),
    );
  });

  it("stores incidents with updates, one per source incident and page, and lists open and recent ones", async () => {
    const update = {
      id: "u-1",
      incidentId: "i-open",
      status: "investigating" as const,
      body: "Looking",
      componentStatus: "major_outage" as const,
      affectedComponents: [
        {
          componentId: "c-1",
          name: "Component c-1",
          oldStatus: "operational" as const,
          newStatus: "major_outage" as const,
        },
      ],
      createdAtMs: T0 + 1,
    };
    await store.run(async (tx) => {
      await tx.statusIncidents.insert(
        incident("i-open", { sourceIncidentId: "inc-9", createdAtMs: T0 - 100 * 24 * HOUR }),
      );
      await tx.statusIncidents.insertUpdate(update);
      await tx.statusIncidents.insert(
        incident("i-old", { status: "resolved", resolvedAtMs: T0, createdAtMs: T0 - 100 * 24 * HOUR }),
      );
      await tx.statusIncidents.insert(
        incident("i-new", {
          status: "resolved",
          resolvedAtMs: T0 + 2,
          createdAtMs: T0 + 1,
          monitoringAtMs: T0 + 1,
        }),
      );
    });
    assert.deepEqual(await store.run((tx) => tx.statusIncidents.findBySource("p-1", "inc-9")), {
      ...incident("i-open", { sourceIncidentId: "inc-9", createdAtMs: T0 - 100 * 24 * HOUR }),
      updates: [update],
    });
    assert.deepEqual(await store.run((tx) => tx.statusIncidents.findUpdate("u-1")), update);
    assert.deepEqual(
      (
        await store.run((tx) => tx.statusIncidents.listForPage("p-1", { sinceMs: T0 - 24 * HOUR, limit: 10 }))
      ).map((i) => i.id),
      ["i-new", "i-open"],
      "recent ones and open ones, newest first; old resolved ones are left out",
    );
    await assert.rejects(
      store.run((tx) => tx.statusIncidents.insert(incident("i-dup", { sourceIncidentId: "inc-9" }))),
      /concurrent change|same record/i,
    );
  });

  it("stores maintenances with updates and the services they hold", async () => {
    const m: MaintenanceRecord = {
      id: "m-1",
      pageId: "p-1",
      name: "DB upgrade",
      body: "Upgrading",
      componentIds: ["c-1"],
      scheduledForMs: T0 + HOUR,
      scheduledUntilMs: T0 + 2 * HOUR,
      status: "scheduled",
      startedAtMs: null,
      completedAtMs: null,
      cancelledAtMs: null,
      createdAtMs: T0,
      updatedAtMs: T0,
      updates: [],
    };
    await store.run(async (tx) => {
      await tx.statusMaintenances.insert(m);
      await tx.statusMaintenances.insertUpdate({
        id: "mu-1",
        maintenanceId: "m-1",
        status: "scheduled",
        body: "Planned",
        createdAtMs: T0,
      });
      await tx.statusMaintenances.setHeldServiceIds("m-1", ["s-1"]);
    });
    const moved = { ...m, status: "in_progress" as const, startedAtMs: T0 + HOUR };
    await store.run((tx) => tx.statusMaintenances.update(moved));
    assert.deepEqual(await store.run((tx) => tx.statusMaintenances.findById("m-1")), {
      ...moved,
      updates: [{ id: "mu-1", maintenanceId: "m-1", status: "scheduled", body: "Planned", createdAtMs: T0 }],
    });
    assert.deepEqual(await store.run((tx) => tx.statusMaintenances.heldServiceIds("m-1")), ["s-1"]);
    assert.deepEqual(
      (
        await store.run((tx) =>
          tx.statusMaintenances.listForPage("p-1", { sinceMs: T0 + 10 * HOUR, limit: 5 }),
        )
      ).map((x) => x.id),
      ["m-1"],
      "unfinished ones always",
    );
  });

  it("stores subscribers by token hash; only confirmed ones are listed for sending", async () => {
    const s = (id: string, over: Partial<StatusSubscriberRecord> = {}): StatusSubscriberRecord => ({
      id,
      pageId: "p-1",
      kind: "email",
      email: `${id}@example.com`,
      webhookUrl: null,
      confirmTokenHash: `confirm-${id}`,
      unsubscribeTokenHash: `unsub-${id}`,
      confirmedAtMs: null,
      createdAtMs: T0,
      ...over,
    });
    await store.run(async (tx) => {
      await tx.statusSubscribers.insert(s("a"));
      await tx.statusSubscribers.insert(
        s("b", { kind: "webhook", webhookUrl: "https://hooks.example.com/x" }),
      );
    });
    assert.deepEqual(
      await store.run((tx) => tx.statusSubscribers.findByConfirmTokenHash("confirm-b")),
      s("b", { kind: "webhook", webhookUrl: "https://hooks.example.com/x" }),
    );
    assert.equal(
      (await store.run((tx) => tx.statusSubscribers.findByAddress("p-1", "email", "a@example.com", null)))
        ?.id,
      "a",
    );
    assert.deepEqual(await store.run((tx) => tx.statusSubscribers.listConfirmedIds("p-1")), []);
    await store.run((tx) => tx.statusSubscribers.confirm("a", T0 + 5));
    await store.run((tx) => tx.statusSubscribers.confirm("a", T0 + 9));
    assert.equal(
      (await store.run((tx) => tx.statusSubscribers.findByUnsubscribeTokenHash("unsub-a")))?.confirmedAtMs,
      T0 + 5,
      "the first confirmation stays",
    );
    assert.deepEqual(await store.run((tx) => tx.statusSubscribers.listConfirmedIds("p-1")), ["a"]);
    await assert.rejects(
      store.run((tx) =>
        tx.statusSubscribers.insert(
          s("a2", { email: "a@example.com", confirmTokenHash: "x", unsubscribeTokenHash: "y" }),
        ),
      ),
      /concurrent change|same record/i,
    );
    assert.equal(await store.run((tx) => tx.statusSubscribers.delete("a")), true);
    assert.equal(await store.run((tx) => tx.statusSubscribers.delete("a")), false);
  });

  it("deleting a page deletes everything on it", async () => {
    await store.run((tx) => tx.statusPages.delete("p-1"));
    assert.deepEqual(await store.run((tx) => tx.statusComponents.listComponents("p-1")), []);
    assert.equal(await store.run((tx) => tx.statusIncidents.findById("i-open")), undefined);
    assert.equal(await store.run((tx) => tx.statusMaintenances.findById("m-1")), undefined);
    assert.deepEqual(await store.run((tx) => tx.statusSubscribers.listForPage("p-1")), []);
  });
});
