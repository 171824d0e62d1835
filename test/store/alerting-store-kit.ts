// Shared by the alerting-store-*.test.ts suites: record builders with every field set, and the
// per-dialect database, store, fake clock and `givenService` each suite opens in `before`.
import { after, before } from "node:test";
import type {
  Alert,
  Delivery,
  Integration,
  NotificationChannel,
  Service,
} from "../../src/core/alerts/records.js";
import type { User } from "../../src/core/auth/records.js";
import type { EscalationPolicy } from "../../src/core/escalation/policy.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { createFreshDatabase, type DialectName, type FreshDatabase } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";

// Millisecond precision on purpose: instants must survive the BIGINT round trip exactly.
export const T0 = new Date("2021-03-04T05:06:07.891Z");
export const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

export const user = (id: string): User => ({
  id,
  email: `${id}@example.com`,
  name: `User ${id}`,
  role: "responder",
  passwordHash: null,
  disabledAt: null,
  createdAt: T0,
  updatedAt: T0,
});

export const policy = (id: string, overrides: Partial<EscalationPolicy> = {}): EscalationPolicy => ({
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

export const channel = (id: string, overrides: Partial<NotificationChannel> = {}): NotificationChannel => ({
  id,
  name: `Channel ${id}`,
  kind: "slack",
  config: { webhookUrl: "https://hooks.example.com/x", mentions: ["@here"], nested: { n: 1, ok: true } },
  createdAt: T0,
  updatedAt: at(1),
  ...overrides,
});

export const service = (id: string, overrides: Partial<Service> = {}): Service => ({
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

export const integration = (
  id: string,
  serviceId: string,
  overrides: Partial<Integration> = {},
): Integration => ({
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

export const alert = (
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

export const incident = (
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

export const delivery = (id: string, incidentId: string, overrides: Partial<Delivery> = {}): Delivery => ({
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

/** What a suite's `before` opened: a fresh, migrated database of the dialect and a store on it. */
export interface OpenedAlertingStore {
  readonly db: FreshDatabase;
  readonly store: KyselyStore;
}

/**
 * Registers the suite's `before` (fresh database, store on a fake clock, handed to `opened`) and `after`
 * (drops the database) on the calling `describeEachDialect` block; returns the clock and `givenService`.
 */
export function useAlertingStore(
  dialect: DialectName,
  opened: (suite: OpenedAlertingStore) => void,
): {
  clock: FakeClock;
  givenService: (id: string) => Promise<{ serviceId: string; integrationId: string }>;
} {
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
    opened({ db, store });
  });
  after(async () => db.drop());

  return { clock, givenService };
}
