import {
  ingestAlertEvents,
  ingestRequests,
  type IngestOutcome,
  type IngestRequest,
} from "../../../app/alerts/ingest-alert-events.js";
import { IngestRateLimiter } from "../../../app/alerts/ingest-rate-limiter.js";
import type { AppDeps } from "../../../app/deps.js";
import { GroupCommit } from "../../../app/group-commit.js";
import { integrationForKey } from "../../../app/integrations/integration-for-key.js";
import type { AlertEvent } from "../../../core/alerts/alert-event.js";
import type { Integration, IntegrationKind } from "../../../core/alerts/records.js";
import { AppError } from "../../../core/errors.js";

export interface IngestDeps {
  readonly app: AppDeps;
  readonly rateLimiter: IngestRateLimiter;
  /** Commits a request's events (grouped with concurrent requests into one transaction). */
  readonly ingest: (integrationId: string, events: readonly AlertEvent[]) => Promise<IngestOutcome>;
  /** The enabled integration of one of these kinds that a sender's key names (NOT_FOUND, FORBIDDEN). */
  readonly integrationForKey: (key: string, kinds: readonly IntegrationKind[]) => Promise<Integration>;
}

/** One turn of the event loop: requests already received join the group (see GroupCommit). */
const nextTurnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The ingest routes' dependencies, with group commit: concurrent requests share one transaction for
 * their events, and one read for their integration keys.
 */
export function groupedIngestDeps(app: AppDeps): IngestDeps {
  // A group answers once on disk, but the next group need not wait for that: its statements run
  // while the disk syncs (SQLite; PostgreSQL's commit is durable already).
  const commits = new GroupCommit<IngestRequest, IngestOutcome>(
    (requests) => ingestRequests(app, requests, { waitForDisk: false }),
    (request) => ingestAlertEvents(app, request.integrationId, request.events),
    2_000,
    (request) => request.events.length,
    nextTurnOfEventLoop,
  );
  const findOne = (key: string) => app.uow.read((tx) => tx.integrations.findByKey(key));
  const keyReads = new GroupCommit<string, Integration | undefined>(
    (keys) =>
      app.uow.read(async (tx) => {
        const found = new Map((await tx.integrations.findByKeys(keys)).map((i) => [i.key, i]));
        return keys.map((key) => found.get(key));
      }),
    findOne,
    500,
    () => 1,
    nextTurnOfEventLoop,
  );
  return {
    app,
    rateLimiter: new IngestRateLimiter(),
    ingest: async (integrationId, events) => {
      const outcome = await commits.submit({ integrationId, events });
      await app.uow.durable();
      return outcome;
    },
    integrationForKey: (key, kinds) => integrationForKey(app, key, kinds, (k) => keyReads.submit(k)),
  };
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
