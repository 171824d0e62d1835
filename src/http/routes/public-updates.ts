import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { draftIncidentPublicUpdate, postIncidentPublicUpdate } from "../../app/response/public-updates.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { PhaseSchema, PublicUpdateSchema, RefParams } from "../response-schemas.js";
import { authErrors, ProblemSchema } from "../schemas.js";

/** Public updates: post one (the comms lead or the handler), or draft one from the level's template. */

const tags = ["incident response"];
const errors = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, ...authErrors };

export function registerPublicUpdateRoutes(app: Api, deps: AlertingDeps): void {
  app.post(
    "/api/v1/incidents/:ref/public-updates",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Post a public update (the communications lead, or the handler): stored and handed to the status page",
        description:
          "It appears on every status page with a component linked to the incident's service (or on the pages " +
          "of the components `componentIds` names), as that page's incident of this Firebreak incident. When no " +
          "status page shows the service, the update is refused with 409 CONFLICT naming the service (link a " +
          'component to it in Status pages → Components) and nothing is stored, so the "public update ' +
          'required" reminders go on; an unknown component id is a 400 at `/componentIds/<i>`.',
        params: RefParams,
        body: Type.Object(
          {
            status: PhaseSchema,
            message: Type.String({ maxLength: 5000 }),
            componentIds: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: PublicUpdateSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(
            await postIncidentPublicUpdate(deps, callerOf(request), request.params.ref, request.body),
          ),
        ),
  );

  app.get(
    "/api/v1/incidents/:ref/public-updates/draft",
    {
      schema: {
        tags,
        summary: "A public update drafted from the level's template (status: the current phase by default)",
        params: RefParams,
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ maxLength: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ status: PhaseSchema, message: Type.String() }), ...errors },
      },
    },
    async (request) =>
      draftIncidentPublicUpdate(deps, callerOf(request), request.params.ref, request.query.status),
  );
}
