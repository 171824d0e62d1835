/** Table shapes of incident response (migration 0005), as Kysely sees them. Instants: epoch ms. */

export interface IncidentResponsesTable {
  incident_id: string;
  phase: string;
  severity: string | null;
  level: string | null;
  on_call_can_handle: number | null;
  call_in_json: string;
  triage_note: string;
  triaged_at_ms: number | null;
  triaged_by: string | null;
  handler_id: string | null;
  comms_lead_id: string | null;
  responder_ids_json: string;
  pending_handover_json: string | null;
  watch_json: string | null;
  public_update_required_since_ms: number | null;
  video_call_url: string | null;
  channel_kind: string | null;
  channel_id: string | null;
  channel_name: string | null;
  channel_url: string | null;
  version: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface IncidentTasksTable {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string | null;
  state: string;
  pending_handover_json: string | null;
  created_by: string;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface IncidentFixesTable {
  id: string;
  incident_id: string;
  number: number;
  kind: string;
  description: string;
  author_id: string;
  state: string;
  started_at_ms: number;
  deployed_at_ms: number | null;
  verified_at_ms: number | null;
  failed_at_ms: number | null;
  overridden_by: string | null;
  override_reason: string | null;
}

export interface FixFollowUpsTable {
  incident_id: string;
  fix_number: number;
  owner_id: string;
  state: string;
  created_at_ms: number;
  due_at_ms: number;
  closed_at_ms: number | null;
  closed_by: string | null;
  note: string;
}

export interface PublicUpdatesTable {
  id: string;
  incident_id: string;
  status: string;
  message: string;
  posted_by: string;
  posted_at_ms: number;
  component_ids_json: string;
  published_at_ms: number | null;
}

export interface VendorsTable {
  id: string;
  name: string;
  phone: string | null;
  url: string | null;
  notes: string;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface ServiceResponseSettingsTable {
  service_id: string;
  runbook_url: string | null;
  dashboards_json: string;
  links_json: string;
  watch_minutes: number;
  follow_up_hours_json: string;
  public_update_every_minutes: number;
  stakeholder_emails_json: string;
  dependent_service_ids_json: string;
  updated_at_ms: number;
}

export interface ResponseTables {
  incident_responses: IncidentResponsesTable;
  incident_tasks: IncidentTasksTable;
  incident_fixes: IncidentFixesTable;
  fix_follow_ups: FixFollowUpsTable;
  public_updates: PublicUpdatesTable;
  vendors: VendorsTable;
  service_response_settings: ServiceResponseSettingsTable;
}
