import { requireRole } from "../../core/auth/actor.js";
import { AppError, notFound, validationError, type FieldError } from "../../core/errors.js";
import {
  checkBrandColor,
  checkHttpUrl,
  checkSlug,
  checkText,
  checkTimeZone,
  MAX_NAME_LENGTH,
  normaliseCustomDomain,
} from "../../core/status/status-input.js";
import type { StatusPageRecord } from "../../core/status/status-records.js";
import { recordChange } from "../audit/record-change.js";
import { hashToken, newId, newToken } from "../auth/secrets.js";
import type { Caller } from "../deps.js";
import type { Tx } from "../ports/store.js";
import type { StatusDeps } from "./status-deps.js";
import { savingUniqueName } from "../unique-name-race.js";
import { pageBaseUrl, statusPageView, type StatusPageView } from "./status-views.js";

/** Status pages: create, edit, delete, and the secret link of a private page. */

export const DEFAULT_BRAND_COLOR = "#1F6FEB";
export const DEFAULT_TIME_ZONE = "Etc/UTC";

export interface StatusPageInput {
  readonly slug?: string;
  readonly title?: string;
  readonly logoUrl?: string | null;
  readonly brandColor?: string;
  readonly customDomain?: string | null;
  readonly private?: boolean;
  readonly timeZone?: string;
}

export async function requirePage(tx: Tx, id: string): Promise<StatusPageRecord> {
  const page = await tx.statusPages.findById(id);
  if (!page) throw notFound("status page", id);
  return page;
}

/** Marks the page changed in this transaction (the cache key); the caller tells the cache after commit. */
export const touchPage = (tx: Tx, pageId: string, atMs: number): Promise<number> =>
  tx.statusPages.touch(pageId, atMs);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

async function checkPage(
  tx: Tx,
  deps: StatusDeps,
  page: StatusPageRecord,
  input: StatusPageInput,
  errors: FieldError[],
): Promise<StatusPageRecord> {
  if (input.slug !== undefined) checkSlug(errors, "/slug", input.slug);
  if (input.title !== undefined) checkText(errors, "/title", input.title, 1, MAX_NAME_LENGTH);
  if (input.logoUrl !== undefined && input.logoUrl !== null) checkHttpUrl(errors, "/logoUrl", input.logoUrl);
  if (input.brandColor !== undefined) checkBrandColor(errors, "/brandColor", input.brandColor);
  if (input.timeZone !== undefined) checkTimeZone(errors, "/timeZone", input.timeZone);
  const customDomain =
    input.customDomain === undefined
      ? page.customDomain
      : normaliseCustomDomain(errors, "/customDomain", input.customDomain);
  // The main host serves the console and the API: a page may not take it over.
  if (customDomain !== null && customDomain === hostOf(deps.publicUrl))
    errors.push({ path: "/customDomain", message: "is Firebreak's own host; use another host name" });
  if (errors.length > 0) throw validationError(errors);
  const next: StatusPageRecord = {
    ...page,
    slug: input.slug ?? page.slug,
    title: input.title?.trim() ?? page.title,
    logoUrl: input.logoUrl === undefined ? page.logoUrl : input.logoUrl,
    brandColor: input.brandColor?.toUpperCase() ?? page.brandColor,
    customDomain,
    private: input.private ?? page.private,
    timeZone: input.timeZone ?? page.timeZone,
  };
  await refuseTakenAddress(tx, next);
  return next;
}

/** A page's slug and custom domain are its addresses: no two pages may share one. */
async function refuseTakenAddress(tx: Tx, next: StatusPageRecord): Promise<void> {
  const others = (await tx.statusPages.list()).filter((p) => p.id !== next.id);
  if (others.some((p) => p.slug === next.slug))
    throw new AppError("CONFLICT", `a status page with the slug ${next.slug} exists already`, {
      fields: [{ path: "/slug", message: "is taken" }],
    });
  if (next.customDomain !== null && others.some((p) => p.customDomain === next.customDomain))
    throw new AppError("CONFLICT", `another status page uses ${next.customDomain}`, {
      fields: [{ path: "/customDomain", message: "is taken" }],
    });
}

/** A lost race for a slug or domain (two saves at once) is answered like a refusal in turn. */
function recheckAddress(wanted: { page?: StatusPageRecord }) {
  return async (tx: Tx) => {
    if (wanted.page) await refuseTakenAddress(tx, wanted.page);
  };
}

