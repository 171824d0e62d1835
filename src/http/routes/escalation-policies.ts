import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createEscalationPolicy,
  deleteEscalationPolicy,
  listEscalationPolicies,
  updateEscalationPolicy,
} from "../../app/escalation/manage-policies.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { DeletedResponse } from "../deleted-response.js";
import {
  authErrors,
  describedAs,
  EscalationPolicySchema,
  EscalationStepSchema,
  IdParams,
  problemResponse,
} from "../schemas.js";

const PolicyBody = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: "Unique; 1 to 200 characters" }),
    steps: Type.Array(EscalationStepSchema, {
      maxItems: 100,
      description: "Paged in order until someone acknowledges; 1 to 20 steps",
    }),
    repeatCount: Type.Integer({ description: "Rounds through all the steps after the first, 0 to 9" }),
  },
  { additionalProperties: false },
);
const PolicyNotFound = problemResponse("No escalation policy has this id");
const PolicyNameTaken = problemResponse("Another escalation policy has this name; `errors` names the field");
const PolicyInvalid = problemResponse(
  "A field is not valid, or a step names a user, team or schedule that does not exist; `errors` names each",
);

export function registerEscalationPolicyRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["escalation policies"];
  app.get(
    "/api/v1/escalation-policies",
    {
      schema: {
        tags,
        summary: "List escalation policies",
        description:
          "Every policy with its steps: who is paged, in what order, and how long each step waits.",
        response: { 200: Type.Array(EscalationPolicySchema, { description: "Every policy" }), ...authErrors },
      },
    },
    async (request) => withIsoDates(await listEscalationPolicies(deps, callerOf(request))),
  );

  app.post(
    "/api/v1/escalation-policies",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create an escalation policy (admin)",
        description:
          "Who is paged for a service's page-level incidents: step 1's targets at once, then each next step " +
          "after the previous step's delayMinutes without an acknowledgement, round again repeatCount times. " +
          "Name it on a service (escalationPolicyId) to use it.",
        body: PolicyBody,
        response: {
          201: describedAs(EscalationPolicySchema, "The policy as created"),
          ...authErrors,
          400: PolicyInvalid,
          409: PolicyNameTaken,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withIsoDates(await createEscalationPolicy(deps, callerOf(request), request.body))),
  );

  app.put(
    "/api/v1/escalation-policies/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Replace an escalation policy (admin); open incidents keep the policy they started with",
        description:
          "Replaces the name, steps and repeat count. An open incident keeps the copy of the policy it " +
          "started with (so an escalation under way does not change); the next incident, or a reopened one, " +
          "uses the new one.",
        params: IdParams,
        body: PolicyBody,
        response: {
          200: describedAs(EscalationPolicySchema, "The policy as replaced"),
          404: PolicyNotFound,
          ...authErrors,
          400: PolicyInvalid,
          409: PolicyNameTaken,
        },
      },
    },
    async (request) =>
      withIsoDates(await updateEscalationPolicy(deps, callerOf(request), request.params.id, request.body)),
  );

  app.delete(
    "/api/v1/escalation-policies/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete an escalation policy (admin); refused while a service uses it",
        description:
          "Refused with 409, naming the services, while a service pages by it: give them another policy " +
          "first. Incidents under way keep the copy of the policy they started with and go on escalating.",
        params: IdParams,
        response: {
          204: DeletedResponse,
          404: PolicyNotFound,
          ...authErrors,
          409: problemResponse("A service uses the policy; the detail names each"),
        },
      },
    },
    async (request, reply) => {
      await deleteEscalationPolicy(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
