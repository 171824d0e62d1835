import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { expireDueAlerts } from "../../src/app/alerts/expire-alert.js";
import { ingestAlertEvents, ingestRequests } from "../../src/app/alerts/ingest-alert-events.js";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import type { AlertEvent } from "../../src/core/alerts/alert-event.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { sql } from "kysely";
import type { Database } from "../../src/store/schema.js";
import { createFreshDatabase, describeEachDialect } from "../support/dialects.js";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { waitFor } from "../support/wait-for.js";

const admin = { actor: systemActor("ingest batch test"), requestId: null };

const event = (
  action: AlertEvent["action"],
  dedupKey: string,
  alertname: string,
  severity: string,
  expiresAt: Date | null = null,
): AlertEvent => ({
  action,
  dedupKey,
  groupKey: null,
  summary: `${alertname} ${dedupKey}`,
  level: null,
  severity,
  labels: { alertname, instance: dedupKey },
  details: {},
  source: "test",
  occurredAt: new Date("2021-01-01T00:00:00Z"),
  expiresAt,
  links: [],
});

/**
 * Joins, refreshes, auto-resolve, reopen, a level raised by a later alert, an acknowledgement, a
 * ticket, and a key that fires again after resolving: every rule the batch must apply in order.
 */
const SEQUENCE: AlertEvent[] = [
  event("trigger", "a1", "DiskFull", "critical"),
  event("trigger", "a2", "DiskFull", "critical"),
  event("trigger", "a1", "DiskFull", "critical", new Date("2021-01-01T01:00:00Z")),
  event("resolve", "a1", "DiskFull", "critical"),
  event("resolve", "a2", "DiskFull", "critical"),
  event("trigger", "a3", "DiskFull", "critical"),
  event("trigger", "a1", "DiskFull", "critical"),
  event("trigger", "b1", "Latency", "warning"),
  event("trigger", "b2", "Latency", "critical"),
  event("acknowledge", "b1", "Latency", "warning"),
  event("trigger", "c1", "Info", "info"),
  event("resolve", "unknown", "Nothing", "critical"),
];

