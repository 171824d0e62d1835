import { createHash } from "node:crypto";
import { resolvePage } from "../../core/status/component-status.js";
import {
  renderHistoryHtml,
  renderIncidentHtml,
  renderMaintenanceHtml,
  renderNoticeHtml,
} from "../../core/status/status-detail-html.js";
import { renderAtomFeed, renderRssFeed } from "../../core/status/status-feeds.js";
import { renderStatusPageHtml, type StatusHtmlContext } from "../../core/status/status-html.js";
import type { StatusPageSnapshot } from "../../core/status/status-records.js";
import { statuspageDocument, type StatuspageDocument } from "../../core/status/statuspage-json.js";
import type { StatusPageHead } from "../ports/status-store.js";
import type { StatusDeps } from "./status-deps.js";
import { loadSnapshot } from "./status-views.js";

/**
 * The public side's hot path: which page a request is for, and its rendered documents, from memory.
 * The heads of all pages (id, slug, domain, version) are re-read at most every `headsTtlMs` (one
 * small query for every page), or at once after a change in this process (`changed`); a document is
 * rendered again only when its page's version moved or it is older than `renderTtlMs` (times in it
 * move: the day's uptime bar, a maintenance starting).
 */

export type PublicDocument =
  | { readonly kind: "page" }
  | { readonly kind: "history" }
  | { readonly kind: "incident"; readonly id: string }
  | { readonly kind: "maintenance"; readonly id: string }
  | { readonly kind: "json"; readonly doc: StatuspageDocument }
  | { readonly kind: "atom" }
  | { readonly kind: "rss" };

export interface RenderedDocument {
  readonly body: string;
  readonly etag: string;
  readonly contentType: string;
  readonly version: number;
}

export interface PublicStatusOptions {
  readonly headsTtlMs?: number;
  readonly renderTtlMs?: number;
  readonly snapshotTtlMs?: number;
  readonly maxEntries?: number;
}

const CONTENT_TYPES = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
} as const;

/** "Status.Example.com:443" → "status.example.com". */
export const normaliseHost = (host: string): string =>
  host.trim().toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");

const docKey = (d: PublicDocument): string =>
  d.kind === "json"
    ? `json:${d.doc}`
    : d.kind === "incident" || d.kind === "maintenance"
      ? `${d.kind}:${d.id}`
      : d.kind;

export class PublicStatusPages {
  private readonly headsTtlMs: number;
  private readonly renderTtlMs: number;
  private readonly snapshotTtlMs: number;
  private readonly maxEntries: number;
  private heads = new Map<string, StatusPageHead>();
  private bySlug = new Map<string, string>();
  private byHost = new Map<string, string>();
  private headsAtMs = Number.NEGATIVE_INFINITY;
  /** Counts `changed` calls: a change told while the heads were being read keeps them stale. */
  private changes = 0;
  private headsLoading: Promise<void> | undefined;
  private readonly snapshots = new Map<
    string,
    { version: number; loadedAtMs: number; snapshot: Promise<StatusPageSnapshot | undefined> }
  >();
  private readonly rendered = new Map<
    string,
    { version: number; renderedAtMs: number; doc: RenderedDocument }
  >();

  constructor(
    private readonly deps: StatusDeps,
    options: PublicStatusOptions = {},
  ) {
    this.headsTtlMs = options.headsTtlMs ?? 250;
    this.renderTtlMs = options.renderTtlMs ?? 30_000;
    this.snapshotTtlMs = options.snapshotTtlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 2_000;
  }

  /** A page changed in this process: the next request re-reads the heads. */
  changed(_pageId: string): void {
    this.changes++;
    this.headsAtMs = Number.NEGATIVE_INFINITY;
  }

  /** Routing (synchronous): whether the host is a page's custom domain. Starts a refresh when stale. */
  isCustomDomain(host: string | undefined): boolean {
    if (!host) return false;
    if (this.isStale()) void this.fresh().catch(() => undefined);
    return this.byHost.has(normaliseHost(host));
  }

  async find(
    where: { readonly slug: string } | { readonly host: string },
  ): Promise<StatusPageHead | undefined> {
    await this.fresh();
    const id = "slug" in where ? this.bySlug.get(where.slug) : this.byHost.get(normaliseHost(where.host));
    return id === undefined ? undefined : this.heads.get(id);
  }

