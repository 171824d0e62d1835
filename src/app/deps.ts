import type { Actor } from "../core/auth/actor.js";
import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";
import type { UnitOfWork } from "./ports/store.js";

export interface AuthSettings {
  readonly sessionTtlMs: number;
  readonly signInLinkTtlMs: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionTtlMs: 14 * 24 * 60 * 60_000,
  signInLinkTtlMs: 24 * 60 * 60_000,
};

/** What every use case receives from the composition root. */
export interface AppDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly auth: AuthSettings;
}

/** Who asked, and under which request id (for the audit log). */
export interface Caller {
  readonly actor: Actor;
  readonly requestId: string | null;
}
