import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { importCalendarLayer } from "../../app/schedules/import-calendar-layer.js";
import { addLayer, editLayer, endLayer } from "../../app/schedules/manage-layers.js";
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from "../../app/schedules/manage-schedules.js";
import { previewSchedule } from "../../app/schedules/schedule-timeline.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  LayerInputSchema,
  LayerParams,
  LayerSchema,
  RotationInputSchema,
  ScheduleParams,
  ScheduleSchema,
  TimelineSchema,
} from "../schedule-schemas.js";
import { authErrors, nullableInput, ProblemSchema } from "../schemas.js";

const ScheduleFields = {
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  timeZone: Type.String({
    maxLength: 100,
    description: "IANA zone, such as Europe/Berlin: handoffs are wall-clock times here",
  }),
  teamId: Type.Optional(
    nullableInput.string({
      minLength: 1,
      maxLength: 100,
      description: "The team the schedule belongs to; null: none",
    }),
  ),
};

/** Schedules and their layers: everyone reads; admins change them, and a team's managers its own. */
export function registerScheduleRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["schedules"];

  app.get(
    "/api/v1/schedules",
    {
      schema: {
        tags,
        summary: "List schedules",
        response: { 200: Type.Array(ScheduleSchema), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listSchedules(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/schedules",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a schedule, optionally with rotation layers (admin)",
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            ...ScheduleFields,
            layers: Type.Optional(Type.Array(LayerInputSchema, { maxItems: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ScheduleSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createSchedule(deps, callerOf(request), request.body))),
  );

  app.get(
    "/api/v1/schedules/:id",
    {
      schema: {
        tags,
        summary: "A schedule, by id or exact name",
        params: ScheduleParams,
        response: { 200: ScheduleSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await getSchedule(deps, callerOf(request), request.params.id)),
  );

  app.patch(
    "/api/v1/schedules/:id",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Change a schedule's name, zone, team or description (admin, or a manager of its team)",
        params: ScheduleParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            ...ScheduleFields,
            timeZone: Type.Optional(ScheduleFields.timeZone),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScheduleSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await updateSchedule(deps, callerOf(request), request.params.id, request.body)),
  );

  app.delete(
    "/api/v1/schedules/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a schedule (admin); refused while an escalation policy pages through it",
        params: ScheduleParams,
        response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteSchedule(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/schedules/:id/layers",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Add a rotation layer (admin, or a manager of the schedule's team); it takes effect now",
        params: ScheduleParams,
        body: LayerInputSchema,
        response: { 201: LayerSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(withIsoDates(await addLayer(deps, callerOf(request), request.params.id, request.body))),
  );

  app.put(
    "/api/v1/schedules/:id/layers/:layerId",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary:
          "Change a layer (admin, or a manager of the schedule's team): a new rotation applies from now, shifts before now stay as they were",
        params: LayerParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            priority: Type.Optional(Type.Integer()),
            rotation: Type.Optional(RotationInputSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: LayerSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(
        await editLayer(deps, callerOf(request), request.params.id, request.params.layerId, request.body),
      ),
  );

  app.delete(
    "/api/v1/schedules/:id/layers/:layerId",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "End a layer now (admin, or a manager of the schedule's team); its past shifts stay",
        params: LayerParams,
        response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await endLayer(deps, callerOf(request), request.params.id, request.params.layerId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/schedules/:id/layers/import",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary:
          "Import an ICS calendar as a fixed layer (admin, or a manager of the schedule's team); events are matched to users by email or name",
        params: ScheduleParams,
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            priority: Type.Optional(Type.Integer()),
            ics: Type.String({ maxLength: 5_000_000, description: "The calendar file's text" }),
            defaultTimeZone: Type.Optional(
              Type.String({
                maxLength: 100,
                description: "For all-day and floating times; default: the schedule's zone",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            layer: LayerSchema,
            imported: Type.Integer(),
            skipped: Type.Array(Type.Object({ uid: Type.String(), reason: Type.String() })),
          }),
          404: ProblemSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(await importCalendarLayer(deps, callerOf(request), request.params.id, request.body)),
        ),
  );

  app.post(
    "/api/v1/schedules/preview",
    {
      schema: {
        tags,
        summary: "Preview draft layers as a timeline; nothing is saved",
        body: Type.Object(
          {
            timeZone: Type.String({ maxLength: 100 }),
            layers: Type.Array(LayerInputSchema, { maxItems: 20 }),
            overrides: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    userId: Type.String({ minLength: 1, maxLength: 100 }),
                    start: Type.String({ format: "date-time" }),
                    end: Type.String({ format: "date-time" }),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 200 },
              ),
            ),
            start: Type.String({ format: "date-time" }),
            end: Type.String({ format: "date-time", description: "At most 62 days after start" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TimelineSchema, ...authErrors },
      },
    },
    async (request) => {
      const body = request.body;
      return withIsoDates(
        await previewSchedule(deps, callerOf(request), {
          timeZone: body.timeZone,
          layers: body.layers,
          overrides: (body.overrides ?? []).map((o) => ({
            userId: o.userId,
            start: new Date(o.start),
            end: new Date(o.end),
          })),
          start: new Date(body.start),
          end: new Date(body.end),
        }),
      );
    },
  );
}