  /** The document, from memory when its page has not changed; null when it names nothing (404). */
  async render(
    head: StatusPageHead,
    mount: string,
    doc: PublicDocument,
    options: { subscriptions: boolean },
  ): Promise<RenderedDocument | null> {
    const nowMs = this.deps.clock.now().getTime();
    const key = `${head.id}|${mount}|${docKey(doc)}`;
    const hit = this.rendered.get(key);
    if (
      hit &&
      hit.version === head.version &&
      nowMs - hit.renderedAtMs < this.renderTtlMs &&
      nowMs >= hit.renderedAtMs
    )
      return hit.doc;
    const snapshot = await this.snapshotOf(head, nowMs);
    if (!snapshot) return null;
    const ctx: StatusHtmlContext = {
      snapshot,
      resolved: resolvePage(snapshot, nowMs),
      nowMs,
      mount,
      subscriptions: options.subscriptions,
    };
    const made = renderDocument(ctx, doc);
    if (made === null) return null;
    const rendered: RenderedDocument = {
      ...made,
      version: head.version,
      etag: `"${head.version}-${createHash("sha1").update(made.body).digest("base64url").slice(0, 16)}"`,
    };
    this.rendered.delete(key);
    this.rendered.set(key, { version: head.version, renderedAtMs: nowMs, doc: rendered });
    if (this.rendered.size > this.maxEntries) {
      const oldest = this.rendered.keys().next().value;
      if (oldest !== undefined) this.rendered.delete(oldest);
    }
    return rendered;
  }

  /** A notice page (subscribed, confirmed, unsubscribed) in the page's look; not cached. */
  async renderNotice(
    head: StatusPageHead,
    mount: string,
    heading: string,
    text: string,
    subscriptions: boolean,
  ): Promise<string | null> {
    const nowMs = this.deps.clock.now().getTime();
    const snapshot = await this.snapshotOf(head, nowMs);
    if (!snapshot) return null;
    return renderNoticeHtml(
      { snapshot, resolved: resolvePage(snapshot, nowMs), nowMs, mount, subscriptions },
      heading,
      text,
    );
  }

  private snapshotOf(head: StatusPageHead, nowMs: number): Promise<StatusPageSnapshot | undefined> {
    const cached = this.snapshots.get(head.id);
    if (cached && cached.version === head.version && nowMs - cached.loadedAtMs < this.snapshotTtlMs)
      return cached.snapshot;
    const snapshot = this.deps.uow
      .run(async (tx) => {
        const page = await tx.statusPages.findById(head.id);
        return page && loadSnapshot(tx, page, this.deps.publicUrl, nowMs);
      })
      .catch((err: unknown) => {
        this.snapshots.delete(head.id);
        throw err;
      });
    // The snapshot read may already show a newer version than the head: label it with what it holds.
    this.snapshots.set(head.id, { version: head.version, loadedAtMs: nowMs, snapshot });
    return snapshot;
  }

  private isStale(): boolean {
    return this.deps.clock.now().getTime() - this.headsAtMs >= this.headsTtlMs;
  }

  private fresh(): Promise<void> {
    if (!this.isStale()) return Promise.resolve();
    this.headsLoading ??= (async () => {
      const startedMs = this.deps.clock.now().getTime();
      const changesBefore = this.changes;
      try {
        const heads = await this.deps.uow.run((tx) => tx.statusPages.listHeads());
        this.heads = new Map(heads.map((h) => [h.id, h]));
        this.bySlug = new Map(heads.map((h) => [h.slug, h.id]));
        this.byHost = new Map(
          heads.filter((h) => h.customDomain).map((h) => [h.customDomain as string, h.id]),
        );
        if (this.changes === changesBefore) this.headsAtMs = startedMs;
      } finally {
        this.headsLoading = undefined;
      }
    })();
    return this.headsLoading;
  }
}

function renderDocument(
  ctx: StatusHtmlContext,
  doc: PublicDocument,
): Omit<RenderedDocument, "etag" | "version"> | null {
  const html = (body: string | null) => (body === null ? null : { body, contentType: CONTENT_TYPES.html });
  switch (doc.kind) {
    case "page":
      return html(renderStatusPageHtml(ctx));
    case "history":
      return html(renderHistoryHtml(ctx));
    case "incident":
      return html(renderIncidentHtml(ctx, doc.id));
    case "maintenance":
      return html(renderMaintenanceHtml(ctx, doc.id));
    case "json":
      return {
        body: JSON.stringify(statuspageDocument(doc.doc, ctx.snapshot, ctx.resolved, ctx.nowMs)),
        contentType: CONTENT_TYPES.json,
      };
    case "atom":
      return { body: renderAtomFeed(ctx.snapshot, ctx.nowMs), contentType: CONTENT_TYPES.atom };
    case "rss":
      return { body: renderRssFeed(ctx.snapshot, ctx.nowMs), contentType: CONTENT_TYPES.rss };
  }
}
