import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { IncidentResponseRecord, StoredFollowUp } from "../../src/app/ports/response-store.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import type { Fix } from "../../src/core/response/fixes.js";
import type { AttackPlanTask } from "../../src/core/response/tasks.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { ROUND_TRIP_T0 as T0, serviceRecord } from "../support/store-records.js";

const incident = (id: string, serviceId: string): Omit<Incident, "number"> => ({
  id,
  serviceId,
  title: `Incident ${id}`,
  state: "acknowledged",
  level: "page",
  groupingKey: "group:g",
  openedAt: new Date(T0),
  acknowledgedAt: new Date(T0),
  acknowledgedBy: "u-1",
  resolvedAt: null,
  resolvedBy: null,
  escalation: null,
  escalationStep: 0,
  escalationLoop: 0,
  escalationVersion: 1,
  assigneeIds: [],
  updatedAt: new Date(T0),
});

const record = (incidentId: string): IncidentResponseRecord => ({
  incidentId,
  phase: "monitoring",
  triage: {
    severity: "SEV1",
    level: "data-corruption",
    onCallCanHandle: false,
    callIn: [
      { kind: "user", userId: "u-2" },
      { kind: "team", teamId: "t-1" },
      { kind: "contact", contactId: "v-1" },
    ],
    note: "writes look wrong",
    triagedAtMs: T0 + 1,
    triagedBy: "u-1",
  },
  handlerId: "u-1",
  commsLeadId: "u-3",
  responderIds: ["u-2", "u-4"],
  pendingHandover: { fromId: "u-1", toId: "u-2", proposedAtMs: T0 + 2 },
  watch: { fixNumber: 2, startedAtMs: T0 + 3, watchMinutes: 45, endsAtMs: T0 + 3 + 45 * MINUTE },
  publicUpdateRequiredSinceMs: T0 + 1,
  videoCallUrl: "https://meet.example.com/abc",
  channel: { kind: "slack-channel", channelId: "C0INC", name: "#inc-1-disk", url: "https://slack.com/x" },
  version: 1,
  createdAtMs: T0,
  updatedAtMs: T0 + 4,
});

const fix = (number: number, overrides: Partial<Fix> = {}): Fix => ({
  id: `fix-${number}`,
  number,
  kind: "hotfix",
  description: `fix number ${number}`,
  authorId: "u-1",
  state: "in-progress",
  startedAtMs: T0 + number,
  deployedAtMs: null,
  verifiedAtMs: null,
  failedAtMs: null,
  overriddenBy: null,
  overrideReason: null,
  ...overrides,
});

