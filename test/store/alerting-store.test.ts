import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import type {
  Alert,
  ChangeEventRecord,
  ContactMethod,
  Delivery,
  Integration,
  MaintenanceWindowRecord,
  NotificationChannel,
  Service,
} from "../../src/core/alerts/records.js";
import type { Tx } from "../../src/app/ports/store.js";
import type { User } from "../../src/core/auth/records.js";
import { snapshotOf, type EscalationPolicy } from "../../src/core/escalation/policy.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrateToLatest, pendingMigrations } from "../../src/store/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/migrations/index.js";
import { openDatabase } from "../../src/store/open-database.js";
import { createFreshDatabase, describeEachDialect, type FreshDatabase } from "../support/dialects.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";

// Millisecond precision on purpose: instants must survive the BIGINT round trip exactly.
const T0 = new Date("2021-03-04T05:06:07.891Z");
const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

const user = (id: string): User => ({
  id,
  email: `${id}@example.com`,
  name: `User ${id}`,
  role: "responder",
  passwordHash: null,
  disabledAt: null,
  createdAt: T0,
  updatedAt: T0,
});

const policy = (id: string, overrides: Partial<EscalationPolicy> = {}): EscalationPolicy => ({
  id,
  name: `Policy ${id}`,
  steps: [
    { delayMinutes: 5, targets: [{ kind: "user", userId: "u-1" }] },
    {
      delayMinutes: 15,
      targets: [
        { kind: "team", teamId: "t-1" },
        { kind: "user", userId: "u-2" },
      ],
    },
  ],
  repeatCount: 2,
  updatedAt: T0,
  ...overrides,
});

const channel = (id: string, overrides: Partial<NotificationChannel> = {}): NotificationChannel => ({
  id,
  name: `Channel ${id}`,
  kind: "slack",
  config: { webhookUrl: "https://hooks.example.com/x", mentions: ["@here"], nested: { n: 1, ok: true } },
  createdAt: T0,
  updatedAt: at(1),
  ...overrides,
});

const service = (id: string, overrides: Partial<Service> = {}): Service => ({
  id,
  name: `Service ${id}`,
  description: "",
  teamId: null,
  escalationPolicyId: null,
  channelId: null,
  grouping: { mode: "group-key", labels: [], windowMinutes: null },
  autoResolve: false,
  reopenWindowMinutes: 0,
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
});

const integration = (id: string, serviceId: string, overrides: Partial<Integration> = {}): Integration => ({
  id,
  serviceId,
  kind: "alertmanager",
  name: `Integration ${id}`,
  key: `key-${id}`,
  defaultLevel: "page",
  rateLimitPerMinute: 120,
  heartbeatIntervalSeconds: null,
  heartbeatGraceSeconds: null,
  lastCheckInAt: null,
  disabledAt: null,
  createdAt: T0,
  rotatedAt: null,
  ...overrides,
});

const alert = (
  id: string,
  serviceId: string,
  integrationId: string,
  overrides: Partial<Alert> = {},
): Alert => ({
  id,
  serviceId,
  integrationId,
  dedupKey: `dedup-${id}`,
  groupingKey: "group:g",
  status: "firing",
  level: "page",
  suppressed: false,
  summary: `Alert ${id}`,
  severity: null,
  labels: {},
  details: {},
  source: null,
  links: [],
  startedAt: T0,
  lastEventAt: T0,
  expiresAt: null,
  resolvedAt: null,
  incidentId: null,
  eventCount: 1,
  createdAt: T0,
  ...overrides,
});

const incident = (
  id: string,
  serviceId: string,
  overrides: Partial<Omit<Incident, "number">> = {},
): Omit<Incident, "number"> => ({
  id,
  serviceId,
  title: `Incident ${id}`,
  state: "triggered",
  level: "page",
  groupingKey: "group:g",
  openedAt: T0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalation: null,
  escalationStep: 0,
  escalationLoop: 0,
  escalationVersion: 0,
  assigneeIds: [],
  updatedAt: T0,
  ...overrides,
});

const delivery = (id: string, incidentId: string, overrides: Partial<Delivery> = {}): Delivery => ({
  id,
  incidentId,
  event: "triggered",
  recipientKind: "user",
  recipientId: "u-1",
  contactMethodId: null,
  channelId: null,
  idempotencyKey: `idem-${id}`,
  status: "pending",
  attempts: 0,
  lastError: null,
  externalId: null,
  createdAt: T0,
  sentAt: null,
  ...overrides,
});

describeEachDialect("alerting store", (dialect) => {
  let db: FreshDatabase;
  let store: KyselyStore;
  const clock = new FakeClock();

  /** A service with one integration, for tests that need somewhere to put alerts and incidents. */
  const givenService = async (id: string): Promise<{ serviceId: string; integrationId: string }> => {
    await store.run(async (tx) => {
      await tx.services.insert(service(id));
      await tx.integrations.insert(integration(`${id}-int`, id));
    });
    return { serviceId: id, integrationId: `${id}-int` };
  };

  before(async () => {
    db = await createFreshDatabase(dialect);
    store = new KyselyStore(db.handle, () => clock.now());
  });
  after(async () => db.drop());

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
        assert.deepEqual(await tx.alerts.findFiring(serviceId, a.dedupKey), a);
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
        assert.equal(await tx.alerts.findFiring(serviceId, a.dedupKey), undefined);
        assert.equal(await tx.alerts.countFiringForIncident("inc-alert-rt"), 0);
      });
    });

    it("allows one firing alert per service and dedup key, and any number of resolved ones", async () => {
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
      assert.equal((await store.run((tx) => tx.alerts.findFiring(serviceId, "k")))?.id, "al-d-fire");
      // Turning a resolved one back to firing while another fires is refused too.
      const resolved = await store.run((tx) => tx.alerts.findById("al-d-res-1"));
      assert.ok(resolved);
      await assert.rejects(
        store.run((tx) => tx.alerts.update({ ...resolved, status: "firing", resolvedAt: null })),
      );
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
      const entry = (kind: string, ms: number) => ({
        incidentId: "inc-tl-storm",
        at: at(ms),
        kind,
        actor: null,
        message: kind,
        data: {},
      });
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
