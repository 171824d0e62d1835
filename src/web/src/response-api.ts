// Incident response as the console uses it: triage, roles, tasks, fixes and their follow-ups, public
// updates, the diagnosis panel, the contact directory and each service's response settings. Shapes
// follow /work/notes/response-api.md (the REST contract); instants arrive as ISO strings.
import type { Alert, AlertCounts, ChangeEvent, EscalationPolicy, Incident } from "./alerting-api";
import { request } from "./api";

export type Severity = "SEV1" | "SEV2" | "SEV3" | "SEV4";
export type ImpactLevel = "degradation" | "data-corruption" | "outage";
export type ResponsePhase = "investigating" | "identified" | "monitoring" | "resolved";
export type TaskState = "open" | "in-progress" | "done" | "dropped";
export type FixKind = "rollback" | "hotfix" | "proper-fix";
export type FixState = "in-progress" | "deployed" | "verified" | "failed";
export type FollowUpState = "open" | "done" | "cancelled";

/** Whom "call in" pages: a person or a team through their notification rules, or a vendor's line. */
export type CallInTarget =
  | { kind: "user"; userId: string }
  | { kind: "team"; teamId: string }
  | { kind: "contact"; contactId: string };

export interface HandlerHandover {
  fromId: string;
  toId: string;
  proposedAt: string;
}

export interface Watch {
  fixNumber: number;
  startedAt: string;
  endsAt: string;
  watchMinutes: number;
}

export interface Channel {
  kind: "slack-channel" | "thread" | "none";
  name: string | null;
  url: string | null;
}

export interface Response {
  incidentId: string;
  phase: ResponsePhase;
  severity: Severity | null;
  level: ImpactLevel | null;
  onCallCanHandle: boolean | null;
  callIn: CallInTarget[];
  triageNote: string;
  triagedAt: string | null;
  triagedBy: string | null;
  handlerId: string | null;
  handlerName: string | null;
  commsLeadId: string | null;
  responderIds: string[];
  pendingHandover: HandlerHandover | null;
  watch: Watch | null;
  publicUpdateRequired: boolean;
  nextPublicUpdateReminderAt: string | null;
  videoCallUrl: string | null;
  channel: Channel;
}

/** A change of a task's owner waiting for one person's yes (see `handoverAwaits`). */
export interface TaskHandover {
  fromId: string;
  toId: string;
  requestedBy: string;
  requestedAt: string;
}

export interface Task {
  id: string;
  title: string;
  ownerId: string | null;
  ownerName: string | null;
  state: TaskState;
  pendingHandover: TaskHandover | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One of my open tasks, anywhere: the task with the incident it belongs to. */
export interface MyTask extends Task {
  incidentId: string;
  incidentNumber: number;
  incidentTitle: string;
}

export interface Fix {
  id: string;
  number: number;
  kind: FixKind;
  description: string;
  authorId: string;
  authorName: string;
  state: FixState;
  startedAt: string;
  deployedAt: string | null;
  verifiedAt: string | null;
  failedAt: string | null;
  overriddenBy: string | null;
  overrideReason: string | null;
}

export interface FollowUp {
  incidentId: string;
  incidentNumber: number;
  /** Present on the report across incidents. */
  incidentTitle?: string;
  fixNumber: number;
  ownerId: string;
  ownerName: string;
  state: FollowUpState;
  createdAt: string;
  dueAt: string;
  closedAt: string | null;
  overdue: boolean;
}

export interface PublicUpdate {
  id: string;
  status: ResponsePhase;
  message: string;
  postedBy: string;
  postedByName: string;
  postedAt: string;
  componentIds: string[];
}

export interface TitledLink {
  title: string;
  url: string;
}

export interface Diagnosis {
  runbookUrl: string | null;
  dashboards: TitledLink[];
  links: TitledLink[];
  recentChanges: ChangeEvent[];
  /** The first 100; `alertCounts` says how many there are. */
  alerts: Alert[];
  alertCounts: AlertCounts;
}

export interface Choice<T extends string> {
  id: T;
  title: string;
  meaning?: string;
  definition?: string;
}

export interface WarRoom {
  incident: Incident;
  response: Response;
  tasks: Task[];
  fixes: Fix[];
  followUps: FollowUp[];
  publicUpdates: PublicUpdate[];
  diagnosis: Diagnosis;
  playbook: { level: ImpactLevel; steps: string[] } | null;
  severities: Array<Choice<Severity> & { meaning: string }>;
  levels: Array<Choice<ImpactLevel> & { definition: string }>;
  oneFixBlock: { reason: string; fixNumber: number } | null;
  publicUpdateDraft: { status: ResponsePhase; message: string } | null;
}

export interface TriageInput {
  severity: Severity;
  level: ImpactLevel;
  onCallCanHandle: boolean;
  callIn?: CallInTarget[];
  note?: string;
  handlerId?: string;
}

export interface Phone {
  label: string;
  number: string;
}

export interface DirectoryPerson {
  id: string;
  name: string;
  email: string;
  /** From the person's SMS and voice contact methods. */
  phones: Phone[];
}

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: string;
}

