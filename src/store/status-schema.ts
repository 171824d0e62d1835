/** Table shapes of status pages (migration 0006), as Kysely sees them. Instants: epoch ms. */

export interface StatusPagesTable {
  id: string;
  slug: string;
  title: string;
  logo_url: string | null;
  brand_color: string;
  custom_domain: string | null;
  is_private: number;
  secret_token_hash: string | null;
  time_zone: string;
  version: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface StatusComponentGroupsTable {
  id: string;
  page_id: string;
  name: string;
  position: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface StatusComponentsTable {
  id: string;
  page_id: string;
  group_id: string | null;
  name: string;
  description: string | null;
  position: number;
  manual_status: string | null;
  only_show_if_degraded: number;
  showcase: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface StatusComponentServicesTable {
  component_id: string;
  service_id: string;
}

export interface StatusIncidentsTable {
  id: string;
  page_id: string;
  name: string;
  status: string;
  impact: string;
  component_ids_json: string;
  component_status: string;
  source_incident_id: string | null;
  created_at_ms: number;
  updated_at_ms: number;
  monitoring_at_ms: number | null;
  resolved_at_ms: number | null;
}

export interface StatusIncidentUpdatesTable {
  id: string;
  incident_id: string;
  status: string;
  body: string;
  component_status: string | null;
  affected_json: string;
  created_at_ms: number;
}

export interface StatusMaintenancesTable {
  id: string;
  page_id: string;
  name: string;
  body: string;
  component_ids_json: string;
  scheduled_for_ms: number;
  scheduled_until_ms: number;
  status: string;
  started_at_ms: number | null;
  completed_at_ms: number | null;
  cancelled_at_ms: number | null;
  held_service_ids_json: string;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface StatusMaintenanceUpdatesTable {
  id: string;
  maintenance_id: string;
  status: string;
  body: string;
  created_at_ms: number;
}

export interface StatusSubscribersTable {
  id: string;
  page_id: string;
  kind: string;
  email: string;
  webhook_url: string;
  confirm_token_hash: string;
  unsubscribe_token_hash: string;
  confirmed_at_ms: number | null;
  created_at_ms: number;
}

export interface StatusTables {
  status_pages: StatusPagesTable;
  status_component_groups: StatusComponentGroupsTable;
  status_components: StatusComponentsTable;
  status_component_services: StatusComponentServicesTable;
  status_incidents: StatusIncidentsTable;
  status_incident_updates: StatusIncidentUpdatesTable;
  status_maintenances: StatusMaintenancesTable;
  status_maintenance_updates: StatusMaintenanceUpdatesTable;
  status_subscribers: StatusSubscribersTable;
}
