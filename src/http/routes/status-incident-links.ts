import { Type } from "typebox";
import { statusPageIncidentsOf } from "../../app/status/incident-status-pages.js";
import type { StatusDeps } from "../../app/status/status-deps.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { RefParams } from "../response-schemas.js";
import { authErrors, ProblemSchema } from "../schemas.js";
import { IncidentStatusSchema } from "../status-schemas.js";

/** Where a Firebreak incident is shown to customers: the status-page incidents its public updates opened. */
export function registerStatusIncidentLinkRoutes(app: Api, deps: StatusDeps): void {
  app.get(
    "/api/v1/incidents/:ref/status-page-incidents",
    {
      schema: {
        tags: ["status pages"],
        summary: "The status-page incidents this incident's public updates opened, one per page",
        description:
          "Resolving the incident resolves the open ones too (a job posts the level's resolved text), unless " +
          "the last public update posted was already a resolved one.",
        params: RefParams,
        response: {
          200: Type.Array(
            Type.Object({
              pageId: Type.String(),
              pageTitle: Type.String(),
              statusIncidentId: Type.String(),
              name: Type.String(),
              status: IncidentStatusSchema,
            }),
          ),
          404: ProblemSchema,
          ...authErrors,
        },
      },
    },
    async (request) => statusPageIncidentsOf(deps, callerOf(request), request.params.ref),
  );
}
