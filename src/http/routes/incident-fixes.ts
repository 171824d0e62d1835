import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { closeIncidentFollowUp, listFollowUps } from "../../app/response/fix-follow-ups.js";
import {
  deployIncidentFix,
  failIncidentFix,
  startIncidentFix,
  verifyIncidentFix,
} from "../../app/response/fix-log.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  FixKindSchema,
  FixSchema,
  FollowUpSchema,
  RefParams,
  refParamsWith,
  RESPONSE_TAGS as tags,
  responseErrors as errors,
  StartedFixSchema,
} from "../response-schemas.js";
import { authErrors } from "../schemas.js";

/** The fix log (one fix in flight at a time) and the proper-fix follow-ups of hotfixes. */

const FixParams = refParamsWith({ number: Type.Integer({ minimum: 1, maximum: 100_000 }) });
const FollowUpParams = refParamsWith({ fixNumber: Type.Integer({ minimum: 1, maximum: 100_000 }) });

export function registerIncidentFixRoutes(app: Api, deps: AlertingDeps): void {
  app.post(
    "/api/v1/incidents/:ref/fixes",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Log a fix, in progress. CONFLICT while another is in flight, unless the handler overrides with a reason; a hotfix also creates its proper-fix follow-up",
        params: RefParams,
        body: Type.Object(
          {
            kind: FixKindSchema,
            description: Type.String({ maxLength: 500 }),
            override: Type.Optional(
              Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: StartedFixSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          withIsoDates(await startIncidentFix(deps, callerOf(request), request.params.ref, request.body)),
        ),
  );

  const moves = [
    {
      verb: "deploy",
      summary: "Mark deployed: the incident goes into monitoring for the service's watch minutes",
      act: deployIncidentFix,
    },
    { verb: "verify", summary: "Mark verified: it worked", act: verifyIncidentFix },
  ] as const;
  for (const { verb, summary, act } of moves) {
    app.post(
      `/api/v1/incidents/:ref/fixes/:number/${verb}`,
      {
        config: { access: "responder" },
        schema: { tags, summary, params: FixParams, response: { 200: FixSchema, ...errors } },
      },
      async (request) =>
        withIsoDates(await act(deps, callerOf(request), request.params.ref, request.params.number)),
    );
  }
  app.post(
    "/api/v1/incidents/:ref/fixes/:number/fail",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Mark failed: ends its watch (monitoring → identified) and cancels a hotfix's follow-up",
        params: FixParams,
        body: Type.Optional(
          Type.Object(
            { note: Type.Optional(Type.String({ maxLength: 1000 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: FixSchema, ...errors },
      },
      // The note is optional, so is the body: a POST without one marks the fix failed with no note.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      withIsoDates(
        await failIncidentFix(
          deps,
          callerOf(request),
          request.params.ref,
          request.params.number,
          request.body?.note ?? "",
        ),
      ),
  );

  app.get(
    "/api/v1/follow-ups",
    {
      schema: {
        tags,
        summary: "Proper-fix follow-ups of hotfixes (the report of half-done fixes), by deadline",
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.Union([Type.Literal("open"), Type.Literal("overdue"), Type.Literal("all")], {
                description: "open (default), overdue, or all",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(FollowUpSchema), ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await listFollowUps(deps, callerOf(request), request.query.state ?? "open")),
  );

  app.post(
    "/api/v1/incidents/:ref/follow-ups/:fixNumber/close",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Close a proper-fix follow-up (its owner or the handler): done, or cancelled",
        params: FollowUpParams,
        body: Type.Object(
          {
            state: Type.Union([Type.Literal("done"), Type.Literal("cancelled")]),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: FollowUpSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(
        await closeIncidentFollowUp(
          deps,
          callerOf(request),
          request.params.ref,
          request.params.fixNumber,
          request.body,
        ),
      ),
  );
}
