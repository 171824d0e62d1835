import type { FastifyReply, FastifyRequest } from "fastify";
import type { Api } from "./api-instance.js";
import { mapError, PROBLEM_CONTENT_TYPE } from "./problem.js";
import { secretFreeUrl } from "./secret-free-url.js";

/** The methods a path may take, in the order an Allow header lists them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** What `/` tells a client that is not a browser: that this is Firebreak, and where to go. */
export const SERVER_SIGNPOST = {
  name: "firebreak",
  console: "open / in a browser",
  api: "/api/v1",
  docs: "/docs",
  openapi: "/openapi.json",
  health: "/healthz",
} as const;

const NOT_BUILT =
  "<!doctype html><title>Firebreak</title><p>The console is not built. Run <code>npm run build</code>. The API is at <a href=/docs>/docs</a>.</p>";

const pathOf = (request: FastifyRequest): string => request.url.split("?")[0] ?? "/";

/** A browser asking for a page: the console's to answer, outside the API. */
const wantsPage = (request: FastifyRequest): boolean =>
  (request.method === "GET" || request.method === "HEAD") &&
  !pathOf(request).startsWith("/api/") &&
  (request.headers.accept ?? "").includes("text/html");

/** The console's single page (its own router handles the path), or a note that it is not built. */
function sendConsole(reply: FastifyReply, webRoot: string | undefined): FastifyReply {
  if (webRoot) return reply.header("cache-control", "no-cache").sendFile("index.html", webRoot);
  return reply.type("text/html; charset=utf-8").send(NOT_BUILT);
}

/**
 * The methods that have a route at this path, by the router itself (parameters, static files and
 * all). Routes held to a constraint (a status page's custom domain) count only where it is met.
 */
export function allowedMethods(app: Api, url: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url }) !== null);
}

/**
 * `/` and every path no route answers: the console for a browser, a signpost for curl at `/`, a 405
 * naming the methods for a wrong method on a path that exists, and a 404 otherwise.
 */
export function registerRoutingAnswers(app: Api, webRoot: string | undefined): void {
  // A person checking with curl whether the server is up got "no route GET /"; a browser gets the console.
  app.get("/", { config: { access: "public" }, schema: { hide: true } }, async (request, reply) =>
    wantsPage(request) ? sendConsole(reply, webRoot) : reply.send(SERVER_SIGNPOST),
  );

  app.setNotFoundHandler((request, reply) => {
    if (wantsPage(request)) return sendConsole(reply, webRoot);
    // Echoed back: a key in the path (an ingest URL asked with GET) is cut, as in every problem.
    const shown = secretFreeUrl(pathOf(request));
    const allowed = allowedMethods(app, request.url);
    if (allowed.length > 0) {
      const detail = `${request.method} is not allowed on ${shown}; it takes ${allowed.join(", ")}`;
      const mapped = mapError({ statusCode: 405, message: detail }, request.id, shown);
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .type(PROBLEM_CONTENT_TYPE)
        .send(mapped.problem);
    }
    // The CLI reads "no route" to tell a --url with /api/v1 in it (src/cli/api-client.ts).
    const mapped = mapError(
      { statusCode: 404, message: `no route ${request.method} ${shown}` },
      request.id,
      shown,
    );
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(mapped.problem);
  });
}
