import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { authenticateSession } from "../../app/auth/authenticate.js";
import { hashToken } from "../../app/auth/secrets.js";
import type { StatusPageHead } from "../../app/ports/status-store.js";
import type { PublicDocument, PublicStatusPages } from "../../app/status/public-status-pages.js";
import type { StatusDeps } from "../../app/status/status-deps.js";
import { confirmSubscription, subscribe, unsubscribe } from "../../app/status/status-subscribers.js";
import { isAppError, notFound, validationError } from "../../core/errors.js";
import { fieldErrorsSentence } from "../../core/field-name.js";
import { STATUSPAGE_DOCUMENTS } from "../../core/status/statuspage-json.js";
import type { Api } from "../api-instance.js";
import { SESSION_COOKIE } from "../authenticate.js";
import { acceptFormBodies } from "../form-body.js";

/**
 * The public status pages: /status/:slug/… on Firebreak's own host, and the same paths at / on a
 * page's custom domain (chosen by the Host header through a route constraint, so only hosts equal to
 * a configured domain ever reach these routes and the console and API keep their paths). Documents
 * come from memory (PublicStatusPages), with an ETag and a short public max-age.
 */

export interface StatusPublicDeps {
  readonly status: StatusDeps;
  readonly pages: PublicStatusPages;
  readonly secureCookies: boolean;
  /** Seconds shared caches and browsers may reuse a public document. */
  readonly maxAgeSeconds?: number;
}

const PAGE_COOKIE = (pageId: string) => `fb_status_${pageId.replace(/[^A-Za-z0-9_-]/g, "")}`;
const DOMAIN_CONSTRAINT = "statusDomain";

const sameHash = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

type Params = { slug?: string; incidentId?: string; maintenanceId?: string };

/**
 * The `token` query parameter (these routes have no query schema, so it may come as an array). Only a
 * token given once as text can match; a repeated one is answered as a wrong token (""), never a 500.
 */
function queryToken(request: FastifyRequest): string | undefined {
  const token = (request.query as Record<string, unknown>).token;
  if (token === undefined) return undefined;
  return typeof token === "string" ? token : "";
}

