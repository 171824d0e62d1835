import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  acknowledgeWithOutcome,
  escalateNow,
  MAX_REOPEN_REASON_LENGTH,
  reassign,
  reopenByHand,
  resolveWithOutcome,
  type ActionOutcome,
} from "../../app/incidents/incident-actions.js";
import { pageByHand } from "../../app/incidents/page-by-hand.js";
import {
  getIncident,
  listIncidentAlerts,
  listIncidentsWithNextEscalation,
} from "../../app/incidents/read-incidents.js";
import { getServiceForHistory } from "../../app/services/manage-services.js";
import { validationError } from "../../core/errors.js";
import type { IncidentState } from "../../core/incidents/incident.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  DeliverySchema,
  IncidentAlertsPageSchema,
  IncidentDetailSchema,
  IncidentListItemSchema,
  IncidentSchema,
} from "../incident-schemas.js";
import { authErrors, describedAs, problemResponse, ServiceNotFound } from "../schemas.js";

const IncidentNotFound = problemResponse("No incident has this id or number");

/** The detail also says when the escalation moves on, and whom its deliveries went to and how (a send still retried). */
const IncidentPageSchema = Type.Object({
  ...IncidentDetailSchema.properties,
  nextEscalationAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description:
      "When the escalation moves on if nobody acknowledges: the next step is paged (or, after a reassignment, " +
      "the policy resumes; after the last step, it runs out). In the past while the engine is late. Null " +
      "when nothing is pending: acknowledged, resolved, no policy, notify level before any step, or run out",
  }),
  deliveries: Type.Array(
    Type.Object({
      ...DeliverySchema.properties,
      recipientName: Type.Union([Type.String(), Type.Null()], {
        description: "The person's or the channel's name; null once removed",
      }),
      via: Type.Union([Type.String(), Type.Null()], {
        description:
          "How: the contact method's kind and label (\"webhook (Ops hook)\") or the channel's kind; null once removed",
      }),
    }),
    { description: "Messages sent for this incident; where they went is named, never their settings" },
  ),
});

/** A page by hand answers with its incident and whom it reached, so "paged nobody" is not silent. */
const ManualPageSchema = Type.Object(
  {
    ...IncidentSchema.properties,
    paged: Type.Array(Type.String(), {
      description:
        "The people the page reached at once: the chosen people, or the first step of the policy (the chosen " +
        "one, else the service's) that reaches anyone",
    }),
    pagedNobody: Type.Boolean({
      description:
        "Nobody can be paged now: no step of the policy (or none of the chosen people) reaches anyone " +
        "(disabled, in a gap, an empty team, no contact methods)",
    }),
    warning: Type.Union([Type.String(), Type.Null()], {
      description:
        "Set when step 1 reached nobody, with why in the timeline's words, e.g. " +
        '"Nobody was paged: step 1 paged nobody (Carol, on call in schedule Primary, is disabled)"',
    }),
  },
  { description: "The incident the page opened (or joined), and whom it reached" },
);
const PageRefused = problemResponse(
  "The body is not valid: both userIds and escalationPolicyId, no one in userIds, or a disabled user (named)",
);
const PageTargetNotFound = problemResponse("No service, user (of userIds) or escalation policy has this id");
/** Acknowledge, resolve and reopen answer the incident and whether this request changed it. */
const ActionOutcomeSchema = Type.Object(
  {
    ...IncidentSchema.properties,
    changed: Type.Boolean({
      description:
        "Whether this request changed the incident: false when it was so already (acknowledged, resolved, or " +
        "open for a reopen), and then acknowledgedBy/acknowledgedAt or resolvedBy/resolvedAt say who did it and when",
    }),
  },
  { description: "The incident as it is now, and whether this request changed it" },
);
const outcomeAnswer = ({ incident, changed }: ActionOutcome) => ({ ...withIsoDates(incident), changed });
const NotNow = problemResponse("The incident is resolved (or, to escalate, has no escalation policy)");

/**
 * Page cursors reach SQL as they are: unbounded, 1e23 (an integer to the schema) failed there as a
 * datatype mismatch, a 500. Refs and the CLI's --before take 9 digits, and no incident holds a
 * billion alerts, so the caps refuse nothing a real page needs.
 */
const MAX_INCIDENT_CURSOR = 1_000_000_000;
const MAX_ALERTS_OFFSET = 1_000_000_000;

const STATES: readonly IncidentState[] = ["triggered", "acknowledged", "resolved"];
const RefParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 100, description: "Incident id, or number: 42 or INC-42" }),
});

