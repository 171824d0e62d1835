import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import {
  createEscalationPolicy,
  listEscalationPolicies,
  updateEscalationPolicy,
} from "../../app/escalation/manage-policies.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  EscalationPolicySchema,
  EscalationStepSchema,
  IdParams,
  ProblemSchema,
} from "../schemas.js";

const PolicyBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    steps: Type.Array(EscalationStepSchema, {
      maxItems: 100,
      description: "Paged in order until someone acknowledges",
    }),
    repeatCount: Type.Integer({ description: "Rounds through all the steps after the first, 0 to 9" }),
  },
  { additionalProperties: false },
);

export function registerEscalationPolicyRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["escalation policies"];
  app.get(
    "/api/v1/escalation-policies",
    {
      schema: {
        tags,
        summary: "List escalation policies",
        response: { 200: Type.Array(EscalationPolicySchema), ...authErrors },
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
        body: PolicyBody,
        response: { 201: EscalationPolicySchema, ...authErrors },
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
        params: IdParams,
        body: PolicyBody,
        response: { 200: EscalationPolicySchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request) =>
      withIsoDates(await updateEscalationPolicy(deps, callerOf(request), request.params.id, request.body)),
  );
}
