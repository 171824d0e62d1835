import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";

export interface Change {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Writes the audit entry for a change in the same transaction, so the change and its record agree. */
export function recordChange(tx: Tx, caller: Caller, at: Date, change: Change): Promise<void> {
  return tx.audit.record({ at, actor: caller.actor, requestId: caller.requestId, ...change });
}
