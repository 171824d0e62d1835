import { Type } from "typebox";
import {
  createStatusIncident,
  getStatusIncident,
  listStatusIncidents,
  patchStatusIncident,
  postStatusIncidentUpdate,
} from "../../app/status/manage-status-incidents.js";
import {
  cancelMaintenance,
  createMaintenance,
  getMaintenance,
  listMaintenances,
  postMaintenanceUpdate,
  updateMaintenance,
} from "../../app/status/manage-status-maintenances.js";
import type { StatusDeps } from "../../app/status/status-deps.js";
import { deleteSubscriber, listSubscribers } from "../../app/status/status-subscribers.js";
import { requireRole } from "../../core/auth/actor.js";
import { validationError } from "../../core/errors.js";
import {
  fillPublicUpdateTemplate,
  joinNames,
  PUBLIC_UPDATE_TEMPLATES,
} from "../../core/response/public-update-templates.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { ImpactLevelSchema, PhaseSchema } from "../response-schemas.js";
import { authErrors, ProblemSchema } from "../schemas.js";
import {
  IncidentParams,
  IncidentPatchBody,
  IncidentUpdateBody,
  MaintenanceParams,
  MaintenancePatchBody,
  MaintenanceSchema,
  NewIncidentBody,
  NewMaintenanceBody,
  PageParams,
  StatusIncidentSchema,
  SubscriberParams,
  SubscriberSchema,
} from "../status-schemas.js";

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** Status incidents and their updates, scheduled maintenance, subscribers, and update templates. */
export function registerStatusItemRoutes(app: Api, deps: StatusDeps): void {
  const tags = ["status pages"];
  const errors = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, ...authErrors };
  const admin = { access: "admin" as const };

  app.get(
    "/api/v1/status-pages/templates",
    {
      schema: {
        tags,
        summary:
          "A public update's starting text for a level and status (from the response workflow's templates)",
        querystring: Type.Object(
          {
            level: ImpactLevelSchema,
            status: PhaseSchema,
            service: Type.Optional(Type.String({ maxLength: 200, description: "Fills {service}" })),
            components: Type.Optional(
              Type.String({ maxLength: 2000, description: "Comma-separated names; fills {components}" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ body: Type.String() }), ...authErrors },
      },
    },
    async (request) => {
      requireRole(callerOf(request).actor, "viewer");
      const { level, status, service, components } = request.query;
      const names = (components ?? "")
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n !== "");
      // Placeholders nobody filled stay in the body (the console fills them itself).
      let body = PUBLIC_UPDATE_TEMPLATES[level][status];
      if (names.length > 0) body = body.replaceAll("{components}", joinNames(names));
      if (service?.trim())
        body = fillPublicUpdateTemplate(body, { serviceName: service.trim(), componentNames: [] });
      return { body };
    },
  );

  app.get(
    "/api/v1/status-pages/:id/incidents",
    {
      schema: {
        tags,
        summary: "Open incidents and those of the last 90 days, newest first",
        params: PageParams,
        response: { 200: Type.Array(StatusIncidentSchema), ...errors },
      },
    },
    async (request) => withIsoDates(await listStatusIncidents(deps, callerOf(request), request.params.id)),
  );
  app.post(
    "/api/v1/status-pages/:id/incidents",
    {
      config: admin,
      schema: {
        tags,
        summary: "Post an incident directly (its first update is `body`)",
        params: PageParams,
        body: NewIncidentBody,
        response: { 201: StatusIncidentSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(await createStatusIncident(deps, callerOf(request), request.params.id, request.body)),
        ),
  );
  app.get(
    "/api/v1/status-pages/:id/incidents/:incidentId",
    {
      schema: {
        tags,
        summary: "One status incident with its updates",
        params: IncidentParams,
        response: { 200: StatusIncidentSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await getStatusIncident(deps, callerOf(request), request.params.id, request.params.incidentId),
      ),
  );
  app.patch(
    "/api/v1/status-pages/:id/incidents/:incidentId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Rename an incident, change its impact or components",
        params: IncidentParams,
        body: IncidentPatchBody,
        response: { 200: StatusIncidentSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await patchStatusIncident(
          deps,
          callerOf(request),
          request.params.id,
          request.params.incidentId,
          request.body,
        ),
      ),
  );
  app.post(
    "/api/v1/status-pages/:id/incidents/:incidentId/updates",
    {
      config: admin,
      schema: {
        tags,
        summary: "Post an update (resolved closes the incident); subscribers are told",
        params: IncidentParams,
        body: IncidentUpdateBody,
        response: { 201: StatusIncidentSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(
            await postStatusIncidentUpdate(
              deps,
              callerOf(request),
              request.params.id,
              request.params.incidentId,
              request.body,
            ),
          ),
        ),
  );

  app.get(
    "/api/v1/status-pages/:id/maintenances",
    {
      schema: {
        tags,
        summary: "Upcoming, running and recent maintenance",
        params: PageParams,
        response: { 200: Type.Array(MaintenanceSchema), ...errors },
      },
    },
    async (request) => withIsoDates(await listMaintenances(deps, callerOf(request), request.params.id)),
  );
  app.post(
    "/api/v1/status-pages/:id/maintenances",
    {
      config: admin,
      schema: {
        tags,
        summary:
          "Schedule maintenance: it moves itself to in progress and completed, and holds paging for its components' services while it runs",
        params: PageParams,
        body: NewMaintenanceBody,
        response: { 201: MaintenanceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { scheduledFor, scheduledUntil, ...rest } = request.body;
      const view = await createMaintenance(deps, callerOf(request), request.params.id, {
        ...rest,
        scheduledFor: new Date(scheduledFor),
        scheduledUntil: new Date(scheduledUntil),
      });
      return reply.code(201).send(withIsoDates(view));
    },
  );
  app.get(
    "/api/v1/status-pages/:id/maintenances/:maintenanceId",
    {
      schema: {
        tags,
        summary: "One maintenance with its updates",
        params: MaintenanceParams,
        response: { 200: MaintenanceSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await getMaintenance(deps, callerOf(request), request.params.id, request.params.maintenanceId),
      ),
  );
  app.patch(
    "/api/v1/status-pages/:id/maintenances/:maintenanceId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Change a maintenance (times, text, components) or its status",
        params: MaintenanceParams,
        body: MaintenancePatchBody,
        response: { 200: MaintenanceSchema, ...errors },
      },
    },
    async (request) => {
      const { scheduledFor, scheduledUntil, ...rest } = request.body;
      for (const [path, value] of [
        ["/scheduledFor", scheduledFor],
        ["/scheduledUntil", scheduledUntil],
      ] as const)
        if (value !== undefined && Number.isNaN(Date.parse(value)))
          throw validationError([{ path, message: "must be a date and time" }]);
      return withIsoDates(
        await updateMaintenance(deps, callerOf(request), request.params.id, request.params.maintenanceId, {
          ...rest,
          scheduledFor: date(scheduledFor),
          scheduledUntil: date(scheduledUntil),
        }),
      );
    },
  );
  app.delete(
    "/api/v1/status-pages/:id/maintenances/:maintenanceId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Cancel a maintenance (it stays in the history; paging resumes)",
        params: MaintenanceParams,
        response: { 200: MaintenanceSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await cancelMaintenance(deps, callerOf(request), request.params.id, request.params.maintenanceId),
      ),
  );
  app.post(
    "/api/v1/status-pages/:id/maintenances/:maintenanceId/updates",
    {
      config: admin,
      schema: {
        tags,
        summary: "Post an update on a maintenance; subscribers are told",
        params: MaintenanceParams,
        body: Type.Object({ body: Type.String({ maxLength: 10000 }) }, { additionalProperties: false }),
        response: { 201: MaintenanceSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(
            await postMaintenanceUpdate(
              deps,
              callerOf(request),
              request.params.id,
              request.params.maintenanceId,
              request.body,
            ),
          ),
        ),
  );

  app.get(
    "/api/v1/status-pages/:id/subscribers",
    {
      config: admin,
      schema: {
        tags,
        summary: "The page's subscribers (admin)",
        params: PageParams,
        response: { 200: Type.Array(SubscriberSchema), ...errors },
      },
    },
    async (request) => withIsoDates(await listSubscribers(deps, callerOf(request), request.params.id)),
  );
  app.delete(
    "/api/v1/status-pages/:id/subscribers/:subscriberId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Remove a subscriber",
        params: SubscriberParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteSubscriber(deps, callerOf(request), request.params.id, request.params.subscriberId);
      return reply.code(204).send(null);
    },
  );
}