/** What `state` also takes: "open", as the console's tab and the CLI call triggered and acknowledged. */
const OPEN_STATES: readonly IncidentState[] = ["triggered", "acknowledged"];

function parseStates(raw: string | undefined): IncidentState[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const words = raw.split(",").map((s) => s.trim().toLowerCase());
  const unknown = words.filter((s) => s !== "open" && !(STATES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw validationError([
      {
        path: "querystring /state",
        message: `must be a comma-separated list of: ${STATES.join(", ")}, open`,
      },
    ]);
  const states = words.flatMap((s) => (s === "open" ? OPEN_STATES : [s as IncidentState]));
  return [...new Set(states)];
}

export function registerIncidentRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["incidents"];
  app.get(
    "/api/v1/incidents",
    {
      schema: {
        tags,
        summary: "List incidents, newest first",
        description:
          "Incidents by number, newest first, a page at a time: pass the last number seen as `before` for the next page.",
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.String({
                maxLength: 100,
                description:
                  "Comma-separated: triggered,acknowledged,resolved; open is triggered and acknowledged (the console's Open tab)",
              }),
            ),
            service: Type.Optional(Type.String({ maxLength: 200, description: "Service id or exact name" })),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 500, description: "At most this many (default 50)" }),
            ),
            before: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: MAX_INCIDENT_CURSOR,
                description: `Only incidents numbered below this: the next page (at most ${MAX_INCIDENT_CURSOR})`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(IncidentListItemSchema, {
            description: "The incidents, newest first, each with when its escalation pages next",
          }),
          404: ServiceNotFound,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { state, service, limit, before } = request.query;
      const states = parseStates(state);
      const serviceId =
        service === undefined ? undefined : (await getServiceForHistory(deps, caller, service)).id;
      return withIsoDates(
        await listIncidentsWithNextEscalation(deps, caller, {
          states,
          serviceId,
          limit,
          beforeNumber: before,
        }),
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
          "Page a service's on-call, or chosen people or policy, by hand (responder): opens an incident through the service's manual integration",
        description:
          "Raises a page-level alert on the service (through its “manual pages” integration, made on first " +
          "use and left out of the integration lists) and answers with the incident it opened or joined, which pages by the service's " +
          "escalation policy as any alert would. The incident exists even when nobody could be paged: then `pagedNobody` " +
          "and `warning` say so and why. Maintenance windows do not hold it: a person decided to page. " +
          "With `userIds` it pages those people instead (one step, the ack timeout of the service policy's " +
          "first step or 5 minutes, no repeat); with `escalationPolicyId` it pages by that policy's steps. " +
          "Either way the choice is snapshotted into the incident, which opens on its own (it joins no other), " +
          "and a service without a policy can be paged this way.",
        body: Type.Object(
          {
            service: Type.String({ minLength: 1, maxLength: 200, description: "Service id or exact name" }),
            summary: Type.String({
              maxLength: 1024,
              description: "The incident's title, 1 to 1024 characters",
            }),
            details: Type.Optional(
              Type.String({
                maxLength: 10_000,
                description: "More for the people paged; shown on the alert",
              }),
            ),
            userIds: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
                minItems: 1,
                maxItems: 20,
                description:
                  "Page these people (user ids, enabled) instead of the service's on-call; not with escalationPolicyId",
              }),
            ),
            escalationPolicyId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description:
                  "Page by this escalation policy (id or exact name) instead of the service's; not with userIds",
              }),
            ),
          },
          {
            additionalProperties: false,
            // Swagger UI (/docs) sends this as is; it names the service of the services example.
            examples: [
              {
                service: "checkout",
                summary: "Checkout fails for every customer",
                details: "Call me on the bridge: https://meet.example.net/checkout",
              },
            ],
          },
        ),
        response: {
          201: ManualPageSchema,
          ...authErrors,
          400: PageRefused,
          404: PageTargetNotFound,
        },
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
        description:
          "What the console's incident page shows: the incident, its first 100 alerts with counts, the timeline " +
          "(what happened, who was paged, who acted), the messages sent and the service's changes around it.",
        params: RefParams,
        response: {
          200: describedAs(IncidentPageSchema, "The incident and what happened in it"),
          404: IncidentNotFound,
          ...authErrors,
        },
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
        description: "All of an incident's alerts, for an alert storm past the detail's first 100.",
        params: RefParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 500, description: "At most this many (default 100)" }),
            ),
            offset: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: MAX_ALERTS_OFFSET,
                description: `Skip this many: the next page starts at offset + limit (at most ${MAX_ALERTS_OFFSET})`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: describedAs(IncidentAlertsPageSchema, "One page of alerts, and the counts"),
          404: IncidentNotFound,
          ...authErrors,
        },
      },
    },
    async (request) =>
      withIsoDates(await listIncidentAlerts(deps, callerOf(request), request.params.ref, request.query)),
  );

  const actions = [
    {
      verb: "acknowledge",
      summary: "Acknowledge (responder): stops the escalation",
      description:
        "Someone is on it: no further step is paged and pending pages are not sent. The shared channel " +
        "hears it. Acknowledging an acknowledged incident changes nothing (`changed`: false).",
      act: acknowledgeWithOutcome,
    },
    {
      verb: "resolve",
      summary: "Resolve (responder)",
      description:
        "Ends the incident and its escalation, and closes its alerts still firing: one sent again opens a new " +
        "incident (or reopens this one within the service's reopen window). Resolving twice changes nothing " +
        "(`changed`: false).",
      act: resolveWithOutcome,
    },
  ] as const;
  for (const { verb, summary, description, act } of actions) {
    app.post(
      `/api/v1/incidents/:ref/${verb}`,
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary,
          description,
          params: RefParams,
          response: {
            200: ActionOutcomeSchema,
            404: IncidentNotFound,
            412: problemResponse("The incident is resolved (to acknowledge)"),
            ...authErrors,
          },
        },
      },
      async (request) => outcomeAnswer(await act(deps, callerOf(request), request.params.ref)),
    );
  }

  app.post(
    "/api/v1/incidents/:ref/escalate",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Escalate to the next step now (responder); re-triggers an acknowledged incident",
        description:
          "Pages the policy's next step now (step 1 if no step has paged yet, and step 1 again after the last). " +
          "An acknowledged incident becomes triggered again.",
        params: RefParams,
        response: {
          200: describedAs(IncidentSchema, "The incident as it is now"),
          404: IncidentNotFound,
          412: NotNow,
          ...authErrors,
        },
      },
    },
    async (request) => withIsoDates(await escalateNow(deps, callerOf(request), request.params.ref)),
  );

  app.post(
    "/api/v1/incidents/:ref/reopen",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Reopen a resolved incident by hand (responder): triggered again, paged from step 1",
        description:
          "The fix did not hold: the incident is triggered again and, at page level, its escalation starts " +
          "over at step 1 of the service's escalation policy as it is now (of the people or policy chosen " +
          "when it was paged by hand), as when one of its alerts fires again within the reopen window; at " +
          "notify level only the shared channel hears it. The timeline says who reopened it and why. There " +
          "is no time limit. An incident still open is left as it is (`changed`: false); one whose service " +
          "was deleted is refused (412).",
        params: RefParams,
        body: Type.Optional(
          Type.Object(
            {
              reason: Type.Optional(
                Type.String({
                  maxLength: MAX_REOPEN_REASON_LENGTH,
                  description: `Why, for the timeline (at most ${MAX_REOPEN_REASON_LENGTH} characters)`,
                }),
              ),
            },
            { additionalProperties: false, examples: [{ reason: "The fix did not hold: errors are back" }] },
          ),
        ),
        response: {
          200: ActionOutcomeSchema,
          404: IncidentNotFound,
          412: problemResponse("The incident's service was deleted"),
          ...authErrors,
          400: problemResponse("The body is not valid"),
        },
      },
      // The reason is optional, so is the body: a POST without one reopens with no reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) =>
      outcomeAnswer(await reopenByHand(deps, callerOf(request), request.params.ref, request.body?.reason)),
  );

  app.post(
    "/api/v1/incidents/:ref/reassign",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Page these people now instead of the current step (responder); the policy resumes if they do not acknowledge",
        description:
          "They are paged at once and get the current step's timeout (step 1's when no step has run); then " +
          "the policy goes on from where it was. An acknowledged incident becomes triggered again.",
        params: RefParams,
        body: Type.Object(
          {
            userIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 50,
              description: "The people to page, by user id; disabled users are left out",
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: describedAs(IncidentSchema, "The incident as it is now"),
          404: IncidentNotFound,
          412: problemResponse("The incident is resolved"),
          ...authErrors,
          400: problemResponse("No enabled user among userIds, or the body is not valid"),
        },
      },
    },
    async (request) =>
      withIsoDates(await reassign(deps, callerOf(request), request.params.ref, request.body.userIds)),
  );
}
