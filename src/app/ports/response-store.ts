import type { FollowUpHours, ProperFixFollowUp } from "../../core/response/fix-follow-ups.js";
import type { Fix } from "../../core/response/fixes.js";
import type { PostFixWatch } from "../../core/response/post-fix-watch.js";
import type { PublicUpdate } from "../../core/response/public-updates.js";
import type { ResponsePhase } from "../../core/response/response-phase.js";
import type { HandlerHandover } from "../../core/response/roles.js";
import type { AttackPlanTask } from "../../core/response/tasks.js";
import type { CallInTarget, ImpactLevel, Severity } from "../../core/response/triage.js";

/** Records of incident response, keyed by incident (or service) id. Instants are epoch ms. */

/**
 * Where the incident's key events go. `pending`: not decided yet (the `response.channel-open` job
 * decides); `slack-channel`: a channel of its own; `thread`: the service's shared channel; `none`.
 */
export type ResponseChannelKind = "pending" | "slack-channel" | "thread" | "none";

export interface ResponseChannel {
  readonly kind: ResponseChannelKind;
  /** The Slack channel id (slack-channel) or the shared channel's id (thread). */
  readonly channelId: string | null;
  readonly name: string | null;
  readonly url: string | null;
}

export interface TriageRecord {
  readonly severity: Severity;
  readonly level: ImpactLevel;
  readonly onCallCanHandle: boolean;
  readonly callIn: readonly CallInTarget[];
  readonly note: string;
  readonly triagedAtMs: number;
  readonly triagedBy: string;
}

/** The war room of one incident. `handlerId` is null only before triage. */
export interface IncidentResponseRecord {
  readonly incidentId: string;
  /** As stored; the read model derives "resolved" from the incident's own state. */
  readonly phase: ResponsePhase;
  readonly triage: TriageRecord | null;
  readonly handlerId: string | null;
  readonly commsLeadId: string | null;
  readonly responderIds: readonly string[];
  readonly pendingHandover: HandlerHandover | null;
  readonly watch: PostFixWatch | null;
  /** Since when a public update is required (a triage that set a level requiring one); null: not required. */
  readonly publicUpdateRequiredSinceMs: number | null;
  readonly videoCallUrl: string | null;
  readonly channel: ResponseChannel;
  /** Bumped by every change; an update carrying an older one is refused (two racing changes: one wins). */
  readonly version: number;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface StoredFollowUp extends ProperFixFollowUp {
  readonly incidentId: string;
}

export interface StoredPublicUpdate extends PublicUpdate {
  readonly id: string;
  readonly incidentId: string;
  /** When the status publisher took it; null until then. */
  readonly publishedAtMs: number | null;
}

export interface Vendor {
  readonly id: string;
  readonly name: string;
  readonly phone: string | null;
  readonly url: string | null;
  readonly notes: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface TitledLink {
  readonly title: string;
  readonly url: string;
}

export interface ServiceResponseSettings {
  readonly serviceId: string;
  readonly runbookUrl: string | null;
  readonly dashboards: readonly TitledLink[];
  readonly links: readonly TitledLink[];
  readonly watchMinutes: number;
  readonly followUpHours: FollowUpHours;
  readonly publicUpdateEveryMinutes: number;
  readonly stakeholderEmails: readonly string[];
  /** Services that depend on this one: their shared channels get the "back off" notice. */
  readonly dependentServiceIds: readonly string[];
  readonly updatedAtMs: number;
}

export interface IncidentResponseRepository {
  find(incidentId: string): Promise<IncidentResponseRecord | undefined>;
  insert(record: IncidentResponseRecord): Promise<void>;
  /** Writes `record` (whose version is the new one) if the stored version is `record.version - 1`; false otherwise. */
  update(record: IncidentResponseRecord): Promise<boolean>;
  /** The version of each incident's response that has one: it changes with every change (the live stream). */
  listVersions(incidentIds: readonly string[]): Promise<Map<string, number>>;
}

export interface IncidentTaskRepository {
  insert(incidentId: string, task: AttackPlanTask): Promise<void>;
  update(task: AttackPlanTask): Promise<void>;
  find(incidentId: string, taskId: string): Promise<AttackPlanTask | undefined>;
  /** Oldest first. */
  listForIncident(incidentId: string): Promise<AttackPlanTask[]>;
  /** Open or in-progress tasks the person owns, with their incident ids, oldest first. */
  listOpenOwnedBy(userId: string): Promise<Array<AttackPlanTask & { incidentId: string }>>;
}

export interface IncidentFixRepository {
  /** Fails the transaction (a unique violation: CONFLICT) if the incident has a fix with this number. */
  insert(incidentId: string, fix: Fix): Promise<void>;
  update(incidentId: string, fix: Fix): Promise<void>;
  /** By number. */
  listForIncident(incidentId: string): Promise<Fix[]>;
}

export interface FixFollowUpRepository {
  insert(followUp: StoredFollowUp): Promise<void>;
  update(followUp: StoredFollowUp): Promise<void>;
  find(incidentId: string, fixNumber: number): Promise<StoredFollowUp | undefined>;
  listForIncident(incidentId: string): Promise<StoredFollowUp[]>;
  /** By deadline: open ones, open ones due at or before `nowMs` (overdue), or all. */
  list(filter: {
    state: "open" | "overdue" | "all";
    nowMs: number;
    limit: number;
  }): Promise<StoredFollowUp[]>;
}

export interface PublicUpdateRepository {
  insert(update: StoredPublicUpdate): Promise<void>;
  find(id: string): Promise<StoredPublicUpdate | undefined>;
  /** Oldest first. */
  listForIncident(incidentId: string): Promise<StoredPublicUpdate[]>;
  markPublished(id: string, atMs: number): Promise<void>;
}

export interface VendorRepository {
  insert(vendor: Vendor): Promise<void>;
  update(vendor: Vendor): Promise<void>;
  delete(id: string): Promise<boolean>;
  findById(id: string): Promise<Vendor | undefined>;
  findByName(name: string): Promise<Vendor | undefined>;
  /** By name. */
  list(): Promise<Vendor[]>;
}

export interface ServiceResponseSettingsRepository {
  /** Undefined: the service uses the defaults. */
  find(serviceId: string): Promise<ServiceResponseSettings | undefined>;
  upsert(settings: ServiceResponseSettings): Promise<void>;
}

export interface ResponseTx {
  readonly incidentResponses: IncidentResponseRepository;
  readonly incidentTasks: IncidentTaskRepository;
  readonly incidentFixes: IncidentFixRepository;
  readonly fixFollowUps: FixFollowUpRepository;
  readonly publicUpdates: PublicUpdateRepository;
  readonly vendors: VendorRepository;
  readonly serviceResponseSettings: ServiceResponseSettingsRepository;
}
