import type {
  ComponentGroupRecord,
  MaintenanceRecord,
  MaintenanceUpdateRecord,
  StatusComponentRecord,
  StatusIncidentRecord,
  StatusIncidentUpdateRecord,
  StatusPageRecord,
  StatusSubscriberRecord,
  SubscriberKind,
} from "../../core/status/status-records.js";

/** Repositories of the public status pages. Instants are epoch ms; lists are in display order. */

/** What the public side needs to route a request and check its cache: one cheap query for all pages. */
export interface StatusPageHead {
  readonly id: string;
  readonly slug: string;
  readonly customDomain: string | null;
  readonly private: boolean;
  /** SHA-256 of a private page's secret link token. */
  readonly secretTokenHash: string | null;
  readonly version: number;
}

export interface StatusPageRepository {
  insert(page: StatusPageRecord): Promise<void>;
  /** Writes every field but the version (which only `touch` moves). */
  update(page: StatusPageRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  findById(id: string): Promise<StatusPageRecord | undefined>;
  findBySlug(slug: string): Promise<StatusPageRecord | undefined>;
  list(): Promise<StatusPageRecord[]>;
  /**
   * Something the page shows changed: bumps its version and updated_at in the caller's transaction,
   * so a reader that sees the new version sees the change. Returns the new version.
   */
  touch(id: string, atMs: number): Promise<number>;
  listHeads(): Promise<StatusPageHead[]>;
  headOf(id: string): Promise<StatusPageHead | undefined>;
}

export interface StatusComponentRepository {
  listGroups(pageId: string): Promise<ComponentGroupRecord[]>;
  findGroup(id: string): Promise<ComponentGroupRecord | undefined>;
  insertGroup(group: ComponentGroupRecord): Promise<void>;
  updateGroup(group: ComponentGroupRecord): Promise<void>;
  /** Deletes the group; its components stay, ungrouped. */
  deleteGroup(id: string): Promise<boolean>;
  listComponents(pageId: string): Promise<StatusComponentRecord[]>;
  findComponent(id: string): Promise<StatusComponentRecord | undefined>;
  insertComponent(component: StatusComponentRecord): Promise<void>;
  /** Also replaces its service links. */
  updateComponent(component: StatusComponentRecord): Promise<void>;
  deleteComponent(id: string): Promise<boolean>;
  /** Components on any page linked to the service. */
  listForService(serviceId: string): Promise<StatusComponentRecord[]>;
}

export interface StatusIncidentRepository {
  /** The incident's own fields; updates go through insertUpdate. */
  insert(incident: StatusIncidentRecord): Promise<void>;
  update(incident: StatusIncidentRecord): Promise<void>;
  findById(id: string): Promise<StatusIncidentRecord | undefined>;
  findBySource(pageId: string, sourceIncidentId: string): Promise<StatusIncidentRecord | undefined>;
  /** Unresolved ones, and those created since `sinceMs`; newest first, with their updates. */
  listForPage(pageId: string, args: { sinceMs: number; limit: number }): Promise<StatusIncidentRecord[]>;
  insertUpdate(update: StatusIncidentUpdateRecord): Promise<void>;
  findUpdate(id: string): Promise<StatusIncidentUpdateRecord | undefined>;
}

export interface StatusMaintenanceRepository {
  insert(maintenance: MaintenanceRecord): Promise<void>;
  update(maintenance: MaintenanceRecord): Promise<void>;
  findById(id: string): Promise<MaintenanceRecord | undefined>;
  /** Those not completed, and those scheduled to start since `sinceMs`; newest start first, with updates. */
  listForPage(pageId: string, args: { sinceMs: number; limit: number }): Promise<MaintenanceRecord[]>;
  insertUpdate(update: MaintenanceUpdateRecord): Promise<void>;
  /** The services whose maintenance windows the maintenance made, so a change can undo them. */
  heldServiceIds(id: string): Promise<string[]>;
  setHeldServiceIds(id: string, serviceIds: readonly string[]): Promise<void>;
}

export interface StatusSubscriberRepository {
  insert(subscriber: StatusSubscriberRecord): Promise<void>;
  findById(id: string): Promise<StatusSubscriberRecord | undefined>;
  findByConfirmTokenHash(hash: string): Promise<StatusSubscriberRecord | undefined>;
  findByUnsubscribeTokenHash(hash: string): Promise<StatusSubscriberRecord | undefined>;
  findByAddress(
    pageId: string,
    kind: SubscriberKind,
    email: string,
    webhookUrl: string | null,
  ): Promise<StatusSubscriberRecord | undefined>;
  confirm(id: string, atMs: number): Promise<void>;
  delete(id: string): Promise<boolean>;
  listForPage(pageId: string): Promise<StatusSubscriberRecord[]>;
  /** Confirmed subscribers only: the ones that hear about updates. */
  listConfirmedIds(pageId: string): Promise<string[]>;
}

export interface StatusTx {
  readonly statusPages: StatusPageRepository;
  readonly statusComponents: StatusComponentRepository;
  readonly statusIncidents: StatusIncidentRepository;
  readonly statusMaintenances: StatusMaintenanceRepository;
  readonly statusSubscribers: StatusSubscriberRepository;
}
