import type { Generated } from "kysely";
import type { ResponseTables } from "./response-schema.js";
import type { StatusTables } from "./status-schema.js";

/**
 * Table shapes as Kysely sees them. Instants are BIGINT epoch milliseconds in both databases
 * (ADR 0003): the same comparison works everywhere and no timezone rides along.
 */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  /** IANA zone for local-time display and night-hour maths (migration 0003); null: not set. */
  time_zone: string | null;
  /** The number the incident Directory shows (migration 0009), trimmed; null: not set. */
  phone: string | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface MembershipsTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  token_hash: string;
  role: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  csrf_token: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface SignInLinksTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_kind: string;
  actor_id: string;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload_json: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  job_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  failed_at: number | null;
  created_at: number;
  /** 1: wakes a person; the engine's reserved slots claim these first when it is busy (0007). */
  urgent: Generated<number>;
}

/* The alert pipeline (migration 0002). Booleans are INTEGER 0/1 and JSON is text in both databases. */

export interface ServicesTable {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  escalation_policy_id: string | null;
  channel_id: string | null;
  grouping_json: string;
  auto_resolve: number;
  reopen_window_minutes: number;
  created_at: number;
  updated_at: number;
  /** Migration 0008: when it was deleted; its name then moves to archived_name. */
  archived_at: number | null;
  archived_name: string | null;
}

export interface IntegrationsTable {
  id: string;
  service_id: string;
  kind: string;
  name: string;
  key: string;
  default_level: string;
  rate_limit_per_minute: number;
  heartbeat_interval_seconds: number | null;
  heartbeat_grace_seconds: number | null;
  last_check_in_at: number | null;
  disabled_at: number | null;
  created_at: number;
  rotated_at: number | null;
  /** Migration 0008: when it was deleted. */
  archived_at: number | null;
}

export interface AlertsTable {
  id: string;
  service_id: string;
  integration_id: string;
  dedup_key: string;
  grouping_key: string;
  status: string;
  level: string;
  suppressed: number;
  summary: string;
  severity: string | null;
  labels_json: string;
  details_json: string;
  source: string | null;
  links_json: string;
  started_at: number;
  last_event_at: number;
  expires_at: number | null;
  resolved_at: number | null;
  incident_id: string | null;
  event_count: number;
  created_at: number;
}

export interface IncidentsTable {
  id: string;
  number: number;
  service_id: string;
  title: string;
  state: string;
  level: string;
  grouping_key: string;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  escalation_snapshot_json: string | null;
  escalation_step: number;
  escalation_loop: number;
  escalation_version: number;
  assignee_ids_json: string;
  updated_at: number;
}

/** Named counters bumped with `UPDATE … RETURNING` (incident numbers). */
export interface CountersTable {
  name: string;
  value: number;
}

export interface TimelineEntriesTable {
  id: Generated<number>;
  incident_id: string;
  at: number;
  kind: string;
  actor_kind: string | null;
  actor_id: string | null;
  actor_label: string | null;
  message: string;
  data_json: string;
}

export interface EscalationPoliciesTable {
  id: string;
  name: string;
  steps_json: string;
  repeat_count: number;
  updated_at: number;
}

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  config_json: string;
  created_at: number;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  delay_minutes: number;
  /** Keeps the order the rules were given in. */
  position: number;
}

export interface NotificationChannelsTable {
  id: string;
  name: string;
  kind: string;
  config_json: string;
  created_at: number;
  updated_at: number;
}

export interface DeliveriesTable {
  id: string;
  incident_id: string;
  event: string;
  recipient_kind: string;
  recipient_id: string;
  contact_method_id: string | null;
  channel_id: string | null;
  idempotency_key: string;
  status: string;
  attempts: number;
  last_error: string | null;
  external_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface ChangeEventsTable {
  id: string;
  service_id: string;
  integration_id: string;
  summary: string;
  source: string | null;
  occurred_at: number;
  details_json: string;
  links_json: string;
  created_at: number;
}

export interface MaintenanceWindowsTable {
  id: string;
  service_id: string;
  window_json: string;
  reason: string;
  created_by: string | null;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/* On-call schedules (migration 0003). Instant columns carry their unit: `_ms` is epoch milliseconds. */

export interface SchedulesTable {
  id: string;
  name: string;
  description: string;
  time_zone: string;
  team_id: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface ScheduleLayersTable {
  id: string;
  schedule_id: string;
  name: string;
  priority: number;
  /** "rotation" | "fixed" */
  source: string;
  /** Fixed layers only: FixedShift[]. */
  fixed_shifts_json: string | null;
  ended_at_ms: number | null;
  created_at_ms: number;
}

export interface RotationVersionsTable {
  layer_id: string;
  effective_from_ms: number;
  effective_until_ms: number | null;
  /** memberIds, shiftLength, shiftUnit, startLocal, restrictions. */
  settings_json: string;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_ms: number;
  end_ms: number;
  replaces_user_id: string | null;
  source: string;
  created_by: string;
  created_at_ms: number;
}

export interface ShiftTradesTable {
  id: string;
  schedule_id: string;
  kind: string;
  state: string;
  requester_id: string;
  shift_start_ms: number;
  shift_end_ms: number;
  swap_start_ms: number | null;
  swap_end_ms: number | null;
  offered_to: string | null;
  accepted_by: string | null;
  note: string;
  override_ids_json: string;
  created_at_ms: number;
  decided_at_ms: number | null;
}

export interface CalendarFeedsTable {
  id: string;
  token_hash: string;
  schedule_id: string | null;
  user_id: string | null;
  created_at_ms: number;
}

/** Incident response tables (0005) are declared in response-schema.ts; status pages (0006) in status-schema.ts. */
export interface Database extends ResponseTables, StatusTables {
  users: UsersTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  services: ServicesTable;
  integrations: IntegrationsTable;
  alerts: AlertsTable;
  incidents: IncidentsTable;
  counters: CountersTable;
  timeline_entries: TimelineEntriesTable;
  escalation_policies: EscalationPoliciesTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  notification_channels: NotificationChannelsTable;
  deliveries: DeliveriesTable;
  change_events: ChangeEventsTable;
  maintenance_windows: MaintenanceWindowsTable;
  settings: SettingsTable;
  schedules: SchedulesTable;
  schedule_layers: ScheduleLayersTable;
  rotation_versions: RotationVersionsTable;
  schedule_overrides: ScheduleOverridesTable;
  shift_trades: ShiftTradesTable;
  calendar_feeds: CalendarFeedsTable;
}
