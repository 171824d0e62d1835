import { isAppError } from "../core/errors.js";
import type { AppDeps } from "./deps.js";
import type { Tx } from "./ports/store.js";

/**
 * Runs `work` in one transaction: a create or rename of a record whose name (or email) a unique index
 * guards. Two at once on PostgreSQL can both pass the check in code; the index then fails the later
 * one as the store's field-less CONFLICT, and `recheck` (the same check, throwing the record's own
 * takenError) in a fresh read names the winner instead, so a form shows the refusal at its field.
 */
export async function savingUniqueName<T>(
  deps: Pick<AppDeps, "uow">,
  recheck: (tx: Tx) => Promise<void>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await deps.uow.run(work);
  } catch (err) {
    // Another unique violation in the same work finds no holder here and keeps its own error.
    if (isAppError(err) && err.code === "CONFLICT" && err.fields.length === 0) await deps.uow.read(recheck);
    throw err;
  }
}
