import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
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
  ResponseSchema,
  SeveritySchema,
  WarRoomSchema,
} from "../response-schemas.js";
import { authErrors, nullableInput, ProblemSchema } from "../schemas.js";

/** The war room: read it, triage, roles and handovers, phase, video call, call-in, internal updates. */

const tags = ["incident response"];
const errors = { 404: ProblemSchema, 409: ProblemSchema, 412: ProblemSchema, ...authErrors };
const UserIdBody = Type.Object(
  { userId: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

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

  const respond = { 200: ResponseSchema, ...errors };
  app.post(
    "/api/v1/incidents/:ref/handover",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Offer the Incident Handler role (the handler): it moves only when the person accepts",
        params: RefParams,
        body: Type.Object(
          { toUserId: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(
        await proposeIncidentHandover(deps, callerOf(request), request.params.ref, request.body.toUserId),
      ),
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

  app.put(
    "/api/v1/incidents/:ref/comms-lead",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Name the communications lead, or null for none (the handler)",
        params: RefParams,
        body: Type.Object(
          { userId: nullableInput.string({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(await setCommsLead(deps, callerOf(request), request.params.ref, request.body.userId)),
  );

  app.post(
    "/api/v1/incidents/:ref/responders",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Add a responder (anyone adds themselves; the handler adds others)",
        params: RefParams,
        body: UserIdBody,
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(
        await addIncidentResponder(deps, callerOf(request), request.params.ref, request.body.userId),
      ),
  );
  app.delete(
    "/api/v1/incidents/:ref/responders/:userId",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Remove a responder (anyone leaves; the handler removes others)",
        params: Type.Object({
          ...RefParams.properties,
          userId: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(
        await removeIncidentResponder(deps, callerOf(request), request.params.ref, request.params.userId),
      ),
  );

  app.post(
    "/api/v1/incidents/:ref/phase",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Move the phase (the handler); resolved resolves the incident, leaving resolved reopens it",
        params: RefParams,
        body: Type.Object({ phase: PhaseSchema }, { additionalProperties: false }),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(await moveResponsePhase(deps, callerOf(request), request.params.ref, request.body.phase)),
  );

  app.put(
    "/api/v1/incidents/:ref/video-call",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Set or clear (null) the video-call link",
        params: RefParams,
        body: Type.Object(
          { url: nullableInput.string({ maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(await setVideoCall(deps, callerOf(request), request.params.ref, request.body.url)),
  );

  app.post(
    "/api/v1/incidents/:ref/call-in",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "Page people or teams through their notification rules; vendors go on the timeline to call",
        params: RefParams,
        body: Type.Object(
          { targets: Type.Array(CallInTargetSchema, { maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: respond,
      },
    },
    async (request) =>
      withIsoDates(await callIn(deps, callerOf(request), request.params.ref, request.body.targets)),
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
