import type { AlertingDeps } from "../alerting-deps.js";
import type { StatusSubscriberChannels } from "../ports/status-subscriber-channels.js";

/** What the status-page use cases need beyond the alert pipeline's dependencies. */
export interface StatusDeps extends AlertingDeps {
  readonly statusChannels: StatusSubscriberChannels;
  /** Called after a commit that changed what a page shows: this process's public cache re-reads at once. */
  readonly statusChanged: (pageId: string) => void;
}