export interface DirectoryTeam {
  id: string;
  name: string;
  escalationPolicies: Array<Pick<EscalationPolicy, "id" | "name">>;
  members: TeamMember[];
}

export interface Vendor {
  id: string;
  name: string;
  phone: string | null;
  url: string | null;
  notes: string;
}

export type VendorInput = Omit<Vendor, "id">;

export interface Directory {
  teams: DirectoryTeam[];
  people: DirectoryPerson[];
  vendors: Vendor[];
}

export interface FollowUpHours {
  outage: number;
  "data-corruption": number;
  degradation: number;
}

export interface ResponseSettings {
  runbookUrl: string | null;
  dashboards: TitledLink[];
  links: TitledLink[];
  watchMinutes: number;
  followUpHours: FollowUpHours;
  publicUpdateEveryMinutes: number;
  stakeholderEmails: string[];
  dependentServiceIds: string[];
}

const id = encodeURIComponent;
const base = (incidentId: string) => `/api/v1/incidents/${id(incidentId)}`;

export const response = {
  warRoom: (incidentId: string) => request<WarRoom>("GET", `${base(incidentId)}/response`),
  triage: (incidentId: string, body: TriageInput) =>
    request<WarRoom>("POST", `${base(incidentId)}/triage`, body),

  proposeHandover: (incidentId: string, toUserId: string) =>
    request<unknown>("POST", `${base(incidentId)}/handover`, { toUserId }),
  answerHandover: (incidentId: string, answer: "accept" | "decline" | "cancel") =>
    request<unknown>("POST", `${base(incidentId)}/handover/${answer}`),
  setCommsLead: (incidentId: string, userId: string | null) =>
    request<unknown>("PUT", `${base(incidentId)}/comms-lead`, { userId }),
  addResponder: (incidentId: string, userId: string) =>
    request<unknown>("POST", `${base(incidentId)}/responders`, { userId }),
  removeResponder: (incidentId: string, userId: string) =>
    request<unknown>("DELETE", `${base(incidentId)}/responders/${id(userId)}`),
  movePhase: (incidentId: string, phase: ResponsePhase) =>
    request<unknown>("POST", `${base(incidentId)}/phase`, { phase }),
  setVideoCall: (incidentId: string, url: string | null) =>
    request<unknown>("PUT", `${base(incidentId)}/video-call`, { url }),
  callIn: (incidentId: string, targets: CallInTarget[]) =>
    request<unknown>("POST", `${base(incidentId)}/call-in`, { targets }),
  postInternalUpdate: (incidentId: string, message: string) =>
    request<{ postedAt: string; message: string; emailed: string[]; backOff: string[] }>(
      "POST",
      `${base(incidentId)}/internal-updates`,
      { message },
    ),

  addTask: (incidentId: string, body: { title: string; ownerId?: string }) =>
    request<Task>("POST", `${base(incidentId)}/tasks`, body),
  moveTask: (incidentId: string, taskId: string, state: TaskState) =>
    request<Task>("PATCH", `${base(incidentId)}/tasks/${id(taskId)}`, { state }),
  assignTask: (incidentId: string, taskId: string, ownerId: string | null) =>
    request<Task>("POST", `${base(incidentId)}/tasks/${id(taskId)}/assign`, { ownerId }),
  requestTaskHandover: (incidentId: string, taskId: string, toUserId: string) =>
    request<Task>("POST", `${base(incidentId)}/tasks/${id(taskId)}/handover`, { toUserId }),
  answerTaskHandover: (incidentId: string, taskId: string, answer: "accept" | "decline" | "cancel") =>
    request<Task>("POST", `${base(incidentId)}/tasks/${id(taskId)}/handover/${answer}`),
  myTasks: () => request<MyTask[]>("GET", "/api/v1/me/tasks"),

  logFix: (incidentId: string, body: { kind: FixKind; description: string; override?: { reason: string } }) =>
    request<Fix & { followUp?: FollowUp | null }>("POST", `${base(incidentId)}/fixes`, body),
  moveFix: (incidentId: string, fixNumber: number, verb: "deploy" | "verify" | "fail", note?: string) =>
    request<Fix>(
      "POST",
      `${base(incidentId)}/fixes/${fixNumber}/${verb}`,
      verb === "fail" && note ? { note } : undefined,
    ),

  followUps: (state: "open" | "overdue" | "all") =>
    request<FollowUp[]>("GET", `/api/v1/follow-ups?state=${state}`),
  closeFollowUp: (incidentId: string, fixNumber: number, state: "done" | "cancelled", note?: string) =>
    request<FollowUp>("POST", `${base(incidentId)}/follow-ups/${fixNumber}/close`, {
      state,
      ...(note ? { note } : {}),
    }),

  postPublicUpdate: (incidentId: string, body: { status: ResponsePhase; message: string }) =>
    request<PublicUpdate>("POST", `${base(incidentId)}/public-updates`, body),
  publicUpdateDraft: (incidentId: string, status: ResponsePhase) =>
    request<{ status: ResponsePhase; message: string }>(
      "GET",
      `${base(incidentId)}/public-updates/draft?status=${status}`,
    ),

  directory: () => request<Directory>("GET", "/api/v1/directory"),
  addVendor: (body: VendorInput) => request<Vendor>("POST", "/api/v1/vendors", body),
  updateVendor: (vendorId: string, body: Partial<VendorInput>) =>
    request<Vendor>("PATCH", `/api/v1/vendors/${id(vendorId)}`, body),
  removeVendor: (vendorId: string) => request<void>("DELETE", `/api/v1/vendors/${id(vendorId)}`),

  settings: (serviceId: string) =>
    request<ResponseSettings>("GET", `/api/v1/services/${id(serviceId)}/response-settings`),
  saveSettings: (serviceId: string, body: ResponseSettings) =>
    request<ResponseSettings>("PUT", `/api/v1/services/${id(serviceId)}/response-settings`, body),
};

