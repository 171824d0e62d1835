import { Type } from "typebox";
import type { ParsedEvents } from "../../../core/alerts/alert-event.js";
import { parseAlertmanagerWebhook } from "../../../core/alerts/parse-alertmanager-webhook.js";
import { parseGenericWebhook } from "../../../core/alerts/parse-generic-webhook.js";
import type { IntegrationKind } from "../../../core/alerts/records.js";
import { validationError } from "../../../core/errors.js";
import type { Api } from "../../api-instance.js";
import { problemResponse } from "../../schemas.js";
import { enforceRateLimit, INGEST_BODY_LIMIT_BYTES, type IngestDeps } from "./ingest-deps.js";
import {
  AlertmanagerWebhookBody,
  bodyReadByParser,
  GenericWebhookBody,
  IntegrationKeyParams,
} from "./ingest-schemas.js";

/** The key from the URL, or from `Authorization: Bearer <key>` (Alertmanager's http_config). */
export const keyFrom = (params: { key?: string }, authorization: string | undefined): string =>
  params.key ?? /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";

const Accepted = Type.Object(
  {
    status: Type.Literal("ok"),
    accepted: Type.Integer({ description: "Events stored (new, changed or repeated)" }),
    changed: Type.Integer({ description: "Of which opened, changed or resolved an alert" }),
    incidentsOpened: Type.Integer({ description: "Incidents opened (or reopened) by them" }),
    errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
      description:
        'Items left out, each at its field\'s JSON Pointer: {"path": "/1/summary", "message": "is required"}',
    }),
  },
  { description: "The usable events are committed; any malformed ones are named in errors" },
);

/** The errors every JSON ingest route answers, as problem+json. */
const IngestErrors = {
  400: problemResponse(
    "Nothing usable: the body is not JSON, or every event is malformed (`errors` names each field); not worth retrying",
  ),
  403: problemResponse("The integration is disabled"),
  404: problemResponse("No integration of this kind has this key"),
  413: problemResponse("The body is larger than 5 MiB"),
  415: problemResponse(
    "The body is not JSON (send Content-Type: application/json), or it came compressed (a Content-Encoding such as gzip): send it uncompressed",
  ),
  429: problemResponse(
    "The integration sent more events a minute than its rate limit; nothing was stored. Retry-After says when to send again",
  ),
  // Nothing was stored (the database was busy): send it again.
  503: problemResponse(
    "The database cannot work now; nothing was stored. Send it again after Retry-After seconds",
  ),
};

/**
 * Alertmanager's webhook receiver (and Grafana's webhook contact point, version "1") and Firebreak's
 * generic JSON webhook. Each accepted alert is committed before the 200; items that are malformed are
 * named in `errors` while the others are kept. A body with nothing usable is a 400 (not retried).
 */
export function registerAlertSourceRoutes(app: Api, deps: IngestDeps): void {
  const sources: Array<{
    path: string;
    kinds: IntegrationKind[];
    summary: string;
    description: string;
    body: typeof AlertmanagerWebhookBody | typeof GenericWebhookBody;
    parse: (body: unknown, now: Date) => ParsedEvents;
  }> = [
    {
      path: "/integrations/alertmanager",
      kinds: ["alertmanager"],
      summary:
        "Alertmanager webhook_configs receiver (version 4) and Grafana webhook contact point (version 1)",
      description:
        "Point an Alertmanager webhook_configs receiver (send_resolved: true) or a Grafana webhook contact point " +
        "here. Each alert of the message fires or resolves one alert of the integration's service, keyed by its " +
        "fingerprint; a firing alert opens an incident or joins the open one of its group, and pages by the " +
        "service's escalation policy. The 200 comes once the events are committed.",
      body: AlertmanagerWebhookBody,
      parse: parseAlertmanagerWebhook,
    },
    {
      path: "/integrations/webhook",
      kinds: ["webhook"],
      summary:
        "Generic JSON webhook: {summary, dedup_key?, status?: firing|resolved, level?, severity?, source?, labels?, details?, links?, occurred_at?} or an array of them",
      description:
        "For any tool with a “send a webhook” setting. Each event fires or resolves one alert of the " +
        "integration's service, keyed by dedup_key; a firing alert opens an incident or joins an open one, " +
        "and pages at its level. The 200 comes once the events are committed.",
      body: GenericWebhookBody,
      parse: parseGenericWebhook,
    },
  ];
  for (const source of sources) {
    for (const keyInPath of [true, false]) {
      const keyIn = keyInPath
        ? {
            summary: source.summary,
            description: `${source.description} The integration's key is the last segment of the URL.`,
            params: IntegrationKeyParams,
          }
        : {
            summary: `${source.summary}; the key in Authorization: Bearer`,
            description: `${source.description} The integration's key comes as \`Authorization: Bearer <key>\`.`,
            security: [{ integrationKey: [] }],
          };
      app.post(
        keyInPath ? `${source.path}/:key` : source.path,
        {
          config: { access: "public" },
          bodyLimit: INGEST_BODY_LIMIT_BYTES,
          ...bodyReadByParser,
          schema: {
            tags: ["ingest"],
            ...keyIn,
            body: source.body,
            response: { 200: Accepted, ...IngestErrors },
          },
        },
        async (request) => {
          const integration = await deps.integrationForKey(
            keyFrom(request.params as { key?: string }, request.headers.authorization),
            source.kinds,
          );
          const parsed = source.parse(request.body, deps.app.clock.now());
          if (parsed.events.length === 0 && parsed.errors.length > 0) throw validationError(parsed.errors);
          enforceRateLimit(deps, integration, parsed.events.length);
          const outcome = await deps.ingest(integration.id, parsed.events);
          return {
            status: "ok" as const,
            accepted: parsed.events.length,
            ...outcome,
            errors: [...parsed.errors],
          };
        },
      );
    }
  }
}