export async function listStatusPages(deps: StatusDeps, caller: Caller): Promise<StatusPageView[]> {
  requireRole(caller.actor, "viewer");
  const pages = await deps.uow.run((tx) => tx.statusPages.list());
  return pages.map((p) => statusPageView(p, deps.publicUrl));
}

export async function getStatusPage(deps: StatusDeps, caller: Caller, id: string): Promise<StatusPageView> {
  requireRole(caller.actor, "viewer");
  return statusPageView(await deps.uow.run((tx) => requirePage(tx, id)), deps.publicUrl);
}

export async function createStatusPage(
  deps: StatusDeps,
  caller: Caller,
  input: StatusPageInput,
): Promise<StatusPageView> {
  requireRole(caller.actor, "admin");
  const atMs = deps.clock.now().getTime();
  const errors: FieldError[] = [];
  if (input.slug === undefined) errors.push({ path: "/slug", message: "is required" });
  if (input.title === undefined) errors.push({ path: "/title", message: "is required" });
  const token = newToken("fbsp");
  const blank: StatusPageRecord = {
    id: newId(),
    slug: input.slug ?? "",
    title: input.title ?? "",
    logoUrl: null,
    brandColor: DEFAULT_BRAND_COLOR,
    customDomain: null,
    private: false,
    secretTokenHash: hashToken(token),
    timeZone: DEFAULT_TIME_ZONE,
    version: 1,
    createdAtMs: atMs,
    updatedAtMs: atMs,
  };
  const wanted: { page?: StatusPageRecord } = {};
  const page = await savingUniqueName(deps, recheckAddress(wanted), async (tx) => {
    const created = (wanted.page = await checkPage(tx, deps, blank, input, errors));
    await tx.statusPages.insert(created);
    await recordChange(tx, caller, new Date(atMs), {
      action: "status_page.create",
      entityType: "status_page",
      entityId: created.id,
      before: null,
      after: { ...created, secretTokenHash: undefined },
    });
    return created;
  });
  deps.statusChanged(page.id);
  return statusPageView(page, deps.publicUrl, page.private ? token : undefined);
}

export async function updateStatusPage(
  deps: StatusDeps,
  caller: Caller,
  id: string,
  input: StatusPageInput,
): Promise<StatusPageView> {
  requireRole(caller.actor, "admin");
  const atMs = deps.clock.now().getTime();
  const wanted: { page?: StatusPageRecord } = {};
  const page = await savingUniqueName(deps, recheckAddress(wanted), async (tx) => {
    const before = await requirePage(tx, id);
    const next = (wanted.page = await checkPage(tx, deps, before, input, []));
    await tx.statusPages.update(next);
    const version = await touchPage(tx, id, atMs);
    await recordChange(tx, caller, new Date(atMs), {
      action: "status_page.update",
      entityType: "status_page",
      entityId: id,
      before: { ...before, secretTokenHash: undefined },
      after: { ...next, secretTokenHash: undefined },
    });
    return { ...next, version, updatedAtMs: Math.max(next.updatedAtMs, atMs) };
  });
  deps.statusChanged(id);
  return statusPageView(page, deps.publicUrl);
}

export async function deleteStatusPage(deps: StatusDeps, caller: Caller, id: string): Promise<void> {
  requireRole(caller.actor, "admin");
  const at = deps.clock.now();
  await deps.uow.run(async (tx) => {
    const before = await requirePage(tx, id);
    await tx.statusPages.delete(id);
    await recordChange(tx, caller, at, {
      action: "status_page.delete",
      entityType: "status_page",
      entityId: id,
      before: { ...before, secretTokenHash: undefined },
      after: null,
    });
  });
  deps.statusChanged(id);
}

/** A new secret link for the page (the old one stops working): `<page URL>?token=…`. */
export async function rotateStatusPageSecretLink(
  deps: StatusDeps,
  caller: Caller,
  id: string,
): Promise<{ url: string; secretLinkToken: string }> {
  requireRole(caller.actor, "admin");
  const at = deps.clock.now();
  const token = newToken("fbsp");
  const page = await deps.uow.run(async (tx) => {
    const before = await requirePage(tx, id);
    await tx.statusPages.update({ ...before, secretTokenHash: hashToken(token) });
    await touchPage(tx, id, at.getTime());
    await recordChange(tx, caller, at, {
      action: "status_page.rotate_secret_link",
      entityType: "status_page",
      entityId: id,
      before: null,
      after: null,
    });
    return before;
  });
  deps.statusChanged(id);
  return {
    url: `${pageBaseUrl(page, deps.publicUrl)}?token=${encodeURIComponent(token)}`,
    secretLinkToken: token,
  };
}
