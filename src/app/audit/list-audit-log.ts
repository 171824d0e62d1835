import { requireRole } from "../../core/auth/actor.js";
import type { AuditEntry } from "../../core/audit/audit-entry.js";
import type { AppDeps, Caller } from "../deps.js";

export interface ListAuditLogInput {
  readonly limit?: number;
  readonly beforeId?: string;
  readonly entityType?: string;
  readonly entityId?: string;
}

export async function listAuditLog(
  deps: AppDeps,
  caller: Caller,
  input: ListAuditLogInput,
): Promise<AuditEntry[]> {
  requireRole(caller.actor, "admin");
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
  return deps.uow.run((tx) => tx.audit.list({ ...input, limit }));
}
