import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { recordCheckIn } from "../../../app/heartbeats/heartbeats.js";
import type { Api } from "../../api-instance.js";
import { problemResponse } from "../../schemas.js";
import { enforceRateLimit, type IngestDeps } from "./ingest-deps.js";

/**
 * A check-in is its key alone. Cron jobs POST whatever their client sends (`curl -d ''` sends an empty
 * form, others a whole log, no Content-Type), so in this scope only, any body of any size is read
 * off the socket and dropped unbuffered: a big log must not turn a check-in into a 413 and a false page.
 */
function discardBodies(scope: FastifyInstance): void {
  // Fastify refuses a Content-Type that is no media type (415) before any parser runs; a check-in
  // needs nothing it says, so it goes, and every body reaches the catch-all parser below.
  scope.addHook("onRequest", async (request) => {
    delete request.raw.headers["content-type"];
  });
  // A parser without parseAs gets the stream itself, and Fastify holds it to no body limit.
  scope.addContentTypeParser("*", (_request, body, done) => {
    body.on("error", (error) => done(error, undefined));
    body.on("end", () => done(null, undefined));
    body.resume();
  });
}

/** A cron job's check-in: `curl -fsS https://firebreak.example.net/heartbeat/KEY` at the end of each run. */
export function registerHeartbeatRoutes(app: Api, deps: IngestDeps): void {
  app.register(async (plain) => {
    discardBodies(plain);
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // GET routes answer HEAD too (Fastify's exposeHeadRoutes): a HEAD is a check-in as well.
    for (const method of ["GET", "POST"] as const) {
      scope.route({
        method,
        url: "/heartbeat/:key",
        // A check-in's body is never read, so no encoding of it is refused either (request-body.ts).
        config: { access: "public", ignoresBody: true },
        schema: {
          tags: ["ingest"],
          summary:
            "Heartbeat check-in; a missed one (past interval + grace) opens an alert, the next check-in resolves it",
          description:
            "A cron job or a backup calls this at the end of each run (`curl -fsS <url>`): GET, HEAD or POST. " +
            "A POST may carry any body of any size with any Content-Type or Content-Encoding (an empty form from `curl -d ''`, a whole log): " +
            "it is read and dropped, never kept. A new heartbeat waits for its first check-in and never alerts before it. " +
            "After that, when no check-in comes within the heartbeat integration's interval plus its " +
            "grace, Firebreak opens an alert of the integration's service (and so an incident, at the " +
            "integration's level); the next check-in resolves it.",
          params: Type.Object({
            key: Type.String({ maxLength: 200, description: "The heartbeat integration's key" }),
          }),
          response: {
            200: Type.Object({ status: Type.Literal("ok") }, { description: "The check-in is recorded" }),
            400: problemResponse("The key is longer than 200 characters"),
            403: problemResponse("The integration is disabled"),
            404: problemResponse("No heartbeat integration has this key"),
            429: problemResponse(
              "More check-ins a minute than the integration's rate limit; see Retry-After",
            ),
            503: problemResponse("The database cannot work now; nothing recorded. Check in again"),
          },
        },
        handler: async (request) => {
          const integration = await deps.integrationForKey(request.params.key, ["heartbeat"]);
          enforceRateLimit(deps, integration, 1);
          await recordCheckIn(deps.app, integration.id);
          return { status: "ok" as const };
        },
      });
    }
  });
}
