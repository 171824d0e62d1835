import type {
  Alert,
  ChangeEventRecord,
  ContactMethod,
  Delivery,
  DeliveryStatus,
  Integration,
  MaintenanceWindowRecord,
  NotificationChannel,
  Service,
  StoredNotificationRule,
  TimelineEntry,
} from "../../core/alerts/records.js";
import type { EscalationPolicy } from "../../core/escalation/policy.js";
import type { Incident, IncidentState } from "../../core/incidents/incident.js";

/** Repositories of the alert pipeline. Every method runs inside the caller's transaction. */

export interface ServiceRepository {
  /**
   * Serialises alert processing of these grouping keys of one service until the transaction ends
   * (grouping reads, then writes); other keys go on in parallel. A no-op where the database runs one
   * transaction at a time (SQLite). Take every key a transaction needs in one call (no deadlock).
   * True when it locked: rows read before may have changed and must be read again.
   */
  lockAlertGroups(serviceId: string, groupingKeys: readonly string[]): Promise<boolean>;
  insert(service: Service): Promise<void>;
  update(service: Service): Promise<void>;
  /** Archived ones too: their incidents still show their name. */
  findById(id: string): Promise<Service | undefined>;
  /** Live services only (an archived one gave its name up). */
  findByName(name: string): Promise<Service | undefined>;
  /** Live services only, by name. */
  list(): Promise<Service[]>;
  /** Deleted (archived) services only, by the name they had; for lists that name old incidents' services. */
  listArchived(): Promise<Service[]>;
  /** Deleted by a person: hidden from lists and name look-ups, its name free for a new service. */
  archive(id: string, at: Date): Promise<void>;
}

export interface IntegrationRepository {
  insert(integration: Integration): Promise<void>;
  update(integration: Integration): Promise<void>;
  findById(id: string): Promise<Integration | undefined>;
  /**
   * findById for a read-modify-write: the row stays locked until the transaction ends (PostgreSQL;
   * SQLite's write transaction holds the whole database), so a concurrent check-in, rotation or
   * disable cannot be overwritten with what this transaction read.
   */
  findForChange(id: string): Promise<Integration | undefined>;
  /** findByKey and findByKeys skip archived integrations: a deleted integration's key is unknown. */
  findByKey(key: string): Promise<Integration | undefined>;
  findByKeys(keys: readonly string[]): Promise<Integration[]>;
  /** Its integrations that are not archived, of every kind (the "manual" one too). */
  listForService(serviceId: string): Promise<Integration[]>;
  /** Deleted by a person: archived (its alerts refer to it) and disabled, its key unknown from now on. */
  archive(id: string, at: Date): Promise<void>;
  /**
   * How many integrations each service has, in one query: those not archived and not the system's own
   * "manual" one (which no list shows). Only the given service when `serviceId` is set; a service
   * with none is absent from the map.
   */
  countByService(serviceId?: string): Promise<ReadonlyMap<string, IntegrationCounts>>;
  /**
   * The `heartbeat.check` timers waiting for these heartbeats (the jobs under their check key that
   * have not failed for good; one running now too), by integration id. A heartbeat with none is absent.
   */
  pendingHeartbeatChecks(
    integrationIds: readonly string[],
  ): Promise<ReadonlyMap<string, PendingHeartbeatCheck>>;
}

/** A heartbeat's waiting `heartbeat.check` timer, as the engine will run it. */
export interface PendingHeartbeatCheck {
  /** When the engine runs it. */
  readonly runAt: Date;
  /** The check-in it was armed after (its payload): a newer one means it raises nothing. */
  readonly checkInAtMs: number | null;
}

/** A service's integrations as its listing counts them. */
export interface IntegrationCounts {
  /** Every one, disabled ones included. */
  readonly total: number;
  /** Those not disabled: they take alerts. */
  readonly enabled: number;
}

/** An incident's first alerts and how many it has. */
export interface IncidentAlerts {
  readonly first: readonly Alert[];
  readonly total: number;
  readonly firing: number;
}

