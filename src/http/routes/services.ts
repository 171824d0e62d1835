import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createService,
  getService,
  listServices,
  updateService,
} from "../../app/services/manage-services.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  GroupingSchema,
  IdParams,
  nullableInput,
  ProblemSchema,
  ServiceSchema,
} from "../schemas.js";

const ServiceFields = {
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  teamId: Type.Optional(nullableInput.string({ maxLength: 100, description: "The owning team" })),
  escalationPolicyId: Type.Optional(
    nullableInput.string({
      maxLength: 100,
      description: "Who is paged for page-level incidents; null: nobody",
    }),
  ),
  channelId: Type.Optional(
    nullableInput.string({
      maxLength: 100,
      description: "The shared channel told about every page- and notify-level incident",
    }),
  ),
  grouping: Type.Optional(GroupingSchema),
  autoResolve: Type.Optional(
    Type.Boolean({ description: "Resolve the incident when all its alerts have resolved" }),
  ),
  reopenWindowMinutes: Type.Optional(
    Type.Integer({ description: "A new alert this soon after the incident resolved reopens it (0: never)" }),
  ),
};

export function registerServiceRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["services"];
  app.get(
    "/api/v1/services",
    {
      schema: { tags, summary: "List services", response: { 200: Type.Array(ServiceSchema), ...authErrors } },
    },
    async (request) => withIsoDates(await listServices(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/services",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a service (admin)",
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), ...ServiceFields },
          { additionalProperties: false },
        ),
        response: { 201: ServiceSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createService(deps, callerOf(request), request.body))),
  );

  app.get(
    "/api/v1/services/:id",
    {
      schema: {
        tags,
        summary: "A service, by id or exact name",
        params: IdParams,
        response: { 200: ServiceSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await getService(deps, callerOf(request), request.params.id)),
  );

  app.patch(
    "/api/v1/services/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a service (admin); by id or exact name",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ maxLength: 200 })), ...ServiceFields },
          { additionalProperties: false },
        ),
        response: { 200: ServiceSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      return withIsoDates(await updateService(deps, caller, service.id, request.body));
    },
  );
}