describeEachDialect("incident response store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
    await store.run(async (tx) => {
      await tx.services.insert(serviceRecord("s-1"));
      await tx.services.insert(serviceRecord("s-2"));
      for (const id of ["i-1", "i-2", "i-3"]) await tx.incidents.insert(incident(id, "s-1"));
    });
  });
  after(() => db.drop());

  it("round-trips a war room record, and an update needs the version it read", async () => {
    const stored = record("i-1");
    await store.run((tx) => tx.incidentResponses.insert(stored));
    assert.deepEqual(await store.run((tx) => tx.incidentResponses.find("i-1")), stored);
    assert.equal(await store.run((tx) => tx.incidentResponses.find("i-2")), undefined);

    const next = { ...stored, phase: "identified" as const, watch: null, pendingHandover: null, version: 2 };
    assert.equal(await store.run((tx) => tx.incidentResponses.update(next)), true);
    // A second writer that read version 1 too loses.
    assert.equal(await store.run((tx) => tx.incidentResponses.update({ ...stored, version: 2 })), false);
    assert.deepEqual(await store.run((tx) => tx.incidentResponses.find("i-1")), next);
    assert.deepEqual(
      await store.run((tx) => tx.incidentResponses.listVersions(["i-1", "i-2"])),
      new Map([["i-1", 2]]),
    );
  });

  it("keeps an untriaged record's nulls", async () => {
    const untriaged: IncidentResponseRecord = {
      ...record("i-2"),
      phase: "investigating",
      triage: null,
      handlerId: null,
      commsLeadId: null,
      responderIds: [],
      pendingHandover: null,
      watch: null,
      publicUpdateRequiredSinceMs: null,
      videoCallUrl: null,
      channel: { kind: "pending", channelId: null, name: null, url: null },
    };
    await store.run((tx) => tx.incidentResponses.insert(untriaged));
    assert.deepEqual(await store.run((tx) => tx.incidentResponses.find("i-2")), untriaged);
  });

  it("stores tasks and finds a person's open ones across incidents", async () => {
    const task = (
      id: string,
      ownerId: string | null,
      state: AttackPlanTask["state"],
      at: number,
    ): AttackPlanTask => ({
      id,
      title: `Task ${id}`,
      ownerId,
      state,
      createdBy: "u-1",
      createdAtMs: T0 + at,
      updatedAtMs: T0 + at,
      pendingHandover: null,
    });
    await store.run(async (tx) => {
      await tx.incidentTasks.insert("i-1", task("t-a", "u-2", "open", 1));
      await tx.incidentTasks.insert("i-1", task("t-b", "u-2", "done", 2));
      await tx.incidentTasks.insert("i-2", task("t-c", "u-2", "in-progress", 3));
      await tx.incidentTasks.insert("i-2", task("t-d", null, "open", 4));
    });
    const moved = {
      ...task("t-a", "u-2", "in-progress", 1),
      pendingHandover: { fromId: "u-2", toId: "u-3", requestedBy: "u-2", requestedAtMs: T0 + 9 },
      updatedAtMs: T0 + 9,
    };
    await store.run((tx) => tx.incidentTasks.update(moved));
    assert.deepEqual(await store.run((tx) => tx.incidentTasks.find("i-1", "t-a")), moved);
    assert.equal(
      await store.run((tx) => tx.incidentTasks.find("i-2", "t-a")),
      undefined,
      "scoped by incident",
    );
    assert.deepEqual(
      (await store.run((tx) => tx.incidentTasks.listForIncident("i-1"))).map((t) => t.id),
      ["t-a", "t-b"],
    );
    assert.deepEqual(
      (await store.run((tx) => tx.incidentTasks.listOpenOwnedBy("u-2"))).map((t) => [t.incidentId, t.id]),
      [
        ["i-1", "t-a"],
        ["i-2", "t-c"],
      ],
    );
  });

  it("numbers fixes once per incident: a second fix #1 is refused", async () => {
    await store.run(async (tx) => {
      await tx.incidentFixes.insert("i-1", fix(1));
      await tx.incidentFixes.insert(
        "i-1",
        fix(2, { kind: "rollback", overriddenBy: "u-1", overrideReason: "why" }),
      );
      await tx.incidentFixes.insert("i-2", fix(1, { id: "other-fix-1" }));
    });
    const deployed = fix(1, { state: "deployed", deployedAtMs: T0 + 10 });
    await store.run((tx) => tx.incidentFixes.update("i-1", deployed));
    const fixes = await store.run((tx) => tx.incidentFixes.listForIncident("i-1"));
    assert.deepEqual(fixes, [
      deployed,
      fix(2, { kind: "rollback", overriddenBy: "u-1", overrideReason: "why" }),
    ]);
    await assert.rejects(
      store.run((tx) => tx.incidentFixes.insert("i-1", fix(1, { id: "dupe" }))),
      (err: Error & { code?: string }) => err.code === "CONFLICT",
    );
  });

  it("reports follow-ups: open, overdue at an instant, or all, by deadline", async () => {
    const followUp = (
      incidentId: string,
      fixNumber: number,
      dueInHours: number,
      state: StoredFollowUp["state"],
    ) => ({
      incidentId,
      fixNumber,
      ownerId: "u-1",
      state,
      createdAtMs: T0,
      dueAtMs: T0 + dueInHours * HOUR,
      closedAtMs: state === "open" ? null : T0 + HOUR,
      closedBy: state === "open" ? null : "u-1",
      note: state === "open" ? "" : "shipped",
    });
    await store.run(async (tx) => {
      await tx.fixFollowUps.insert(followUp("i-1", 1, 24, "open"));
      await tx.fixFollowUps.insert(followUp("i-2", 1, 48, "open"));
      await tx.fixFollowUps.insert(followUp("i-3", 1, 12, "done"));
    });
    const list = (state: "open" | "overdue" | "all", nowMs: number) =>
      store.run(async (tx) =>
        (await tx.fixFollowUps.list({ state, nowMs, limit: 10 })).map(
          (f) => `${f.incidentId}#${f.fixNumber}`,
        ),
      );
    assert.deepEqual(await list("open", T0), ["i-1#1", "i-2#1"]);
    assert.deepEqual(await list("overdue", T0 + 24 * HOUR - 1), []);
    assert.deepEqual(await list("overdue", T0 + 24 * HOUR), ["i-1#1"]);
    assert.deepEqual(await list("all", T0), ["i-3#1", "i-1#1", "i-2#1"]);
    const closed = { ...followUp("i-1", 1, 24, "cancelled"), note: "hotfix failed", closedBy: null };
    await store.run((tx) => tx.fixFollowUps.update(closed));
    assert.deepEqual(await store.run((tx) => tx.fixFollowUps.find("i-1", 1)), closed);
    assert.deepEqual(await list("open", T0), ["i-2#1"]);
  });

  it("stores public updates in order and marks them published", async () => {
    const update = (id: string, at: number) => ({
      id,
      incidentId: "i-1",
      status: "investigating" as const,
      message: `message ${id}`,
      postedBy: "u-1",
      postedAtMs: T0 + at,
      componentIds: ["api", "web"],
      publishedAtMs: null,
    });
    await store.run(async (tx) => {
      await tx.publicUpdates.insert(update("p-2", 2));
      await tx.publicUpdates.insert(update("p-1", 1));
      await tx.publicUpdates.markPublished("p-1", T0 + 5);
    });
    assert.deepEqual(await store.run((tx) => tx.publicUpdates.listForIncident("i-1")), [
      { ...update("p-1", 1), publishedAtMs: T0 + 5 },
      update("p-2", 2),
    ]);
    assert.deepEqual(await store.run((tx) => tx.publicUpdates.find("p-2")), update("p-2", 2));
  });

  it("keeps vendors by unique name and service settings as one row per service", async () => {
    const vendor = {
      id: "v-1",
      name: "Acme DNS",
      phone: "+1 555 0100",
      url: null,
      notes: "24/7",
      createdAtMs: T0,
      updatedAtMs: T0,
    };
    await store.run((tx) => tx.vendors.insert(vendor));
    await assert.rejects(
      store.run((tx) => tx.vendors.insert({ ...vendor, id: "v-2" })),
      (err: Error & { code?: string }) => err.code === "CONFLICT",
    );
    await store.run((tx) =>
      tx.vendors.update({ ...vendor, url: "https://status.acme.example", updatedAtMs: T0 + 1 }),
    );
    assert.equal(
      (await store.run((tx) => tx.vendors.findByName("Acme DNS")))?.url,
      "https://status.acme.example",
    );
    assert.equal(await store.run((tx) => tx.vendors.delete("v-1")), true);
    assert.equal(await store.run((tx) => tx.vendors.delete("v-1")), false);

    const settings = {
      serviceId: "s-1",
      runbookUrl: "https://wiki.example.com/runbook",
      dashboards: [{ title: "Latency", url: "https://grafana.example.com/d/1" }],
      links: [],
      watchMinutes: 45,
      followUpHours: { outage: 12, "data-corruption": 24, degradation: 96 },
      publicUpdateEveryMinutes: 10,
      stakeholderEmails: ["support@example.com"],
      dependentServiceIds: ["s-2"],
      updatedAtMs: T0,
    };
    assert.equal(await store.run((tx) => tx.serviceResponseSettings.find("s-1")), undefined);
    await store.run((tx) => tx.serviceResponseSettings.upsert(settings));
    await store.run((tx) =>
      tx.serviceResponseSettings.upsert({ ...settings, watchMinutes: 20, updatedAtMs: T0 + 1 }),
    );
    assert.deepEqual(await store.run((tx) => tx.serviceResponseSettings.find("s-1")), {
      ...settings,
      watchMinutes: 20,
      updatedAtMs: T0 + 1,
    });
  });
});
