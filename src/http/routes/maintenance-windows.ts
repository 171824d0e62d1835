import { Type, type Static } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  listMaintenanceWindows,
} from "../../app/maintenance/manage-maintenance-windows.js";
import { getService } from "../../app/services/manage-services.js";
import type { MaintenanceWindow } from "../../core/maintenance/maintenance-window.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  describedAs,
  IdParams,
  MaintenanceWindowSchema,
  problemResponse,
  ServiceNotFound,
} from "../schemas.js";

const Instant = (description: string) => Type.String({ format: "date-time", description });

const WindowBody = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal("one-off"),
        startsAt: Instant("From this instant (inclusive)"),
        endsAt: Instant("Until this instant (exclusive); in the future, at most 30 days after startsAt"),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal("weekly"),
        weekdays: Type.Array(Type.Integer(), {
          maxItems: 7,
          description: "0 = Sunday … 6 = Saturday, in timeZone",
        }),
        startTime: Type.String({ maxLength: 20, description: '"HH:MM", 24-hour, in timeZone' }),
        durationMinutes: Type.Integer({
          description:
            "1 to 10080; a window may run past midnight. Wall-clock minutes: it ends when the clock in timeZone " +
            "reads startTime plus this, so on a day the clocks change it lasts an hour less or more",
        }),
        timeZone: Type.String({ maxLength: 100, description: "An IANA time zone, such as Europe/Berlin" }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "A one-off window, or one that recurs every week" },
);

const toWindow = (body: Static<typeof WindowBody>): MaintenanceWindow =>
  body.kind === "one-off"
    ? { kind: "one-off", startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) }
    : body;

/** Maintenance windows of a service: its alerts are recorded while one is open, and page nobody. */
export function registerMaintenanceWindowRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["maintenance windows"];

  app.get(
    "/api/v1/services/:id/maintenance-windows",
    {
      schema: {
        tags,
        summary: "List a service's maintenance windows; by service id or exact name",
        description: "The one-off and weekly windows during which the service's alerts page nobody.",
        params: IdParams,
        response: {
          200: Type.Array(MaintenanceWindowSchema, { description: "The service's windows" }),
          404: ServiceNotFound,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      return withIsoDates(await listMaintenanceWindows(deps, caller, service.id));
    },
  );

  app.post(
    "/api/v1/services/:id/maintenance-windows",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary:
          "Add a maintenance window to a service (admin, or a manager of its team); alerts during it page nobody",
        description:
          "While it is open the service's alerts are recorded but open no incident and page nobody; those " +
          "still firing when it ends open (or join) incidents and page then.",
        params: IdParams,
        body: Type.Object(
          {
            reason: Type.Optional(Type.String({ maxLength: 500, description: "Why, such as “DB upgrade”" })),
            window: WindowBody,
          },
          { additionalProperties: false },
        ),
        response: {
          201: describedAs(MaintenanceWindowSchema, "The window as created"),
          404: ServiceNotFound,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      const created = await createMaintenanceWindow(deps, caller, {
        serviceId: service.id,
        ...(request.body.reason !== undefined && { reason: request.body.reason }),
        window: toWindow(request.body.window),
      });
      return reply.code(201).send(withIsoDates(created));
    },
  );

  app.delete(
    "/api/v1/maintenance-windows/:id",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Remove a maintenance window, ending it at once (admin, or a manager of the service's team)",
        description:
          "Alerts it held that still fire open (or join) incidents and page at once, unless another window holds the service.",
        params: IdParams,
        response: {
          204: Type.Null({ description: "Removed" }),
          404: problemResponse("No maintenance window has this id"),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      await deleteMaintenanceWindow(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