export interface AlertRepository {
  insert(alert: Alert): Promise<void>;
  update(alert: Alert): Promise<void>;
  /** Multi-row forms of insert and update (the ingest fast path). */
  insertMany(alerts: readonly Alert[]): Promise<void>;
  updateMany(alerts: readonly Alert[]): Promise<void>;
  findById(id: string): Promise<Alert | undefined>;
  /**
   * The firing alerts the integration opened with any of these keys. Keys are the sender's own: the
   * same key from another integration of the service is another alert, which this one never touches.
   */
  listFiringOfIntegration(integrationId: string, dedupKeys: readonly string[]): Promise<Alert[]>;
  /** Firing alerts of a service whose expiry is at or before `now`, earliest first. */
  listExpiredFiring(serviceId: string, now: Date, limit: number): Promise<Alert[]>;
  /** The earliest expiry among the service's firing alerts (null: none expires). */
  nextExpiry(serviceId: string): Promise<Date | null>;
  /** The firing alert the integration opened with this key (at most one; a unique index guarantees it). */
  findFiringOfIntegration(integrationId: string, dedupKey: string): Promise<Alert | undefined>;
  /** In start order; `page`: one page of them (an alert storm can put thousands in one incident). */
  listForIncident(incidentId: string, page?: { limit: number; offset?: number }): Promise<Alert[]>;
  /** When the incident's first alert recorded strictly between the two instants was recorded. */
  firstCreatedBetween(incidentId: string, after: Date, before: Date): Promise<Date | null>;
  /** How many alerts the incident has, and how many of them fire. */
  countForIncident(incidentId: string): Promise<{ total: number; firing: number }>;
  /**
   * For messages about several incidents at once, by incident id: each one's first `firstCount`
   * alerts in start order and its counts, without reading every alert of a storm.
   */
  summarizeForIncidents(
    incidentIds: readonly string[],
    firstCount: number,
  ): Promise<Map<string, IncidentAlerts>>;
  /**
   * Marks the incident's firing alerts resolved at `now` (a person resolved it): a later trigger of
   * one of their keys is then a new alert, not a refresh. How many it marked.
   */
  resolveFiringForIncident(incidentId: string, now: Date): Promise<number>;
  /** Firing alerts of a service that a maintenance window kept from paging. */
  listSuppressedFiring(serviceId: string): Promise<Alert[]>;
  countFiringForIncident(incidentId: string): Promise<number>;
  /** Newest first. */
  list(args: { serviceId?: string; status?: "firing" | "resolved"; limit: number }): Promise<Alert[]>;
}

export interface IncidentRepository {
  /** Assigns the next human number and returns it. */
  insert(incident: Omit<Incident, "number">): Promise<Incident>;
  /** Numbers them in the given order, with one counter update. */
  insertMany(incidents: ReadonlyArray<Omit<Incident, "number">>): Promise<Incident[]>;
  update(incident: Incident): Promise<void>;
  updateMany(incidents: readonly Incident[]): Promise<void>;
  findById(id: string): Promise<Incident | undefined>;
  findByIds(ids: readonly string[]): Promise<Incident[]>;
  findByNumber(number: number): Promise<Incident | undefined>;
  /**
   * The incident's waiting `escalation.advance` timer: when it runs and the escalation version it was
   * armed for (a timer of an older version does nothing). Undefined when none waits.
   */
  pendingEscalationTimer(incidentId: string): Promise<{ runAt: Date; version: number } | undefined>;
  /** pendingEscalationTimer for many incidents in one read (a list page), by incident id; none waits: absent. */
  pendingEscalationTimers(
    incidentIds: readonly string[],
  ): Promise<Map<string, { runAt: Date; version: number }>>;
  /** Open (not resolved) incidents of a service with this grouping key. */
  listOpenByGroupingKey(serviceId: string, groupingKey: string): Promise<Incident[]>;
  /** The most recently resolved incident of a service with this key, resolved at or after `since`. */
  findRecentlyResolved(serviceId: string, groupingKey: string, since: Date): Promise<Incident | undefined>;
  /**
   * Every incident of a service with one of these keys that is open, or was resolved at or after
   * `resolvedSince` (null: open ones only).
   */
  listByGroupingKeys(
    serviceId: string,
    groupingKeys: readonly string[],
    resolvedSince: Date | null,
  ): Promise<Incident[]>;
  /** Newest first; `beforeNumber` pages backwards. */
  list(args: {
    states?: readonly IncidentState[];
    serviceId?: string;
    limit: number;
    beforeNumber?: number;
  }): Promise<Incident[]>;
}

export interface TimelineRepository {
  append(entry: Omit<TimelineEntry, "id">): Promise<void>;
  /** Appends in the given order. */
  appendMany(entries: ReadonlyArray<Omit<TimelineEntry, "id">>): Promise<void>;
  /** Oldest first. */
  listForIncident(incidentId: string): Promise<TimelineEntry[]>;
  /**
   * The timeline for people to read: every entry except that only the first `maxAlertEntries` of
   * the "alert added" and "alert resolved" entries are listed (a storm writes one per alert).
   */
  listForIncidentCapped(
    incidentId: string,
    maxAlertEntries: number,
  ): Promise<{ entries: TimelineEntry[]; omittedAlertEntries: number }>;
  /** When the incident's latest entry of one of these kinds was written (null: none is). */
  lastEntryAt(incidentId: string, kinds: readonly string[]): Promise<Date | null>;
}

export interface EscalationPolicyRepository {
  insert(policy: EscalationPolicy): Promise<void>;
  update(policy: EscalationPolicy): Promise<void>;
  findById(id: string): Promise<EscalationPolicy | undefined>;
  findByName(name: string): Promise<EscalationPolicy | undefined>;
  /** Incidents keep the copy they started with, so nothing else refers to a policy but services. */
  delete(id: string): Promise<boolean>;
  list(): Promise<EscalationPolicy[]>;
}

