/**
 * The PagerDuty Events API v2 trigger body (`POST /v2/enqueue`) that tests send to open or re-fire an
 * alert: one critical event under `dedupKey`, as a monitoring tool would send it.
 */
export function pagerDutyTrigger(options: {
  routingKey: string | undefined;
  dedupKey: string;
  summary: string;
  source: string;
  customDetails?: Record<string, unknown>;
}) {
  return {
    routing_key: options.routingKey,
    event_action: "trigger",
    dedup_key: options.dedupKey,
    payload: {
      summary: options.summary,
      source: options.source,
      severity: "critical",
      ...(options.customDetails && { custom_details: options.customDetails }),
    },
  };
}
