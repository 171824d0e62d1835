import { requireRole } from "../../core/auth/actor.js";
import { notFound, takenError, validationError, type FieldError } from "../../core/errors.js";
import { policyTargetsTeam } from "../../core/escalation/policy.js";
import { recordChange } from "../audit/record-change.js";
import { newId } from "../auth/secrets.js";
import type { AppDeps, Caller } from "../deps.js";
import type { Vendor } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { savingUniqueName } from "../unique-name-race.js";
import { isHttpUrl } from "./manage-response-settings.js";
import { checkName } from "../../core/visible-name.js";

/**
 * The contact directory for "who else to call": teams with their escalation policies and members,
 * people with their phone numbers (the profile phone, then phone-kind contact methods), and outside
 * vendors' support lines (kept here, by admins).
 */

/** Contact-method kinds that carry a phone number (a notifier for them may come later). */
const PHONE_KINDS = new Set(["sms", "voice", "phone"]);

const phoneOf = (config: Readonly<Record<string, unknown>>, label: string): string => {
  for (const key of ["phoneNumber", "number", "to", "phone"]) {
    const value = config[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return label;
};

export async function readDirectory(deps: AppDeps, caller: Caller) {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => {
    const policies = await tx.escalationPolicies.list();
    const services = await tx.services.list();
    const teams = [];
    for (const team of await tx.teams.list()) {
      const policyIds = new Set([
        ...services
          .filter((s) => s.teamId === team.id && s.escalationPolicyId)
          .map((s) => s.escalationPolicyId!),
        ...policies.filter((p) => policyTargetsTeam(p, team.id)).map((p) => p.id),
      ]);
      const members = await tx.teams.listMembers(team.id);
      teams.push({
        id: team.id,
        name: team.name,
        escalationPolicies: policies
          .filter((p) => policyIds.has(p.id))
          .map((p) => ({ id: p.id, name: p.name })),
        members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role })),
      });
    }
    const people = [];
    for (const user of await tx.users.list()) {
      if (user.disabledAt) continue;
      // The profile phone first: it is the one people set for being called.
      const phones = user.phone ? [{ label: "Phone", number: user.phone }] : [];
      for (const m of await tx.contactMethods.listForUser(user.id)) {
        if (!PHONE_KINDS.has(m.kind)) continue;
        const number = phoneOf(m.config, m.label);
        if (!phones.some((p) => p.number === number)) phones.push({ label: m.label, number });
      }
      people.push({ id: user.id, name: user.name, email: user.email, phones });
    }
    return { teams, people, vendors: await tx.vendors.list() };
  });
}

export interface VendorInput {
  readonly name: string;
  readonly phone?: string | null;
  readonly url?: string | null;
  readonly notes?: string;
}

function checkVendor(input: VendorInput): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.name !== "string") errors.push({ path: "/name", message: "must be 1 to 200 characters" });
  else errors.push(...checkName(input.name));
  if (input.phone != null && (input.phone.trim().length === 0 || input.phone.length > 50))
    errors.push({ path: "/phone", message: "must be 1 to 50 characters, or null" });
  if (input.url != null && !isHttpUrl(input.url))
    errors.push({ path: "/url", message: "must be an http(s) URL, or null" });
  if (input.notes !== undefined && input.notes.length > 2000)
    errors.push({ path: "/notes", message: "must be at most 2000 characters" });
  return errors;
}

async function refuseTakenName(tx: Tx, name: string, ownId: string | null): Promise<void> {
  const holder = await tx.vendors.findByName(name);
  if (holder && holder.id !== ownId) throw takenError("/name", `a vendor named ${name} exists already`);
}

export async function createVendor(deps: AppDeps, caller: Caller, input: VendorInput): Promise<Vendor> {
  requireRole(caller.actor, "admin");
  const errors = checkVendor(input);
  if (errors.length > 0) throw validationError(errors);
  const now = deps.clock.now();
  const recheck = (tx: Tx) => refuseTakenName(tx, input.name.trim(), null);
  return savingUniqueName(deps, recheck, async (tx) => {
    const vendor: Vendor = {
      id: newId(),
      name: input.name.trim(),
      phone: input.phone?.trim() ?? null,
      url: input.url ?? null,
      notes: input.notes ?? "",
      createdAtMs: now.getTime(),
      updatedAtMs: now.getTime(),
    };
    await refuseTakenName(tx, vendor.name, null);
    await tx.vendors.insert(vendor);
    await recordChange(tx, caller, now, {
      action: "vendor.create",
      entityType: "vendor",
      entityId: vendor.id,
      before: null,
      after: vendor,
    });
    return vendor;
  });
}

export async function updateVendor(
  deps: AppDeps,
  caller: Caller,
  id: string,
  input: Partial<VendorInput>,
): Promise<Vendor> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  // An update that leaves the name alone cannot have lost a race for one.
  const recheck = async (tx: Tx) => {
    if (input.name !== undefined) await refuseTakenName(tx, input.name.trim(), id);
  };
  return savingUniqueName(deps, recheck, async (tx) => {
    const before = await tx.vendors.findById(id);
    if (!before) throw notFound("vendor", id);
    const merged: VendorInput = { ...before, ...input };
    const errors = checkVendor(merged);
    if (errors.length > 0) throw validationError(errors);
    const after: Vendor = {
      ...before,
      name: merged.name.trim(),
      phone: merged.phone?.trim() ?? null,
      url: merged.url ?? null,
      notes: merged.notes ?? "",
      updatedAtMs: now.getTime(),
    };
    await refuseTakenName(tx, after.name, id);
    await tx.vendors.update(after);
    await recordChange(tx, caller, now, {
      action: "vendor.update",
      entityType: "vendor",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteVendor(deps: AppDeps, caller: Caller, id: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const now = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await tx.vendors.findById(id);
    if (!before || !(await tx.vendors.delete(id))) throw notFound("vendor", id);
    await recordChange(tx, caller, now, {
      action: "vendor.delete",
      entityType: "vendor",
      entityId: id,
      before,
      after: null,
    });
  });
}
