import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import { acknowledge, escalateNow, reassign, resolve } from "../../app/incidents/incident-actions.js";
import { pageByHand } from "../../app/incidents/page-by-hand.js";
import { getIncident, listIncidentAlerts, listIncidents } from "../../app/incidents/read-incidents.js";
import { getService } from "../../app/services/manage-services.js";
import { validationError } from "../../core/errors.js";
import type { IncidentState } from "../../core/incidents/incident.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  IncidentAlertsPageSchema,
  IncidentDetailSchema,
  IncidentSchema,
  ProblemSchema,
} from "../schemas.js";

const STATES: readonly IncidentState[] = ["triggered", "acknowledged", "resolved"];
const RefParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 100, description: "Incident id, number, or INC-<number>" }),
});

function parseStates(raw: string | undefined): IncidentState[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const states = raw.split(",").map((s) => s.trim().toLowerCase());
  const unknown = states.filter((s) => !(STATES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw validationError([
      { path: "querystring /state", message: `must be a comma-separated list of: ${STATES.join(", ")}` },
    ]);
  return [...new Set(states)] as IncidentState[];
}

export function registerIncidentRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["incidents"];
  app.get(
    "/api/v1/incidents",
    {
      schema: {
        tags,
        summary: "List incidents, newest first",
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.String({
                maxLength: 100,
                description: "Comma-separated: triggered,acknowledged,resolved",
              }),
            ),
            service: Type.Optional(Type.String({ maxLength: 200, description: "Service id or exact name" })),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 500, description: "At most this many (default 50)" }),
            ),
            before: Type.Optional(
              Type.Integer({ minimum: 1, description: "Only incidents numbered below this: the next page" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(IncidentSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { state, service, limit, before } = request.query;
      const states = parseStates(state);
      const serviceId = service === undefined ? undefined : (await getService(deps, caller, service)).id;
      return withIsoDates(
        await listIncidents(deps, caller, { states, serviceId, limit, beforeNumber: before }),
      );
    },
  );

  app.post(
    "/api/v1/incidents",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Page a service's on-call by hand (responder): opens an incident through the service's manual integration",
        body: Type.Object(
          {
            service: Type.String({ minLength: 1, maxLength: 200, description: "Service id or exact name" }),
            summary: Type.String({ maxLength: 1024 }),
            details: Type.Optional(Type.String({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: IncidentSchema, 404: ProblemSchema, 412: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await pageByHand(deps, callerOf(request), request.body))),
  );

  app.get(
    "/api/v1/incidents/:ref",
    {
      schema: {
        tags,
        summary: "An incident with its alerts, timeline, deliveries and the service's recent changes",
        params: RefParams,
        response: { 200: IncidentDetailSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) => withIsoDates(await getIncident(deps, callerOf(request), request.params.ref)),
  );

  app.get(
    "/api/v1/incidents/:ref/alerts",
    {
      schema: {
        tags,
        summary: "An incident's alerts in start order, a page at a time",
        params: RefParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 500, description: "At most this many (default 100)" }),
            ),
            offset: Type.Optional(
              Type.Integer({
                minimum: 0,
                description: "Skip this many: the next page starts at offset + limit",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: IncidentAlertsPageSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await listIncidentAlerts(deps, callerOf(request), request.params.ref, request.query)),
  );

  const actions = [
    { verb: "acknowledge", summary: "Acknowledge (responder): stops the escalation", act: acknowledge },
    { verb: "resolve", summary: "Resolve (responder)", act: resolve },
    {
      verb: "escalate",
      summary: "Escalate to the next step now (responder); re-triggers an acknowledged incident",
      act: escalateNow,
    },
  ] as const;
  for (const { verb, summary, act } of actions) {
    app.post(
      `/api/v1/incidents/:ref/${verb}`,
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary,
          params: RefParams,
          response: { 200: IncidentSchema, 404: ProblemSchema, 412: ProblemSchema, ...authErrors },
        },
      },
      async (request) => withIsoDates(await act(deps, callerOf(request), request.params.ref)),
    );
  }

  app.post(
    "/api/v1/incidents/:ref/reassign",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Page these people now instead of the current step (responder); the policy resumes if they do not acknowledge",
        params: RefParams,
        body: Type.Object(
          {
            userIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: IncidentSchema, 404: ProblemSchema, 412: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await reassign(deps, callerOf(request), request.params.ref, request.body.userIds)),
  );
}
