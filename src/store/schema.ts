import type { Generated } from "kysely";

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
}

export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
}
