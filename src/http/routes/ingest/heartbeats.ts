import { Type } from "typebox";
import { recordCheckIn } from "../../../app/heartbeats/heartbeats.js";
import type { Api } from "../../api-instance.js";
import { ProblemSchema } from "../../schemas.js";
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
        params: Type.Object({ key: Type.String({ maxLength: 200 }) }),
        response: {
          200: Type.Object({ status: Type.Literal("ok") }),
          403: ProblemSchema,
          404: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
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
