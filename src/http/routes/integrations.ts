import { Type } from "typebox";
import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { Caller } from "../../app/deps.js";
import { withNextCheckDue, type IntegrationWithCheckDue } from "../../app/heartbeats/heartbeat-check-due.js";
import { integrationEndpoint } from "../../app/integrations/integration-snippets.js";
import {
  createIntegration,
  deleteIntegration,
  listIntegrations,
  rotateIntegrationKey,
  setIntegrationEnabled,
} from "../../app/integrations/manage-integrations.js";
import { getService } from "../../app/services/manage-services.js";
import type { Integration } from "../../core/alerts/records.js";
import { notFound } from "../../core/errors.js";
import type { Api } from "../api-instance.js";
import { callerOf } from "../authenticate.js";
import { withIsoDates } from "../json-dates.js";
import { DeletedResponse } from "../deleted-response.js";
import {
  authErrors,
  describedAs,
  IdParams,
  IntegrationKindSchema,
  IntegrationSchema,
  LevelSchema,
  problemResponse,
  ServiceNotFound,
} from "../schemas.js";

const IntegrationNotFound = problemResponse("No integration has this id");

/**
 * Integrations of a service: where alerts come from. Every answer carries the key, the URL to paste
 * and copy-paste configuration, so these routes are for responders and admins only, and uncached.
 */
export function registerIntegrationRoutes(app: Api, deps: AlertingDeps): void {
  const tags = ["integrations"];
  const shownOne = ({ kind, ...integration }: IntegrationWithCheckDue) => {
    // The use cases never hand the system's "manual" integration out; this narrows the type.
    if (kind === "manual") throw notFound("integration", integration.id);
    return withIsoDates({
      ...integration,
      kind,
      ...integrationEndpoint(deps.publicUrl, kind, integration.key, integration.heartbeatIntervalSeconds),
    });
  };
  /** As answered: with the URL, the snippets and, for a heartbeat, when its pending check is due. */
  const shown = async (integrations: readonly Integration[]) =>
    (await withNextCheckDue(deps, integrations)).map(shownOne);
  const shownSingle = async (integration: Integration) => {
    const [withDue = { ...integration, nextCheckDueAt: null }] = await withNextCheckDue(deps, [integration]);
    return shownOne(withDue);
  };

  app.get(
    "/api/v1/services/:id/integrations",
    {
      config: { access: "responder" },
      schema: {
        tags,
        summary: "List a service's integrations, with their keys and URLs (responder)",
        description:
          "Where the service's alerts come from. Each integration carries its key, the URL to paste into " +
          "the sender and copy-paste configuration for the usual senders of its kind, so viewers may not list them.",
        params: IdParams,
        response: {
          200: Type.Array(IntegrationSchema, { description: "The service's integrations, oldest first" }),
          404: ServiceNotFound,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      reply.header("cache-control", "no-store");
      return shown(await listIntegrations(deps, caller, service.id));
    },
  );

  app.post(
    "/api/v1/services/:id/integrations",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary: "Add an integration to a service (admin, or a manager of the service's team)",
        description:
          "Issues a key and answers with the URL and configuration for the sender: alertmanager (webhook), " +
          "prometheus (Alertmanager API v2), pagerduty (Events API v2), webhook (generic JSON) or heartbeat " +
          "(check-ins; after the first, a missed one opens an alert).",
        params: IdParams,
        body: Type.Object(
          {
            kind: IntegrationKindSchema,
            name: Type.Optional(
              Type.String({ maxLength: 200, description: "Default: the service's name and the kind" }),
            ),
            defaultLevel: Type.Optional(
              describedAs(
                LevelSchema,
                "The level of its alerts when the sender's severity does not set one (default page)",
              ),
            ),
            rateLimitPerMinute: Type.Optional(
              Type.Integer({
                description:
                  "Events a minute before 429, per Firebreak instance (each instance counts its own: " +
                  "behind a load balancer, N instances take up to N times this), 1 to 10000000 (default 60000)",
              }),
            ),
            heartbeatIntervalSeconds: Type.Optional(
              Type.Integer({
                description:
                  "Heartbeat only (refused for other kinds): expected check-in interval in seconds, 10 to 604800 (default 300)",
              }),
            ),
            heartbeatGraceSeconds: Type.Optional(
              Type.Integer({
                description:
                  "Heartbeat only (refused for other kinds): lateness allowed before an alert in seconds, 0 to 86400 (default 60)",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: describedAs(IntegrationSchema, "The integration, with its key, URL and snippets"),
          404: ServiceNotFound,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const service = await getService(deps, caller, request.params.id);
      const integration = await createIntegration(deps, caller, { ...request.body, serviceId: service.id });
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send(await shownSingle(integration));
    },
  );

  const changes = [
    {
      verb: "rotate-key",
      summary:
        "Issue a new key (admin, or a manager of the service's team); the old one stops working at once",
      description:
        "For a key that leaked. Senders using the old key get 404 from now on: paste the new URL (or key) into them.",
      change: (caller: Caller, id: string) => rotateIntegrationKey(deps, caller, id),
    },
    {
      verb: "disable",
      summary: "Refuse this integration's alerts with 403 (admin, or a manager of the service's team)",
      description:
        "Its senders are refused with 403 (so they do not retry forever); its key and settings are kept.",
      change: (caller: Caller, id: string) => setIntegrationEnabled(deps, caller, id, false),
    },
    {
      verb: "enable",
      summary: "Accept this integration's alerts again (admin, or a manager of the service's team)",
      description: "Undoes disable: the same key and URL work again.",
      change: (caller: Caller, id: string) => setIntegrationEnabled(deps, caller, id, true),
    },
  ];
  for (const { verb, summary, description, change } of changes) {
    app.post(
      `/api/v1/integrations/:id/${verb}`,
      {
        config: { access: "team-manager" },
        schema: {
          tags,
          summary,
          description,
          params: IdParams,
          response: {
            200: describedAs(IntegrationSchema, "The integration as changed"),
            404: IntegrationNotFound,
            ...authErrors,
          },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        return shownSingle(await change(callerOf(request), request.params.id));
      },
    );
  }

  app.delete(
    "/api/v1/integrations/:id",
    {
      config: { access: "team-manager" },
      schema: {
        tags,
        summary:
          "Delete an integration (admin, or a manager of the service's team); its key stops working at once",
        description:
          "Senders using its key get 404, as for a key that never existed. The alerts and incidents it " +
          "raised stay readable.",
        params: IdParams,
        response: { 204: DeletedResponse, 404: IntegrationNotFound, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteIntegration(deps, callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
