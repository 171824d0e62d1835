import type { IngestRateLimiter } from "../../../app/alerts/ingest-rate-limiter.js";
import type { AppDeps } from "../../../app/deps.js";
import type { IngestOutcome } from "../../../app/alerts/ingest-alert-events.js";
import type { AlertEvent } from "../../../core/alerts/alert-event.js";
import type { Integration } from "../../../core/alerts/records.js";
import { AppError } from "../../../core/errors.js";

export interface IngestDeps {
  readonly app: AppDeps;
  readonly rateLimiter: IngestRateLimiter;
  /** Commits a request's events (grouped with concurrent requests into one transaction). */
  readonly ingest: (integrationId: string, events: readonly AlertEvent[]) => Promise<IngestOutcome>;
}

/** Alert payloads can carry hundreds of alerts; PagerDuty's own limit is 512 KB. */
export const INGEST_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** Refuses with 429 (and Retry-After) when the integration sent more than its limit. */
export function enforceRateLimit(deps: IngestDeps, integration: Integration, events: number): void {
  const retryAfterSeconds = deps.rateLimiter.take(
    integration.id,
    integration.rateLimitPerMinute,
    events,
    deps.app.clock.now().getTime(),
  );
  if (retryAfterSeconds !== undefined) {
    throw new AppError(
      "RATE_LIMITED",
      `integration ${integration.name} sent more than ${integration.rateLimitPerMinute} events a minute`,
      {
        retryAfterSeconds,
      },
    );
  }
}
