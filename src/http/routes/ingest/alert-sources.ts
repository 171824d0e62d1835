import { Type } from "typebox";
import type { ParsedEvents } from "../../../core/alerts/alert-event.js";
import { parseAlertmanagerWebhook } from "../../../core/alerts/parse-alertmanager-webhook.js";
import { parseGenericWebhook } from "../../../core/alerts/parse-generic-webhook.js";
import type { IntegrationKind } from "../../../core/alerts/records.js";
import { validationError } from "../../../core/errors.js";
import type { Api } from "../../api-instance.js";
import { ProblemSchema } from "../../schemas.js";
import { enforceRateLimit, INGEST_BODY_LIMIT_BYTES, type IngestDeps } from "./ingest-deps.js";

/** "alerts[1].labels: must be …" → a field error that names the field. */
export const fieldErrorsOf = (errors: readonly string[]) =>
  errors.map((e) => {
    const at = e.indexOf(": ");
    return at > 0 ? { path: e.slice(0, at), message: e.slice(at + 2) } : { path: "/", message: e };
  });

/** The key from the URL, or from `Authorization: Bearer <key>` (Alertmanager's http_config). */
export const keyFrom = (params: { key?: string }, authorization: string | undefined): string =>
  params.key ?? /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";

const Accepted = Type.Object({
  status: Type.Literal("ok"),
  accepted: Type.Integer({ description: "Events stored (new, changed or repeated)" }),
  changed: Type.Integer(),
  incidentsOpened: Type.Integer(),
  errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
    description: "Items left out, each naming its field",
  }),
});

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
    parse: (body: unknown, now: Date) => ParsedEvents;
  }> = [
    {
      path: "/integrations/alertmanager",
      kinds: ["alertmanager"],
      summary:
        "Alertmanager webhook_configs receiver (version 4) and Grafana webhook contact point (version 1)",
      parse: parseAlertmanagerWebhook,
    },
    {
      path: "/integrations/webhook",
      kinds: ["webhook"],
      summary:
        "Generic JSON webhook: {summary, dedup_key?, status?: firing|resolved, level?, severity?, source?, labels?, details?, links?, occurred_at?} or an array of them",
      parse: parseGenericWebhook,
    },
  ];
  for (const source of sources) {
    for (const path of [`${source.path}/:key`, source.path]) {
      app.post(
        path,
        {
          config: { access: "public" },
          bodyLimit: INGEST_BODY_LIMIT_BYTES,
          schema: {
            tags: ["ingest"],
            summary: path.endsWith(":key")
              ? source.summary
              : `${source.summary}; the key in Authorization: Bearer`,
            response: {
              200: Accepted,
              400: ProblemSchema,
              403: ProblemSchema,
              404: ProblemSchema,
              413: ProblemSchema,
              429: ProblemSchema,
              // Nothing was stored (the database was busy): send it again.
              503: ProblemSchema,
            },
          },
        },
        async (request) => {
          const integration = await deps.integrationForKey(
            keyFrom(request.params as { key?: string }, request.headers.authorization),
            source.kinds,
          );
          const parsed = source.parse(request.body, deps.app.clock.now());
          if (parsed.events.length === 0 && parsed.errors.length > 0)
            throw validationError(fieldErrorsOf(parsed.errors));
          enforceRateLimit(deps, integration, parsed.events.length);
          const outcome = await deps.ingest(integration.id, parsed.events);
          return {
            status: "ok" as const,
            accepted: parsed.events.length,
            ...outcome,
            errors: fieldErrorsOf(parsed.errors),
          };
        },
      );
    }
  }
}
