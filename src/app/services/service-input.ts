import type { Service } from "../../core/alerts/records.js";
import type { FieldError } from "../../core/errors.js";
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

/** Checks a service's fields, including that the team, policy and channel it names exist. */
export async function checkService(tx: Tx, service: Service): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (service.name.trim().length === 0 || service.name.length > 200)
    errors.push({ path: "/name", message: "must be 1 to 200 characters" });
  if (service.description.length > 5_000)
    errors.push({ path: "/description", message: "must be at most 5000 characters" });
  if (service.teamId && !(await tx.teams.findById(service.teamId)))
    errors.push({ path: "/teamId", message: `team ${service.teamId} not found` });
  if (service.escalationPolicyId && !(await tx.escalationPolicies.findById(service.escalationPolicyId))) {
    errors.push({
      path: "/escalationPolicyId",
      message: `escalation policy ${service.escalationPolicyId} not found`,
    });
  }
  if (service.channelId && !(await tx.channels.findById(service.channelId)))
    errors.push({ path: "/channelId", message: `channel ${service.channelId} not found` });
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
