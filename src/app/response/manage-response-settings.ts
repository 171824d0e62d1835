import { requireRole } from "../../core/auth/actor.js";
import { checkEmail, normalizeEmail } from "../../core/auth/credentials.js";
import { requireTeamManagerRole } from "../../core/auth/team-management.js";
import { notFound, validationError, type FieldError } from "../../core/errors.js";
import {
  checkFollowUpHours,
  DEFAULT_FOLLOW_UP_HOURS,
  type FollowUpHours,
} from "../../core/response/fix-follow-ups.js";
import { checkWatchMinutes, DEFAULT_WATCH_MINUTES } from "../../core/response/post-fix-watch.js";
import {
  DEFAULT_PUBLIC_UPDATE_REMINDER_MINUTES,
  MAX_PUBLIC_UPDATE_REMINDER_MINUTES,
} from "../../core/response/public-updates.js";
import { recordChange } from "../audit/record-change.js";
import type { AppDeps, Caller } from "../deps.js";
import type { ServiceResponseSettings, TitledLink } from "../ports/response-store.js";
import type { Tx } from "../ports/store.js";
import { requireTeamManager } from "../teams/team-manager.js";

/** Per service: the diagnosis links, the watch after a fix, follow-up deadlines, reminders, who hears. */

export type ResponseSettingsInput = Omit<ServiceResponseSettings, "serviceId" | "updatedAtMs">;

export const MAX_LINKS = 20;
export const MAX_STAKEHOLDER_EMAILS = 50;

export const defaultResponseSettings = (serviceId: string): ServiceResponseSettings => ({
  serviceId,
  runbookUrl: null,
  dashboards: [],
  links: [],
  watchMinutes: DEFAULT_WATCH_MINUTES,
  followUpHours: DEFAULT_FOLLOW_UP_HOURS,
  publicUpdateEveryMinutes: DEFAULT_PUBLIC_UPDATE_REMINDER_MINUTES,
  stakeholderEmails: [],
  dependentServiceIds: [],
  updatedAtMs: 0,
});

export async function responseSettingsOf(tx: Tx, serviceId: string): Promise<ServiceResponseSettings> {
  return (await tx.serviceResponseSettings.find(serviceId)) ?? defaultResponseSettings(serviceId);
}

/** An http(s) URL of at most 2000 characters. */
export const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== "string" || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
};

function checkLinks(links: readonly TitledLink[], path: string): FieldError[] {
  if (!Array.isArray(links) || links.length > MAX_LINKS)
    return [{ path, message: `must be a list of at most ${MAX_LINKS} {title, url}` }];
  return links.flatMap((link, i) => [
    ...(typeof link?.title === "string" && link.title.trim().length > 0 && link.title.length <= 200
      ? []
      : [{ path: `${path}/${i}/title`, message: "must be 1 to 200 characters" }]),
    ...(isHttpUrl(link?.url) ? [] : [{ path: `${path}/${i}/url`, message: "must be an http(s) URL" }]),
  ]);
}

/**
 * A deleted service is refused as a new dependent. One deleted after it was saved stays (`stored`):
 * the console sends the whole list back and cannot show it to untick, so refusing it would block
 * every later change of the settings.
 */
async function checkSettings(
  tx: Tx,
  serviceId: string,
  input: ResponseSettingsInput,
  stored: ReadonlySet<string>,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.runbookUrl !== null && !isHttpUrl(input.runbookUrl))
    errors.push({ path: "/runbookUrl", message: "must be an http(s) URL or null" });
  errors.push(...checkLinks(input.dashboards, "/dashboards"), ...checkLinks(input.links, "/links"));
  errors.push(...checkWatchMinutes(input.watchMinutes));
  errors.push(...checkFollowUpHours(input.followUpHours as FollowUpHours));
  const every = input.publicUpdateEveryMinutes;
  if (!Number.isInteger(every) || every < 1 || every > MAX_PUBLIC_UPDATE_REMINDER_MINUTES)
    errors.push({
      path: "/publicUpdateEveryMinutes",
      message: `must be a whole number of minutes from 1 to ${MAX_PUBLIC_UPDATE_REMINDER_MINUTES}`,
    });
  if (input.stakeholderEmails.length > MAX_STAKEHOLDER_EMAILS)
    errors.push({ path: "/stakeholderEmails", message: `at most ${MAX_STAKEHOLDER_EMAILS} addresses` });
  input.stakeholderEmails.forEach((email, i) => errors.push(...checkEmail(email, `/stakeholderEmails/${i}`)));
  for (const [i, id] of input.dependentServiceIds.entries()) {
    const path = `/dependentServiceIds/${i}`;
    if (id === serviceId) {
      errors.push({ path, message: "a service does not depend on itself" });
      continue;
    }
    const dependent = await tx.services.findById(id);
    if (!dependent) errors.push({ path, message: `service ${id} not found` });
    else if (dependent.archivedAt && !stored.has(id))
      errors.push({ path, message: `service ${id} was deleted` });
  }
  return errors;
}

/** A live service by id or exact name: a deleted one has no settings to read or change. */
async function serviceByRef(tx: Tx, ref: string) {
  const service = (await tx.services.findById(ref)) ?? (await tx.services.findByName(ref));
  if (!service || service.archivedAt) throw notFound("service", ref);
  return service;
}

export async function getResponseSettings(
  deps: AppDeps,
  caller: Caller,
  serviceRef: string,
): Promise<ServiceResponseSettings> {
  requireRole(caller.actor, "viewer");
  return deps.uow.run(async (tx) => responseSettingsOf(tx, (await serviceByRef(tx, serviceRef)).id));
}

/**
 * Sets a service's response settings (admin, or a manager of the service's team, like its other
 * settings); fields left out keep their value. Audited.
 */
export async function putResponseSettings(
  deps: AppDeps,
  caller: Caller,
  serviceRef: string,
  changes: Partial<ResponseSettingsInput>,
): Promise<ServiceResponseSettings> {
  requireTeamManagerRole(caller.actor);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const service = await serviceByRef(tx, serviceRef);
    await requireTeamManager(
      tx,
      caller,
      `changing the response settings of service ${service.name}`,
      service.teamId,
    );
    const before = await tx.serviceResponseSettings.find(service.id);
    const input: ResponseSettingsInput = { ...(before ?? defaultResponseSettings(service.id)), ...changes };
    const storedDependents = new Set(before?.dependentServiceIds ?? []);
    const errors = await checkSettings(tx, service.id, input, storedDependents);
    if (errors.length > 0) throw validationError(errors);
    const after: ServiceResponseSettings = {
      serviceId: service.id,
      runbookUrl: input.runbookUrl,
      dashboards: input.dashboards.map((l) => ({ title: l.title.trim(), url: l.url })),
      links: input.links.map((l) => ({ title: l.title.trim(), url: l.url })),
      watchMinutes: input.watchMinutes,
      followUpHours: { ...input.followUpHours },
      publicUpdateEveryMinutes: input.publicUpdateEveryMinutes,
      stakeholderEmails: [...new Set(input.stakeholderEmails.map(normalizeEmail))],
      dependentServiceIds: [...new Set(input.dependentServiceIds)],
      updatedAtMs: now.getTime(),
    };
    await tx.serviceResponseSettings.upsert(after);
    await recordChange(tx, caller, now, {
      action: "service.response-settings.update",
      entityType: "service",
      entityId: service.id,
      before: before ?? null,
      after,
    });
    return after;
  });
}