export const PHASES: readonly ResponsePhase[] = ["investigating", "identified", "monitoring", "resolved"];

export const PHASE_LABEL: Record<ResponsePhase, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

export const IMPACT_LABEL: Record<ImpactLevel, string> = {
  degradation: "Degradation",
  "data-corruption": "Data corruption",
  outage: "Outage",
};

export const FIX_KIND_LABEL: Record<FixKind, string> = {
  rollback: "Rollback",
  hotfix: "Hotfix",
  "proper-fix": "Proper fix",
};

export const FIX_STATE_LABEL: Record<FixState, string> = {
  "in-progress": "In progress",
  deployed: "Deployed",
  verified: "Verified",
  failed: "Failed",
};

export const TASK_STATE_LABEL: Record<TaskState, string> = {
  open: "Open",
  "in-progress": "In progress",
  done: "Done",
  dropped: "Dropped",
};

/** The person whose yes completes a task handover: the recipient when the owner offers, else the owner. */
export const handoverAwaits = (handover: TaskHandover): string =>
  handover.requestedBy === handover.fromId ? handover.toId : handover.fromId;

export const targetKey = (target: CallInTarget): string =>
  target.kind === "user"
    ? `user:${target.userId}`
    : target.kind === "team"
      ? `team:${target.teamId}`
      : `contact:${target.contactId}`;

/** "user:abc" back into a target. */
export function targetFromKey(key: string): CallInTarget | undefined {
  const [kind, ...rest] = key.split(":");
  const value = rest.join(":");
  if (!value) return undefined;
  if (kind === "user") return { kind, userId: value };
  if (kind === "team") return { kind, teamId: value };
  if (kind === "contact") return { kind, contactId: value };
  return undefined;
}
