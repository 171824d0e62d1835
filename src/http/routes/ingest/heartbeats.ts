import { Type } from "typebox";
import { recordCheckIn } from "../../../app/heartbeats/heartbeats.js";
import type { Api } from "../../api-instance.js";
import { problemResponse } from "../../schemas.js";
import { enforceRateLimit, type IngestDeps } from "./ingest-deps.js";

/** A cron job's check-in: `curl -fsS https://firebreak.example.net/heartbeat/KEY` at the end of each run. */
export function registerHeartbeatRoutes(app: Api, deps: IngestDeps): void {
  for (const method of ["GET", "POST"] as const) {
    app.route({
      method,
      url: "/heartbeat/:key",
      config: { access: "public" },
      schema: {
        tags: ["ingest"],
        summary:
          "Heartbeat check-in; a missed one (past interval + grace) opens an alert, the next check-in resolves it",
        description:
          "A cron job or a backup calls this at the end of each run (`curl -fsS <url>`): GET, or POST with no body. " +
          "When no check-in comes within the heartbeat integration's interval plus its grace, Firebreak opens " +
          "an alert of the integration's service (and so an incident, at the integration's level); the next " +
          "check-in resolves it.",
        params: Type.Object({
          key: Type.String({ maxLength: 200, description: "The heartbeat integration's key" }),
        }),
        response: {
          200: Type.Object({ status: Type.Literal("ok") }, { description: "The check-in is recorded" }),
          400: problemResponse("The key is longer than 200 characters"),
          403: problemResponse("The integration is disabled"),
          404: problemResponse("No heartbeat integration has this key"),
          429: problemResponse("More check-ins a minute than the integration's rate limit; see Retry-After"),
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
}
