import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { calendarFeedUrl, calendarForToken, rotateCalendarFeed } from "../../app/schedules/calendar-feeds.js";
import { notFound } from "../../core/errors.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { CalendarUrlSchema, ScheduleParams } from "../schedule-schemas.js";
import { authErrors, ProblemSchema } from "../schemas.js";

/** Secret iCal feed URLs (per schedule, per person), and the public feed itself. */
export function registerCalendarRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["calendars"];

  app.get(
    "/api/v1/schedules/:id/calendar-feed",
    {
      schema: {
        tags,
        summary: "The schedule's secret calendar URL (made on first ask)",
        params: ScheduleParams,
        response: { 200: CalendarUrlSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => calendarFeedUrl(deps, callerOf(request), { scheduleIdOrName: request.params.id }),
  );

  app.post(
    "/api/v1/schedules/:id/calendar-feed/rotate",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "A new secret calendar URL for the schedule (admin); the old one stops working",
        params: ScheduleParams,
        response: { 200: CalendarUrlSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => rotateCalendarFeed(deps, callerOf(request), { scheduleIdOrName: request.params.id }),
  );

  app.get(
    "/api/v1/me/calendar-feed",
    {
      schema: {
        tags,
        summary: "My secret calendar URL: my shifts in every schedule (made on first ask)",
        response: { 200: CalendarUrlSchema, ...authErrors },
      },
    },
    async (request) => calendarFeedUrl(deps, callerOf(request), "me"),
  );

  app.post(
    "/api/v1/me/calendar-feed/rotate",
    {
      schema: {
        tags,
        summary: "A new secret calendar URL for me; the old one stops working",
        response: { 200: CalendarUrlSchema, ...authErrors },
      },
    },
    async (request) => rotateCalendarFeed(deps, callerOf(request), "me"),
  );

  // Public: the token in the path is the secret (the logger cuts it from request URLs).
  app.get(
    "/api/v1/calendars/:file",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary:
          "An iCal feed (text/calendar) behind a secret URL: shifts from 14 days back to 90 days ahead",
        params: Type.Object({
          file: Type.String({ minLength: 1, maxLength: 200, description: "<token>.ics" }),
        }),
        produces: ["text/calendar"],
        response: { 200: Type.String({ description: "text/calendar" }), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const match = /^(fbc_[A-Za-z0-9_-]{20,100})\.ics$/.exec(request.params.file);
      if (!match) throw notFound("calendar", "for this URL");
      const text = await calendarForToken(deps, match[1] as string);
      return reply
        .type("text/calendar; charset=utf-8")
        .header("cache-control", "private, max-age=300")
        .send(text);
    },
  );
}
