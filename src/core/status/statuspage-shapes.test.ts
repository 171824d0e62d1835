/**
 * The field lists of the Statuspage v2 documents, sorted, shared by the core test and the HTTP test
 * (no tests here: named *.test.ts so the build leaves it out, like status-fixtures.test.ts).
 */

export const COMPONENT_KEYS = [
  "id",
  "name",
  "status",
  "created_at",
  "updated_at",
  "position",
  "description",
  "showcase",
  "start_date",
  "group_id",
  "page_id",
  "group",
  "only_show_if_degraded",
].sort();
export const INCIDENT_KEYS = [
  "id",
  "name",
  "status",
  "impact",
  "created_at",
  "updated_at",
  "monitoring_at",
  "resolved_at",
  "started_at",
  "shortlink",
  "page_id",
  "incident_updates",
  "components",
].sort();
export const UPDATE_KEYS = [
  "id",
  "status",
  "body",
  "incident_id",
  "created_at",
  "updated_at",
  "display_at",
  "affected_components",
  "deliver_notifications",
  "custom_tweet",
  "tweet_id",
].sort();