export interface ContactMethodRepository {
  insert(method: ContactMethod): Promise<void>;
  findById(id: string): Promise<ContactMethod | undefined>;
  listForUser(userId: string): Promise<ContactMethod[]>;
  delete(id: string): Promise<boolean>;
  /** Replaces all of a user's rules. */
  replaceRules(userId: string, rules: readonly StoredNotificationRule[]): Promise<void>;
  listRules(userId: string): Promise<StoredNotificationRule[]>;
}

export interface ChannelRepository {
  insert(channel: NotificationChannel): Promise<void>;
  update(channel: NotificationChannel): Promise<void>;
  findById(id: string): Promise<NotificationChannel | undefined>;
  /**
   * findById for a rename or new settings: the row stays locked until the transaction ends (PostgreSQL;
   * SQLite's write transaction holds the whole database), so two changes cannot overwrite each other
   * and a channel deleted meanwhile is not found. Services naming it are not held up.
   */
  findForChange(id: string): Promise<NotificationChannel | undefined>;
  /**
   * findById for a delete: the row stays locked until the transaction ends, after every service
   * being pointed at it (findForUse) has committed, so the check of who uses it sees them all.
   */
  findForDelete(id: string): Promise<NotificationChannel | undefined>;
  /**
   * findById for a service about to name it as its shared channel: it cannot be deleted until the
   * transaction ends, and one being deleted is waited for and then not found.
   */
  findForUse(id: string): Promise<NotificationChannel | undefined>;
  /**
   * Serialises channel creates and renames until the transaction ends, so two cannot both find one
   * name free (PostgreSQL; a no-op where one transaction runs at a time).
   */
  lockNames(): Promise<void>;
  list(): Promise<NotificationChannel[]>;
  /**
   * The numbers of unresolved incidents whose war room posts its updates as a thread in this channel,
   * lowest first, at most `limit`.
   */
  listOpenWarRoomIncidents(channelId: string, limit: number): Promise<number[]>;
  /** Services (archived ones too) and deliveries that named it keep null instead (ON DELETE SET NULL). */
  delete(id: string): Promise<boolean>;
}

export interface DeliveryRepository {
  /** False when a delivery with this idempotency key exists already (nothing is written). */
  insertIfAbsent(delivery: Delivery): Promise<boolean>;
  /** Which of these idempotency keys are taken already. */
  listTakenKeys(idempotencyKeys: readonly string[]): Promise<Set<string>>;
  /** Inserts deliveries whose idempotency keys are known to be free (a taken one fails the transaction). */
  insertMany(deliveries: readonly Delivery[]): Promise<void>;
  findById(id: string): Promise<Delivery | undefined>;
  findByIds(ids: readonly string[]): Promise<Delivery[]>;
  /** Writes each delivery's status, attempts, last error, external id and sent time. */
  recordAttempts(deliveries: readonly Delivery[]): Promise<void>;
  markAttempt(
    id: string,
    changes: {
      status: DeliveryStatus;
      attempts: number;
      lastError: string | null;
      externalId?: string | null;
      sentAt?: Date | null;
    },
  ): Promise<void>;
  listForIncident(incidentId: string): Promise<Delivery[]>;
  /** The latest delivery to this channel for the incident that got an external id (to update it). */
  findLastExternalId(incidentId: string, channelId: string): Promise<string | null>;
  /** findLastExternalId for every channel of several incidents, keyed `${incidentId} ${channelId}`. */
  findLastExternalIds(incidentIds: readonly string[]): Promise<Map<string, string>>;
}

export interface ChangeEventRepository {
  insert(event: ChangeEventRecord): Promise<void>;
  /** Newest first, occurred in [from, to]. */
  listForService(serviceId: string, from: Date, to: Date, limit: number): Promise<ChangeEventRecord[]>;
}

export interface MaintenanceRepository {
  insert(window: MaintenanceWindowRecord): Promise<void>;
  findById(id: string): Promise<MaintenanceWindowRecord | undefined>;
  delete(id: string): Promise<boolean>;
  listForService(serviceId: string): Promise<MaintenanceWindowRecord[]>;
  /** Every service's windows (the services list says which are in maintenance now). */
  listAll(): Promise<MaintenanceWindowRecord[]>;
}

export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /** Sets the value unless one is there; returns the value that is stored afterwards. */
  setIfAbsent(key: string, value: string): Promise<string>;
}

export interface AlertingTx {
  readonly services: ServiceRepository;
  readonly integrations: IntegrationRepository;
  readonly alerts: AlertRepository;
  readonly incidents: IncidentRepository;
  readonly timeline: TimelineRepository;
  readonly escalationPolicies: EscalationPolicyRepository;
  readonly contactMethods: ContactMethodRepository;
  readonly channels: ChannelRepository;
  readonly deliveries: DeliveryRepository;
  readonly changeEvents: ChangeEventRepository;
  readonly maintenance: MaintenanceRepository;
  readonly settings: SettingsRepository;
}
