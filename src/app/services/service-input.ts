import type { Service } from "../../core/alerts/records.js";
import type { FieldError } from "../../core/errors.js";
import { checkName } from "../../core/visible-name.js";
import { checkGroupingRule, DEFAULT_GROUPING, type GroupingRule } from "../../core/incidents/grouping.js";
import type { Tx } from "../ports/store.js";

export interface ServiceInput {
  readonly name?: string;
  readonly description?: string;
  readonly teamId?: string | null;
  readonly escalationPolicyId?: string | null;
  readonly channelId?: string | null;
  readonly grouping?: GroupingRule;
  readonly autoResolve?: boolean;
  readonly reopenWindowMinutes?: number;
}

export const SERVICE_DEFAULTS = {
  description: "",
  teamId: null,
  escalationPolicyId: null,
  channelId: null,
  grouping: DEFAULT_GROUPING,
  autoResolve: true,
  reopenWindowMinutes: 0,
} as const;

/**
 * An optional reference: null (or left out) means none. Any other value, the empty string too, must
 * name a record: a truthiness check let "" through to the insert, whose foreign key then failed (a 500).
 */
async function checkReference(
  id: string | null | undefined,
  path: string,
  what: string,
  find: (id: string) => Promise<unknown>,
): Promise<FieldError[]> {
  if (id === null || id === undefined) return [];
  if (id.trim() === "") return [{ path, message: `can't be empty: send null for no ${what}` }];
  return (await find(id)) === undefined ? [{ path, message: `${what} ${id} not found` }] : [];
}

/** Checks a service's fields, including that the team, policy and channel it names exist. */
export async function checkService(tx: Tx, service: Service): Promise<FieldError[]> {
  const errors: FieldError[] = [...checkName(service.name)];
  if (service.description.length > 5_000)
    errors.push({ path: "/description", message: "must be at most 5000 characters" });
  errors.push(
    ...(await checkReference(service.teamId, "/teamId", "team", (id) => tx.teams.findById(id))),
    ...(await checkReference(service.escalationPolicyId, "/escalationPolicyId", "escalation policy", (id) =>
      tx.escalationPolicies.findById(id),
    )),
    // Locked against a delete until the transaction ends: one running now is waited for, then not found.
    ...(await checkReference(service.channelId, "/channelId", "channel", (id) => tx.channels.findForUse(id))),
  );
  if (
    !Number.isInteger(service.reopenWindowMinutes) ||
    service.reopenWindowMinutes < 0 ||
    service.reopenWindowMinutes > 7 * 24 * 60
  ) {
    errors.push({
      path: "/reopenWindowMinutes",
      message: "must be a whole number of minutes from 0 (never) to 10080",
    });
  }
  errors.push(...checkGroupingRule(service.grouping));
  return errors;
}
