import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createService,
  deleteService,
  getService,
  getServiceView,
  listServices,
  updateService,
} from "../../app/services/manage-services.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { DeletedResponse } from "../deleted-response.js";
import {
  authErrors,
  describedAs,
  GroupingSchema,
  IdParams,
  nullableInput,
  problemResponse,
  ServiceNotFound,
  ServiceSchema,
} from "../schemas.js";

const ServiceName = Type.String({ maxLength: 200, description: "Unique; 1 to 200 characters" });
const ServiceConflict = problemResponse("Another service has this name");
const ServiceInvalid = problemResponse(
  "A field is not valid, or the team, escalation policy or channel it names does not exist; `errors` names each",
);

const ServiceFields = {
  description: Type.Optional(Type.String({ maxLength: 5000, description: "What it is, for responders" })),
  // Null means none; an empty id names nothing, so it is refused like an unknown one.
  teamId: Type.Optional(
    nullableInput.string({ minLength: 1, maxLength: 100, description: "The owning team; null: none" }),
  ),
  escalationPolicyId: Type.Optional(
    nullableInput.string({
      minLength: 1,
      maxLength: 100,
      description: "Who is paged for page-level incidents; null: nobody",
    }),
  ),
  channelId: Type.Optional(
    nullableInput.string({
      minLength: 1,
      maxLength: 100,
      description: "The shared channel told about every page- and notify-level incident",
    }),
  ),
  grouping: Type.Optional(GroupingSchema),
  autoResolve: Type.Optional(
    Type.Boolean({ description: "Resolve the incident when all its alerts have resolved (default true)" }),
  ),
  reopenWindowMinutes: Type.Optional(
    Type.Integer({ description: "A new alert this soon after the incident resolved reopens it (0: never)" }),
  ),
};

/** What listings add to a service's settings: its state now. */
const ServiceViewSchema = Type.Object({
  ...ServiceSchema.properties,
  maintenanceUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description:
      "A maintenance window holds this service's pages back until then (its alerts are still recorded); null: none does now",
  }),
  integrationCount: Type.Integer({
    minimum: 0,
    description:
      "How many integrations the service has, disabled ones included (deleted ones not): 0 means no " +
      "monitoring sends it alerts yet. GET /api/v1/services/{id}/integrations lists them",
  }),
  enabledIntegrationCount: Type.Integer({
    minimum: 0,
    description:
      "How many of its integrations are enabled and take alerts; 0 with an integrationCount above 0: " +
      "every one is disabled",
  }),
});

/** A listed service; `archivedAt` only when deleted ones were asked for. */
const ListedServiceSchema = Type.Object({
  ...ServiceViewSchema.properties,
  archivedAt: Type.Optional(
    Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
      description:
        "Only with includeArchived=true: when the service was deleted; null: it is live. A deleted " +
        "service keeps its name here (a new service may hold it now) so its incidents can be named",
    }),
  ),
});

const ListServicesQuery = Type.Object({
  includeArchived: Type.Optional(
    Type.Boolean({
      description:
        "Also list the deleted services, after the live ones, each with its archivedAt (default false)",
    }),
  ),
});

export function registerServiceRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["services"];
  app.get(
    "/api/v1/services",
    {
      schema: {
        tags,
        summary: "List services",
        description:
          "Every service, by name: where alerts arrive, who is paged, how alerts group into incidents; " +
          "with whether a maintenance window holds its pages back and how many integrations it has (one " +
          "read for the whole list). With includeArchived=true the deleted services follow, by name, " +
          "each with when it was deleted: the CLI names an old incident's service from it.",
        querystring: ListServicesQuery,
        response: {
          200: Type.Array(ListedServiceSchema, {
            description: "Every service, by name; then the deleted ones when asked for",
          }),
          ...authErrors,
        },
      },
    },
    async (request) =>
      withIsoDates(
        await listServices(deps, callerOf(request), {
          includeArchived: request.query.includeArchived === true,
        }),
      ),
  );

  app.post(
    "/api/v1/services",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Create a service (admin, or a manager of its team)",
        description:
          "A service is what alerts are about: add integrations to it for its senders, and name the escalation " +
          "policy that pages for its page-level incidents and the channel told about them. A responder who " +
          "manages a team may create services owned by that team; one without a team needs an admin.",
        // A whole example that is accepted as is: one made up from the types names a team "string".
        body: Type.Object(
          { name: ServiceName, ...ServiceFields },
          {
            additionalProperties: false,
            examples: [
              { name: "checkout", description: "The checkout API and its workers", autoResolve: true },
            ],
          },
        ),
        response: {
          201: describedAs(ServiceSchema, "The service as created"),
          ...authErrors,
          400: ServiceInvalid,
          409: ServiceConflict,
        },
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
        description: "The service's settings. The id may also be the service's exact name.",
        params: IdParams,
        response: { 200: describedAs(ServiceViewSchema, "The service"), 404: ServiceNotFound, ...authErrors },
      },
    },
    async (request) => withIsoDates(await getServiceView(deps, callerOf(request), request.params.id)),
  );

  app.patch(
    "/api/v1/services/:id",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Change a service (admin, or a manager of its team); by id or exact name",
        description:
          "Changes the fields given and keeps the others. Open incidents keep the escalation policy they " +
          "started with; a new policy pages from the next incident on. A responder who manages the owning " +
          "team may change it, and move it only to another team they manage.",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(ServiceName), ...ServiceFields },
          { additionalProperties: false },
        ),
        response: {
          200: describedAs(ServiceSchema, "The service as changed"),
          404: ServiceNotFound,
          ...authErrors,
          400: ServiceInvalid,
          409: ServiceConflict,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      return withIsoDates(await updateService(deps, caller, service.id, request.body));
    },
  );

  app.delete(
    "/api/v1/services/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a service (admin); by id or exact name",
        description:
          "Refused with 409 while the service has unresolved incidents. Otherwise the service leaves the " +
          "lists and its integrations' keys stop working; its incidents and alerts stay readable under its " +
          "name, and the name is free for a new service.",
        params: IdParams,
        response: {
          204: DeletedResponse,
          404: ServiceNotFound,
          ...authErrors,
          409: problemResponse("The service has unresolved incidents; the detail names them"),
        },
      },
    },
    async (request, reply) => {
      await deleteService(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
