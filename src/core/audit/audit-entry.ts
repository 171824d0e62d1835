import type { Actor } from "../auth/actor.js";

/** One change, recorded in the same transaction as the change itself. Actions are `entity.verb`. */
export interface AuditEntryInput {
  readonly at: Date;
  readonly actor: Actor;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly requestId: string | null;
}

/** Who acted, as recorded: the audit log keeps who, not which role they held then. */
export interface AuditActor {
  readonly kind: Actor["kind"];
  readonly id: string;
  readonly label: string;
}

export interface AuditEntry extends Omit<AuditEntryInput, "actor"> {
  readonly id: string;
  readonly actor: AuditActor;
}
