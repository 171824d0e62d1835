import type { PublicIncidentSummary, PublicUpdate } from "../../core/response/public-updates.js";

/**
 * Where public updates go once posted: the status page (implemented by the status-page issue). Called
 * by the `response.public-update-publish` job, outside any transaction; throws to be retried (an error
 * whose `retryable` is false will not succeed on a retry).
 */
export interface StatusPublisher {
  publish(update: PublicUpdate & { readonly id: string }, incident: PublicIncidentSummary): Promise<void>;
}