export function registerStatusPublicRoutes(app: Api, deps: StatusPublicDeps): void {
  const { pages } = deps;
  const maxAge = deps.maxAgeSeconds ?? 15;

  app.addConstraintStrategy({
    name: DOMAIN_CONSTRAINT,
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, store: unknown) => void handlers.set(value, store),
      };
    },
    deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const host = req.headers.host;
      return typeof host === "string" && pages.isCustomDomain(host) ? "page" : undefined;
    },
    mustMatchWhenDerived: false,
  } as never);

  /** The page a request is for, or 404 (a private page the caller may not see is a 404 too). */
  async function pageFor(
    request: FastifyRequest,
    reply: FastifyReply,
    onCustomDomain: boolean,
  ): Promise<StatusPageHead> {
    const params = request.params as Params;
    const head = onCustomDomain
      ? await pages.find({ host: request.headers.host ?? "" })
      : await pages.find({ slug: params.slug ?? "" });
    if (!head) throw notFound("status page", onCustomDomain ? "for this host" : (params.slug ?? ""));
    if (head.private && !(await mayRead(request, reply, head, onCustomDomain ? "" : `/status/${head.slug}`)))
      throw notFound("status page", onCustomDomain ? "for this host" : head.slug);
    return head;
  }

  async function mayRead(
    request: FastifyRequest,
    reply: FastifyReply,
    head: StatusPageHead,
    mount: string,
  ): Promise<boolean> {
    const fromQuery = queryToken(request);
    const cookieName = PAGE_COOKIE(head.id);
    const token = fromQuery ?? request.cookies[cookieName];
    if (token && head.secretTokenHash && sameHash(hashToken(token), head.secretTokenHash)) {
      if (fromQuery)
        reply.setCookie(cookieName, fromQuery, {
          path: mount || "/",
          httpOnly: true,
          sameSite: "lax",
          secure: deps.secureCookies,
          maxAge: 30 * 24 * 60 * 60,
        });
      return true;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (!session) return false;
    try {
      await authenticateSession(deps.status, session);
      return true;
    } catch {
      return false;
    }
  }

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    doc: PublicDocument,
    onCustomDomain: boolean,
  ) {
    const head = await pageFor(request, reply, onCustomDomain);
    const mount = onCustomDomain ? "" : `/status/${head.slug}`;
    const rendered = await pages.render(head, mount, doc, {
      subscriptions: deps.status.statusChannels.emailEnabled,
    });
    if (!rendered)
      throw notFound(doc.kind === "maintenance" ? "maintenance" : "incident", "id" in doc ? doc.id : "");
    reply
      .header("etag", rendered.etag)
      .header("cache-control", head.private ? "private, no-cache" : `public, max-age=${maxAge}`)
      .header("vary", head.private ? "Cookie" : "Accept-Encoding");
    if (doc.kind === "json" || doc.kind === "atom" || doc.kind === "rss")
      reply.header("access-control-allow-origin", "*");
    const sent = request.headers["if-none-match"];
    if (
      typeof sent === "string" &&
      sent.split(",").some((t) => t.trim().replace(/^W\//, "") === rendered.etag)
    )
      return reply.code(304).send();
    return reply.type(rendered.contentType).send(rendered.body);
  }

  /** Answers a form: an HTML notice for browsers, JSON for scripts. */
  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    head: StatusPageHead,
    mount: string,
    status: number,
    heading: string,
    text: string,
  ) {
    const wantsHtml = (request.headers.accept ?? "").includes("text/html");
    reply.code(status).header("cache-control", "no-store");
    if (!wantsHtml) return reply.send({ result: heading, detail: text });
    const html = await pages.renderNotice(
      head,
      mount,
      heading,
      text,
      deps.status.statusChannels.emailEnabled,
    );
    return reply.type("text/html; charset=utf-8").send(html ?? "");
  }

  const register = (scope: Api, onCustomDomain: boolean) => {
    const prefix = onCustomDomain ? "" : "/status/:slug";
    const options = {
      config: { access: "public" as const },
      schema: { hide: true },
      ...(onCustomDomain && { constraints: { [DOMAIN_CONSTRAINT]: "page" } }),
      // The console previews pages in a frame of its own origin.
      onSend: async (_request: FastifyRequest, reply: FastifyReply) => {
        reply.header("x-frame-options", "SAMEORIGIN");
      },
    };
    const get = (path: string, doc: (request: FastifyRequest) => PublicDocument) =>
      scope.get(`${prefix}${path}`, options, (request, reply) =>
        serve(request, reply, doc(request), onCustomDomain),
      );

    get("/", () => ({ kind: "page" }));
    if (!onCustomDomain) get("", () => ({ kind: "page" }));
    get("/history", () => ({ kind: "history" }));
    get("/history.atom", () => ({ kind: "atom" }));
    get("/history.rss", () => ({ kind: "rss" }));
    get("/incidents/:incidentId", (r) => ({ kind: "incident", id: (r.params as Params).incidentId ?? "" }));
    get("/maintenances/:maintenanceId", (r) => ({
      kind: "maintenance",
      id: (r.params as Params).maintenanceId ?? "",
    }));
    for (const doc of STATUSPAGE_DOCUMENTS) get(`/api/v2/${doc}`, () => ({ kind: "json", doc }));

    scope.post(`${prefix}/subscribe`, options, async (request, reply) => {
      const head = await pageFor(request, reply, onCustomDomain);
      const mount = onCustomDomain ? "" : `/status/${head.slug}`;
      try {
        const body = subscribeFields(request.body, isFormPost(request));
        const outcome = await subscribe(deps.status, head.id, {
          email: body.email,
          webhookUrl: body.webhookUrl,
        });
        return answer(
          request,
          reply,
          head,
          mount,
          202,
          outcome === "already-subscribed" ? "Already subscribed" : "Check your email",
          outcome === "already-subscribed"
            ? "This address is subscribed already."
            : "We sent you an email with a link: open it to confirm. Nothing else is sent until then.",
        );
      } catch (err) {
        // A browser's form gets the field problems as a page; scripts get problem+json.
        if (
          isAppError(err) &&
          err.code === "VALIDATION" &&
          (request.headers.accept ?? "").includes("text/html")
        )
          return answer(
            request,
            reply,
            head,
            mount,
            400,
            "Please check the form",
            fieldErrorsSentence(err.fields),
          );
        throw err;
      }
    });
    scope.get(`${prefix}/subscribe/confirm`, options, async (request, reply) => {
      const head = await pageFor(request, reply, onCustomDomain);
      const mount = onCustomDomain ? "" : `/status/${head.slug}`;
      const ok = await confirmSubscription(deps.status, head.id, queryToken(request) ?? "");
      return ok
        ? answer(
            request,
            reply,
            head,
            mount,
            200,
            "Subscribed",
            "You will hear about incidents and maintenance on this page. Every message has an unsubscribe link.",
          )
        : answer(
            request,
            reply,
            head,
            mount,
            404,
            "Link not valid",
            "This confirmation link is unknown or expired. Subscribe again to get a new one.",
          );
    });
    // GET shows a button (a link checker must not unsubscribe anyone); POST is RFC 8058's one click.
    scope.get(`${prefix}/unsubscribe`, options, async (request, reply) => {
      const head = await pageFor(request, reply, onCustomDomain);
      const mount = onCustomDomain ? "" : `/status/${head.slug}`;
      const token = queryToken(request) ?? "";
      const html = await pages.renderNotice(
        head,
        mount,
        "Unsubscribe",
        "Press the button to stop getting updates from this page.",
        false,
      );
      const action = `${mount}/unsubscribe?token=${encodeURIComponent(token)}`
        .replace(/&/g, "&amp;")
        .replace(/"/g, "&quot;");
      const form = `<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`;
      return reply
        .header("cache-control", "no-store")
        .type("text/html; charset=utf-8")
        .send((html ?? "").replace("</section>", `${form}\n</section>`));
    });
    scope.post(`${prefix}/unsubscribe`, options, async (request, reply) => {
      const head = await pageFor(request, reply, onCustomDomain);
      const mount = onCustomDomain ? "" : `/status/${head.slug}`;
      const removed = await unsubscribe(deps.status, head.id, queryToken(request) ?? "");
      return answer(
        request,
        reply,
        head,
        mount,
        200,
        "Unsubscribed",
        removed
          ? "You will not get any more updates from this page."
          : "This link is not subscribed (any more).",
      );
    });
  };

  void app.register(async (scope) => {
    acceptFormBodies(scope);
    register(scope as unknown as Api, false);
    register(scope as unknown as Api, true);
  });

  // Every host's (Firebreak's own and each custom domain's): browsers ask for it on each page load.
  app.get("/favicon.ico", { config: { access: "public" }, schema: { hide: true } }, async (_request, reply) =>
    reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(FAVICON_SVG),
  );
}

/**
 * Firebreak's mark, the same as src/web/public/favicon.svg (the console's, which its build copies next
 * to index.html and which must stay an .svg: a favicon.ico there would clash with this route).
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="2" y="2" width="20" height="20" rx="5" fill="#1747a6"/><path d="M8 6v12M16 6v12" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>\n';

/** A form post's body stays its raw text (form-body.ts); a JSON string is text too, but no form. */
const isFormPost = (request: FastifyRequest): boolean =>
  /^application\/x-www-form-urlencoded\b/i.test(request.headers["content-type"] ?? "");

const SUBSCRIBE_FIELDS = ["email", "webhookUrl"] as const;
type SubscribeFields = Partial<Record<(typeof SUBSCRIBE_FIELDS)[number], string>>;

/**
 * The subscribe form's fields, from a form or a JSON object. A field given twice, or as anything but
 * text, is refused by name: keeping one of them silently, or calling it missing, misled the sender.
 */
function subscribeFields(body: unknown, fromForm: boolean): SubscribeFields {
  const fields: SubscribeFields = {};
  if (fromForm && typeof body === "string") {
    const form = new URLSearchParams(body);
    for (const name of SUBSCRIBE_FIELDS) {
      const values = form.getAll(name);
      if (values.length > 1)
        throw validationError([{ path: `/${name}`, message: "was given more than once" }]);
      if (values[0] !== undefined) fields[name] = values[0];
    }
    return fields;
  }
  if (body === undefined || body === null) return fields;
  if (typeof body !== "object" || Array.isArray(body))
    throw validationError([{ path: "/", message: "must be a form or a JSON object" }]);
  for (const name of SUBSCRIBE_FIELDS) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === "string") fields[name] = value;
    // null reads as absent (JSON clients send it for "none"); a number or object is a mistake to name.
    else if (value !== undefined && value !== null)
      throw validationError([{ path: `/${name}`, message: "must be text" }]);
  }
  return fields;
}
