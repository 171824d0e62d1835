import { Type, type Static, type TSchema } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { Caller } from "../../app/deps.js";
import { callIn } from "../../app/response/call-in.js";
import {
  acceptIncidentHandover,
  addIncidentResponder,
  cancelIncidentHandover,
  declineIncidentHandover,
  proposeIncidentHandover,
  removeIncidentResponder,
  setCommsLead,
} from "../../app/response/manage-roles.js";
import { moveResponsePhase } from "../../app/response/move-response-phase.js";
import { postInternalUpdate } from "../../app/response/post-internal-update.js";
import { getWarRoom } from "../../app/response/read-war-room.js";
import type { ResponseView } from "../../app/response/response-views.js";
import { setVideoCall } from "../../app/response/set-video-call.js";
import { triageIncident } from "../../app/response/triage-incident.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  CallInTargetSchema,
  ImpactLevelSchema,
  PhaseSchema,
  RefParams,
  refParamsWith,
  RESPONSE_TAGS as tags,
  responseErrors as errors,
  ResponseSchema,
  SeveritySchema,
  WarRoomSchema,
} from "../response-schemas.js";
import { nullableInput } from "../schemas.js";

/** The war room: read it, triage, roles and handovers, phase, video call, call-in, internal updates. */

const respond = { 200: ResponseSchema, ...errors };
const UserIdBody = Type.Object(
  { userId: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** Registers a responder's action on an incident that takes a body and answers with the response. */
function registerResponseAction<Body extends TSchema>(
  app: Api,
  route: { method: "POST" | "PUT"; url: string; summary: string; body: Body },
  act: (caller: Caller, ref: string, body: Static<Body>) => Promise<ResponseView>,
): void {
  // The schema validated the body; the type provider cannot see through the generic, so name its type.
  app.route({
    method: route.method,
    url: route.url,
    config: { access: "responder" },
    schema: { tags, summary: route.summary, params: RefParams, body: route.body, response: respond },
    handler: async (request) =>
      withIsoDates(await act(callerOf(request), request.params.ref, request.body as Static<Body>)),
  });
}

export function registerIncidentResponseRoutes(app: Api, deps: AlertingDeps): void {
  app.get(
    "/api/v1/incidents/:ref/response",
    {
      schema: {
        tags,
        summary:
          "The war room: response (phase, triage, roles, watch, channel), tasks, fixes, follow-ups, public updates, diagnosis, playbook and the triage choices",
        params: RefParams,
        response: { 200: WarRoomSchema, ...errors },
      },
    },
    async (request) => withIsoDates(await getWarRoom(deps, callerOf(request), request.params.ref)),
  );

  app.post(
    "/api/v1/incidents/:ref/triage",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Triage (responder): acknowledges a triggered incident, names the Incident Handler (the caller by default), pages those called in",
        params: RefParams,
        body: Type.Object(
          {
            severity: SeveritySchema,
            level: ImpactLevelSchema,
            onCallCanHandle: Type.Boolean(),
            callIn: Type.Optional(Type.Array(CallInTargetSchema, { maxItems: 20 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            handlerId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: WarRoomSchema, ...errors },
      },
    },
    async (request) =>
      withIsoDates(await triageIncident(deps, callerOf(request), request.params.ref, request.body)),
  );

  registerResponseAction(
    app,
    {
      method: "POST",
      url: "/api/v1/incidents/:ref/handover",
      summary: "Offer the Incident Handler role (the handler): it moves only when the person accepts",
      body: Type.Object(
        { toUserId: Type.String({ minLength: 1, maxLength: 100 }) },
        { additionalProperties: false },
      ),
    },
    (caller, ref, body) => proposeIncidentHandover(deps, caller, ref, body.toUserId),
  );
  const answers = [
    {
      verb: "accept",
      summary: "Accept the Incident Handler role offered to you",
      act: acceptIncidentHandover,
    },
    {
      verb: "decline",
      summary: "Decline the Incident Handler role offered to you",
      act: declineIncidentHandover,
    },
    {
      verb: "cancel",
      summary: "Withdraw an offer of the role nobody answered (the handler)",
      act: cancelIncidentHandover,
    },
  ] as const;
  for (const { verb, summary, act } of answers) {
    app.post(
      `/api/v1/incidents/:ref/handover/${verb}`,
      { config: { access: "responder" }, schema: { tags, summary, params: RefParams, response: respond } },
      async (request) => withIsoDates(await act(deps, callerOf(request), request.params.ref)),
    );
  }

  registerResponseAction(
    app,
    {
      method: "PUT",
      url: "/api/v1/incidents/:ref/comms-lead",
      summary: "Name the communications lead, or null for none (the handler)",
      body: Type.Object(
        { userId: nullableInput.string({ minLength: 1, maxLength: 100 }) },
        { additionalProperties: false },
      ),
    },
    (caller, ref, body) => setCommsLead(deps, caller, ref, body.userId),
  );

  registerResponseAction(
    app,
    {
      method: "POST",
      url: "/api/v1/incidents/:ref/responders",
      summary: "Add a responder (anyone adds themselves; the handler adds others)",
      body: UserIdBody,
    },
    (caller, ref, body) => addIncidentResponder(deps, caller, ref, body.userId),
  );
  app.delete(
    "/api/v1/incidents/:ref/responders/:userId",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Remove a responder (anyone leaves; the handler removes others)",
        params: refParamsWith({ userId: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(
        await removeIncidentResponder(deps, callerOf(request), request.params.ref, request.params.userId),
      ),
  );

  registerResponseAction(
    app,
    {
      method: "POST",
      url: "/api/v1/incidents/:ref/phase",
      summary: "Move the phase (the handler); resolved resolves the incident, leaving resolved reopens it",
      body: Type.Object({ phase: PhaseSchema }, { additionalProperties: false }),
    },
    (caller, ref, body) => moveResponsePhase(deps, caller, ref, body.phase),
  );

  registerResponseAction(
    app,
    {
      method: "PUT",
      url: "/api/v1/incidents/:ref/video-call",
      summary: "Set or clear (null) the video-call link",
      body: Type.Object({ url: nullableInput.string({ maxLength: 2000 }) }, { additionalProperties: false }),
    },
    (caller, ref, body) => setVideoCall(deps, caller, ref, body.url),
  );

  registerResponseAction(
    app,
    {
      method: "POST",
      url: "/api/v1/incidents/:ref/call-in",
      summary: "Page people or teams through their notification rules; vendors go on the timeline to call",
      body: Type.Object(
        { targets: Type.Array(CallInTargetSchema, { maxItems: 20 }) },
        { additionalProperties: false },
      ),
    },
    (caller, ref, body) => callIn(deps, caller, ref, body.targets),
  );

  app.post(
    "/api/v1/incidents/:ref/internal-updates",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary:
          "Post an internal update: to the incident channel, by email to the service's stakeholders, and a back-off notice to dependent services' channels",
        params: RefParams,
        body: Type.Object({ message: Type.String({ maxLength: 5000 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            postedAt: Type.String({ format: "date-time" }),
            message: Type.String(),
            emailed: Type.Array(Type.String(), { description: "Stakeholder addresses mailed" }),
            backOff: Type.Array(Type.String(), {
              description: "Dependent services whose channels were told",
            }),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      withIsoDates(
        await postInternalUpdate(deps, callerOf(request), request.params.ref, request.body.message),
      ),
  );
}
