import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createOverride,
  deleteOverride,
  listOverrides,
  takeOver,
} from "../../app/schedules/manage-overrides.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { OverrideSchema, ScheduleParams } from "../schedule-schemas.js";
import { authErrors, nullableInput, ProblemSchema } from "../schemas.js";

const DAY_MS = 24 * 60 * 60_000;
const Id = Type.String({ minLength: 1, maxLength: 100 });

/** Overlaps are allowed (as in PagerDuty and GoAlert), so they come back as warnings, not errors. */
const CreatedOverrideSchema = Type.Object(
  {
    ...OverrideSchema.properties,
    warnings: Type.Array(Type.String(), {
      description:
        "Said, not refused: the person's other overrides in this schedule that the new one overlaps, " +
        'e.g. "Ada already covers 09:00–12:00 on Thu 10 Dec (Europe/Berlin) in this schedule by another override". ' +
        "Empty when there are none",
    }),
  },
  { description: "The override created, with warnings about overlaps" },
);

/** Overrides: responders for themselves, admins for anyone; never in the past. */
export function registerScheduleOverrideRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["schedules"];

  app.get(
    "/api/v1/schedules/:id/overrides",
    {
      schema: {
        tags,
        summary: "Overrides that overlap [start, end) (default: now to 62 days ahead)",
        params: ScheduleParams,
        querystring: Type.Object({
          start: Type.Optional(Type.String({ format: "date-time" })),
          end: Type.Optional(Type.String({ format: "date-time" })),
        }),
        response: { 200: Type.Array(OverrideSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => {
      const now = deps.clock.now();
      const start = request.query.start ? new Date(request.query.start) : now;
      const end = request.query.end ? new Date(request.query.end) : new Date(start.getTime() + 62 * DAY_MS);
      return withIsoDates(await listOverrides(deps, callerOf(request), request.params.id, { start, end }));
    },
  );

  app.post(
    "/api/v1/schedules/:id/overrides",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Put someone on call over [start, end), above every layer (responders: themselves only). " +
          "Overlapping another override of the same person is allowed, and answered with `warnings`",
        params: ScheduleParams,
        body: Type.Object(
          {
            userId: Id,
            start: Type.String({ format: "date-time" }),
            end: Type.String({
              format: "date-time",
              description: "In the future, at most 90 days after start",
            }),
            replacesUserId: Type.Optional(
              nullableInput.string({ maxLength: 100, description: "Whose time it was" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedOverrideSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createOverride(deps, callerOf(request), request.params.id, {
        userId: body.userId,
        start: new Date(body.start),
        end: new Date(body.end),
        replacesUserId: body.replacesUserId ?? null,
      });
      return reply.code(201).send(withIsoDates(created));
    },
  );

  app.delete(
    "/api/v1/schedules/:id/overrides/:overrideId",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Remove an override (one in progress ends now); one's own, or anyone's for admins. One an accepted swap or cover made: admins only (409 otherwise)",
        params: Type.Object({ id: Id, overrideId: Id }),
        response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteOverride(deps, callerOf(request), request.params.id, request.params.overrideId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/schedules/:id/take-over",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Emergency: go on call from now (default: me, until the current shift ends)",
        params: ScheduleParams,
        body: Type.Object(
          {
            userId: Type.Optional(Id),
            end: Type.Optional(Type.String({ format: "date-time" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: OverrideSchema, 404: ProblemSchema, 409: ProblemSchema, ...authErrors },
      },
      // A POST without a body is "take over myself until the current shift ends".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await takeOver(deps, callerOf(request), request.params.id, {
        ...(body.userId !== undefined && { userId: body.userId }),
        ...(body.end !== undefined && { end: new Date(body.end) }),
      });
      return reply.code(201).send(withIsoDates(created));
    },
  );
}