describeEachDialect("ingest in one batch = ingest one event at a time", (dialect) => {
  const started: TestFirebreak[] = [];
  afterEach(async () => {
    for (const fb of started.splice(0)) await fb.close();
  });

  async function setUp() {
    const clock = new FakeClock();
    const fb = await startTestFirebreak({
      dialect,
      clock,
      sender: new RecordingSender(),
      startEngine: false,
    });
    started.push(fb);
    const deps = fb.running.deps;
    const ada = await fb.user("responder", `ada-${dialect}-${started.length}@example.com`);
    await addContactMethod(deps, admin, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const policy = await createEscalationPolicy(deps, admin, {
      name: "primary",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    const channel = await createChannel(deps, admin, {
      name: "ops",
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/channel" },
    });
    const service = await createService(deps, admin, {
      name: "storage",
      escalationPolicyId: policy.id,
      channelId: channel.id,
      grouping: { mode: "labels", labels: ["alertname"], windowMinutes: null },
      reopenWindowMinutes: 30,
    });
    const integration = await createIntegration(deps, admin, {
      serviceId: service.id,
      kind: "prometheus",
    });
    return { fb, clock, deps, service, integration };
  }

  /** Everything ingest wrote, without generated ids: what a person or the engine can observe. */
  async function snapshot(fb: TestFirebreak) {
    return fb.running.deps.uow.run(async (tx) => {
      const incidents = (await tx.incidents.list({ limit: 100 })).reverse();
      const numberOf = new Map(incidents.map((i) => [i.id, i.number]));
      const alerts = (await tx.alerts.list({ limit: 100 }))
        .map((a) => ({
          key: a.dedupKey,
          status: a.status,
          level: a.level,
          incident: a.incidentId === null ? null : numberOf.get(a.incidentId),
          events: a.eventCount,
          expiresAt: a.expiresAt?.toISOString() ?? null,
        }))
        .sort((a, b) => `${a.key}${a.status}`.localeCompare(`${b.key}${b.status}`));
      const perIncident = [];
      for (const i of incidents) {
        perIncident.push({
          number: i.number - (incidents[0]?.number ?? 0),
          state: i.state,
          level: i.level,
          key: i.groupingKey,
          escalationVersion: i.escalationVersion,
          timeline: (await tx.timeline.listForIncident(i.id)).map((e) => `${e.kind}: ${e.message}`),
          deliveries: (await tx.deliveries.listForIncident(i.id))
            .map((d) => `${d.recipientKind} ${d.event}`)
            .sort(),
        });
      }
      return { alerts, incidents: perIncident };
    });
  }

  it("applies the events of one request exactly as one request per event would", async () => {
    const batched = await setUp();
    const outcomes = await ingestRequests(batched.deps, [
      { integrationId: batched.integration.id, events: SEQUENCE.slice(0, 5) },
      { integrationId: batched.integration.id, events: SEQUENCE.slice(5) },
    ]);
    const single = await setUp();
    let changed = 0;
    for (const e of SEQUENCE)
      changed += (await ingestAlertEvents(single.deps, single.integration.id, [e])).changed;

    assert.equal(outcomes[0]!.changed + outcomes[1]!.changed, changed);
    const expected = await snapshot(single.fb);
    assert.deepEqual(await snapshot(batched.fb), expected);
    // The sequence did what it says, so the comparison above compared something.
    assert.deepEqual(
      expected.incidents.map((i) => `${i.state} ${i.level}`),
      ["triggered page", "acknowledged page"],
    );
    assert.ok(expected.incidents[0]!.timeline.includes("incident.reopened: Reopened: DiskFull a3"));
  });

  it("numbers many new incidents in one go, consecutively, past one multi-row statement", async () => {
    const { fb, deps, integration } = await setUp();
    const events = Array.from({ length: 300 }, (_, i) => event("trigger", `k${i}`, `Alert${i}`, "critical"));
    const [outcome] = await ingestRequests(deps, [{ integrationId: integration.id, events }]);
    assert.equal(outcome!.incidentsOpened, 300);
    const numbers = (await deps.uow.run((tx) => tx.incidents.list({ limit: 500 }))).map((i) => i.number);
    const lowest = Math.min(...numbers);
    assert.deepEqual(
      [...numbers].sort((a, b) => a - b),
      Array.from({ length: 300 }, (_, i) => lowest + i),
    );
    const incident = await deps.uow.run(async (tx) => (await tx.incidents.list({ limit: 1 }))[0]!);
    const titles = await deps.uow.run(async (tx) =>
      (await tx.alerts.listForIncident(incident.id)).map((a) => a.summary),
    );
    assert.deepEqual(titles, [incident.title], "each alert is stored with the incident it opened");
    void fb;
  });

  it("one expiry timer per service: an alert not refreshed resolves at its end, a refreshed one later", async () => {
    const { fb, clock, deps, service, integration } = await setUp();
    const t0 = clock.now().getTime();
    const endsAt = (minutes: number) => new Date(t0 + minutes * MINUTE);
    await ingestAlertEvents(deps, integration.id, [
      event("trigger", "e1", "Expiring", "critical", endsAt(10)),
      event("trigger", "e2", "Expiring2", "critical", endsAt(10)),
    ]);
    await ingestAlertEvents(deps, integration.id, [
      event("trigger", "e2", "Expiring2", "critical", endsAt(20)),
    ]);
    const timers = await fb.running.store.handle.db
      .selectFrom("jobs")
      .select(["kind", "run_at"])
      .where("kind", "in", ["alerts.expire-due", "alert.expire"])
      .execute();
    assert.deepEqual(
      timers.map((t) => [t.kind, Number(t.run_at)]),
      [["alerts.expire-due", endsAt(10).getTime()]],
    );

    const statusOf = async () =>
      Object.fromEntries(
        (await deps.uow.run((tx) => tx.alerts.list({ serviceId: service.id, limit: 10 }))).map((a) => [
          a.dedupKey,
          a.status,
        ]),
      );
    await deps.uow.run((tx) => expireDueAlerts(tx, service.id, endsAt(10)));
    assert.deepEqual(await statusOf(), { e1: "resolved", e2: "firing" });
    const rearmed = await fb.running.store.handle.db
      .selectFrom("jobs")
      .select(["run_at"])
      .where("kind", "=", "alerts.expire-due")
      .execute();
    assert.deepEqual(
      rearmed.map((t) => Number(t.run_at)),
      [endsAt(20).getTime()],
      "re-armed for the next expiry",
    );
    await deps.uow.run((tx) => expireDueAlerts(tx, service.id, endsAt(20)));
    assert.deepEqual(await statusOf(), { e1: "resolved", e2: "resolved" });
  });
});

describeEachDialect("alert group locks", (dialect) => {
  it("serialise one grouping key of a service and let other keys go on", async () => {
    const fresh = await createFreshDatabase(dialect);
    try {
      const { db, caps } = fresh.handle;
      if (!caps.skipLocked) {
        // One connection, one transaction at a time: nothing to lock, nothing to read again.
        assert.equal(await caps.lockAlertGroups<Database>(db, "svc", ["a"]), false);
        return;
      }
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => {
        void db.transaction().execute(async (trx) => {
          await caps.lockAlertGroups<Database>(trx, "svc", ["group-a"]);
          resolve();
          await new Promise<void>((release) => (releaseFirst = release));
        });
      });
      await firstHolds;
      // Another key of the same service, and the same key of another service: not held up.
      await db.transaction().execute((trx) => caps.lockAlertGroups<Database>(trx, "svc", ["group-b"]));
      await db.transaction().execute((trx) => caps.lockAlertGroups<Database>(trx, "other", ["group-a"]));

      const order: string[] = [];
      const sameKey = db.transaction().execute(async (trx) => {
        await caps.lockAlertGroups<Database>(trx, "svc", ["group-a", "group-c"]);
        order.push("same key got it");
      });
      const wholeService = db.transaction().execute(async (trx) => {
        const many = Array.from({ length: 40 }, (_, i) => `bulk-${i}`);
        await caps.lockAlertGroups<Database>(trx, "svc", many);
        order.push("whole service got it");
      });
      // Both wait on the first transaction's locks (PostgreSQL shows them as not granted).
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(db);
          return rows[0]!.n >= 2;
        },
        { timeoutMs: 10_000, intervalMs: 20, what: "two transactions waiting for advisory locks" },
      );
      assert.equal(order.length, 0, "neither got its lock while the first transaction held it");
      order.push("first released");
      releaseFirst();
      await Promise.all([sameKey, wholeService]);
      assert.equal(order[0], "first released");
      assert.equal(order.length, 3);
    } finally {
      await fresh.drop();
    }
  });
});
