import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { Caller } from "../../app/deps.js";
import { integrationEndpoint } from "../../app/integrations/integration-snippets.js";
import {
  createIntegration,
  listIntegrations,
  rotateIntegrationKey,
  setIntegrationEnabled,
} from "../../app/integrations/manage-integrations.js";
import { getService } from "../../app/services/manage-services.js";
import type { Integration } from "../../core/alerts/records.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import {
  authErrors,
  IdParams,
  IntegrationKindSchema,
  IntegrationSchema,
  LevelSchema,
  ProblemSchema,
} from "../schemas.js";

/**
 * Integrations of a service: where alerts come from. Every answer carries the key, the URL to paste
 * and copy-paste configuration, so these routes are for responders and admins only, and uncached.
 */
export function registerIntegrationRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["integrations"];
  const shown = (integration: Integration) =>
    withIsoDates({
      ...integration,
      ...integrationEndpoint(
        deps.publicUrl,
        integration.kind,
        integration.key,
        integration.heartbeatIntervalSeconds,
      ),
    });

  app.get(
    "/api/v1/services/:id/integrations",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "List a service's integrations, with their keys and URLs (responder)",
        params: IdParams,
        response: { 200: Type.Array(IntegrationSchema), 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      reply.header("cache-control", "no-store");
      return (await listIntegrations(deps, caller, service.id)).map(shown);
    },
  );

  app.post(
    "/api/v1/services/:id/integrations",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Add an integration to a service (admin)",
        params: IdParams,
        body: Type.Object(
          {
            kind: IntegrationKindSchema,
            name: Type.Optional(Type.String({ maxLength: 200 })),
            defaultLevel: Type.Optional(LevelSchema),
            rateLimitPerMinute: Type.Optional(
              Type.Integer({ description: "Events a minute before 429 (default 60000)" }),
            ),
            heartbeatIntervalSeconds: Type.Optional(
              Type.Integer({ description: "Heartbeat: expected check-in interval (default 300)" }),
            ),
            heartbeatGraceSeconds: Type.Optional(
              Type.Integer({ description: "Heartbeat: lateness allowed before an alert (default 60)" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: IntegrationSchema, 404: ProblemSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      const integration = await createIntegration(deps, caller, { ...request.body, serviceId: service.id });
      return reply.code(201).header("cache-control", "no-store").send(shown(integration));
    },
  );

  const changes = [
    {
      verb: "rotate-key",
      summary: "Issue a new key (admin); the old one stops working at once",
      change: (caller: Caller, id: string) => rotateIntegrationKey(deps, caller, id),
    },
    {
      verb: "disable",
      summary: "Refuse this integration's alerts with 403 (admin)",
      change: (caller: Caller, id: string) => setIntegrationEnabled(deps, caller, id, false),
    },
    {
      verb: "enable",
      summary: "Accept this integration's alerts again (admin)",
      change: (caller: Caller, id: string) => setIntegrationEnabled(deps, caller, id, true),
    },
  ];
  for (const { verb, summary, change } of changes) {
    app.post(
      `/api/v1/integrations/:id/${verb}`,
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary,
          params: IdParams,
          response: { 200: IntegrationSchema, 404: ProblemSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        return shown(await change(callerOf(request), request.params.id));
      },
    );
  }
}
