import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { exportShiftsCsv } from "../../app/schedules/export-shifts-csv.js";
import { previewFollowTheSun } from "../../app/schedules/follow-the-sun-preview.js";
import {
  MAX_ON_CALL_POLICIES,
  MAX_REACHABILITY_PEOPLE,
  peopleReachability,
  personShifts,
  whoIsOnCall,
} from "../../app/schedules/on-call.js";
import {
  MAX_FAIRNESS_HOLIDAYS,
  parseHolidayList,
  scheduleFairness,
} from "../../app/schedules/schedule-fairness.js";
import { scheduleGapsIn, scheduleTimeline } from "../../app/schedules/schedule-timeline.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  OnCallSchema,
  ReachabilitySchema,
  PersonShiftSchema,
  RangeQuery,
  ScheduleParams,
  GapSchema,
  TimelineSchema,
} from "../schedule-schemas.js";
import { authErrors, ProblemSchema } from "../schemas.js";

const window = (query: { start: string; end: string }) => ({
  start: new Date(query.start),
  end: new Date(query.end),
});

const Clock = (description: string) => Type.String({ maxLength: 5, description });

/** Reading schedules: timelines, gaps, who is on call, a person's shifts, CSV, fairness, follow-the-sun plans. */
export function registerScheduleQueryRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["schedules"];

  app.get(
    "/api/v1/schedules/:id/timeline",
    {
      schema: {
        tags,
        summary: "Layers, overrides, the final schedule and its gaps over [start, end) (at most 62 days)",
        params: ScheduleParams,
        querystring: RangeQuery,
        response: { 200: TimelineSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await scheduleTimeline(deps, callerOf(request), request.params.id, window(request.query))),
  );

  app.get(
    "/api/v1/schedules/:id/gaps",
    {
      schema: {
        tags,
        summary: "Stretches of [start, end) where nobody is on call, and why (at most 62 days)",
        params: ScheduleParams,
        querystring: RangeQuery,
        response: { 200: Type.Array(GapSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await scheduleGapsIn(deps, callerOf(request), request.params.id, window(request.query))),
  );

  app.get(
    "/api/v1/oncall",
    {
      schema: {
        tags: ["on call"],
        summary:
          "Who is on call now (or at `at`): for a schedule, a service, escalation policies, a team, or every schedule",
        description:
          "Give at most one of scheduleId, serviceId, escalationPolicyId and teamId; none: every schedule. " +
          `escalationPolicyId may be repeated (up to ${MAX_ON_CALL_POLICIES}) to ask for several policies ` +
          "in one request: each entry and gap then carries the escalationPolicyId whose first step it answers.",
        querystring: Type.Object({
          scheduleId: Type.Optional(
            Type.String({ minLength: 1, maxLength: 200, description: "Id or exact name" }),
          ),
          serviceId: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: "Id or exact name: its policy's first step",
            }),
          ),
          escalationPolicyId: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
              minItems: 1,
              maxItems: MAX_ON_CALL_POLICIES,
              description:
                "Id or exact name, repeatable (`?escalationPolicyId=a&escalationPolicyId=b`, at most " +
                `${MAX_ON_CALL_POLICIES}): whom each policy's first step pages`,
            }),
          ),
          teamId: Type.Optional(
            Type.String({ minLength: 1, maxLength: 200, description: "Id or exact name" }),
          ),
          at: Type.Optional(Type.String({ format: "date-time" })),
        }),
        response: { 200: OnCallSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => {
      const { at, escalationPolicyId, ...filter } = request.query;
      return withIsoDates(
        await whoIsOnCall(deps, callerOf(request), {
          ...filter,
          ...(escalationPolicyId !== undefined && { escalationPolicyIds: escalationPolicyId }),
          ...(at !== undefined && { at: new Date(at) }),
        }),
      );
    },
  );

  app.get(
    "/api/v1/oncall/reachability",
    {
      schema: {
        tags: ["on call"],
        summary:
          "Whether a page now would reach each person named (a contact method it would use), and why not",
        description:
          "For warnings beside the people a policy pages at any step: the on-call read answers only for " +
          "whom first steps page now. Unknown ids are left out.",
        querystring: Type.Object({
          userId: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
            minItems: 1,
            maxItems: MAX_REACHABILITY_PEOPLE,
            description: `User id, repeatable (\`?userId=a&userId=b\`, at most ${MAX_REACHABILITY_PEOPLE})`,
          }),
        }),
        response: { 200: ReachabilitySchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await peopleReachability(deps, callerOf(request), request.query.userId)),
  );

  app.get(
    "/api/v1/users/:id/shifts",
    {
      schema: {
        tags: ["on call"],
        summary: "A person's shifts in every schedule's final schedule over [start, end); \"me\" for oneself",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: RangeQuery,
        response: { 200: Type.Array(PersonShiftSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await personShifts(deps, callerOf(request), request.params.id, window(request.query))),
  );

  app.get(
    "/api/v1/schedules/:id/shifts.csv",
    {
      schema: {
        tags,
        summary: "The final schedule's shifts as CSV for payroll (at most 366 days)",
        params: ScheduleParams,
        querystring: RangeQuery,
        produces: ["text/csv"],
        response: { 200: Type.String({ description: "text/csv" }), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const { scheduleName, csv } = await exportShiftsCsv(
        deps,
        callerOf(request),
        request.params.id,
        window(request.query),
      );
      // A header-safe file name: the schedule's name with anything unusual turned into dashes.
      const safeName = scheduleName.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
      const file = `${safeName || "schedule"}-shifts.csv`;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file}"`)
        .send(csv);
    },
  );

  app.get(
    "/api/v1/schedules/:id/fairness",
    {
      schema: {
        tags,
        summary: "Shifts, weekend shifts, night and holiday hours per person, each on their own clock",
        params: ScheduleParams,
        querystring: Type.Object({
          ...RangeQuery.properties,
          holidays: Type.Optional(
            Type.String({
              // Room for every entry with a long, URL-encoded name.
              maxLength: MAX_FAIRNESS_HOLIDAYS * 700,
              description:
                `Up to ${MAX_FAIRNESS_HOLIDAYS} holidays, comma-separated: "YYYY-MM-DD" or "YYYY-MM-DD:Name", ` +
                "each a whole day in the schedule's zone; names URL-encoded within the list (a comma is %2C)",
              examples: ["2026-12-25:Christmas%20Day,2027-01-01"],
            }),
          ),
        }),
        response: {
          200: Type.Unknown({
            description: "The fairness report: people, totals, spread, fair, and the holidays counted",
          }),
          404: ProblemSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const holidays = parseHolidayList(request.query.holidays);
      return withIsoDates(
        await scheduleFairness(deps, callerOf(request), request.params.id, window(request.query), holidays),
      );
    },
  );

  app.post(
    "/api/v1/schedules/follow-the-sun/preview",
    {
      schema: {
        tags,
        summary: "Plan follow-the-sun layers from members' zones and working hours; nothing is saved",
        body: Type.Object(
          {
            scheduleTimeZone: Type.String({ maxLength: 100 }),
            members: Type.Array(
              Type.Object(
                {
                  userId: Type.String({ minLength: 1, maxLength: 100 }),
                  timeZone: Type.String({ maxLength: 100 }),
                  workStart: Clock('"HH:MM" in the member\'s zone'),
                  workEnd: Clock('"HH:MM" (or "24:00") in the member\'s zone'),
                },
                { additionalProperties: false },
              ),
              { maxItems: 100 },
            ),
            shiftHours: Type.Integer({ description: "4 to 6" }),
            referenceDate: Type.String({
              maxLength: 10,
              description: '"YYYY-MM-DD": the offsets planned for',
            }),
            startLocal: Type.String({
              maxLength: 16,
              description: '"YYYY-MM-DDTHH:MM" in the schedule\'s zone',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Unknown({ description: "The plan: layer drafts, slots, uncovered hours, notes" }),
          ...authErrors,
        },
      },
    },
    async (request) => previewFollowTheSun(deps, callerOf(request), request.body),
  );
}
