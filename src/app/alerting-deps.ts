import type { AppDeps } from "./deps.js";
import type { NotifierCatalog } from "./ports/notifications.js";

/** What the alert pipeline's use cases need beyond the foundation. */
export interface AlertingDeps extends AppDeps {
  /** Where people reach Firebreak, for links in messages. No trailing slash. */
  readonly publicUrl: string;
  /** HMAC key of signed acknowledge/resolve links. */
  readonly linkSecret: string;
  readonly notifiers: NotifierCatalog;
  /** How long an acknowledge/resolve link in a message stays valid. */
  readonly actionLinkTtlMs: number;
}
