import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { parsePostableAlerts } from "../../../core/alerts/parse-alertmanager-v2.js";
import { fieldErrorsSentence } from "../../../core/field-name.js";
import type { Api } from "../../api-instance.js";
import { logMappedError, mapError, sentRequest } from "../../problem.js";
import { keyFrom } from "./alert-sources.js";
import { enforceRateLimit, INGEST_BODY_LIMIT_BYTES, type IngestDeps } from "./ingest-deps.js";
import {
  AlertmanagerStatusSchema,
  bodyReadByParser,
  IntegrationKeyParams,
  plainText,
  PostableAlertsBody,
} from "./ingest-schemas.js";

/**
 * Alertmanager API v2, so Prometheus and vmalert can send alerts straight to Firebreak:
 * `POST {prefix}/api/v2/alerts` with the integration key as `path_prefix: /int/KEY` or as
 * `Authorization: Bearer KEY`. Answers like Alertmanager: 200 with an empty body; valid alerts are
 * stored even when others are invalid, and then a 400 with a plain-text error.
 */
export function registerAlertmanagerApiRoutes(app: Api, deps: IngestDeps, version: string): void {
  const started = deps.app.clock.now().toISOString();
  // Prometheus reads only the status (it retries 5xx and drops 4xx); keep errors plain text as
  // Alertmanager does. The status comes from the one mapper, so a busy database is a 503.
  const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error, request.id, undefined, sentRequest(request));
    const { problem, headers } = mapped;
    logMappedError(request.log, mapped, error, `in ${request.routeOptions.url ?? "/api/v2"}`);
    return reply
      .code(problem.status)
      .headers(headers)
      .type("text/plain; charset=utf-8")
      .send(problem.status === 500 ? "internal error\n" : `${problem.detail}\n`);
  };
  for (const prefix of ["/int/:key", ""]) {
    // The key in the URL (path_prefix: /int/KEY), or as a bearer token (http_config authorization).
    const keyIn = prefix ? { params: IntegrationKeyParams } : { security: [{ integrationKey: [] }] };
    app.post(
      `${prefix}/api/v2/alerts`,
      {
        config: { access: "public" },
        bodyLimit: INGEST_BODY_LIMIT_BYTES,
        ...bodyReadByParser,
        schema: {
          tags: ["ingest"],
          summary: `Alertmanager API v2: Prometheus/vmalert alerts${prefix ? " (key in path_prefix)" : " (key as Bearer token)"}`,
          description:
            "Prometheus, vmalert and other rulers push their alerts here as to an Alertmanager (alerting: " +
            "alertmanagers: with " +
            (prefix ? "`path_prefix: /int/<key>`" : "`authorization: {credentials: <key>}`") +
            "). Each alert fires or resolves one alert of a prometheus or alertmanager integration's service, " +
            "keyed by its labels; one not sent again within its endsAt (or 5 minutes) resolves by itself. " +
            "Answers as Alertmanager does: an empty 200, and errors in plain text. Valid alerts are stored even " +
            "when others are not; then the answer is a 400 naming the invalid ones.",
          ...keyIn,
          body: PostableAlertsBody,
          response: {
            200: Type.Unsafe<undefined>({ type: "null", description: "Every alert stored; an empty body" }),
            400: plainText(
              "Some alerts (or the whole body) are invalid, one line each; the valid ones were stored. Not retried",
            ),
            403: plainText("The integration is disabled"),
            404: plainText("No prometheus or alertmanager integration has this key"),
            413: plainText("The body is larger than 5 MiB"),
            415: plainText(
              "The body is not JSON, or it came compressed (Content-Encoding); send it uncompressed",
            ),
            429: plainText(
              "More events a minute than the integration's rate limit; nothing stored. See Retry-After",
            ),
            503: plainText("The database cannot work now; nothing stored. Prometheus sends it again"),
          },
        },
        errorHandler,
      },
      async (request, reply) => {
        const integration = await deps.integrationForKey(
          keyFrom(request.params as { key?: string }, request.headers.authorization),
          ["prometheus", "alertmanager"],
        );
        const parsed = parsePostableAlerts(request.body, deps.app.clock.now());
        enforceRateLimit(deps, integration, parsed.events.length);
        if (parsed.events.length > 0) await deps.ingest(integration.id, parsed.events);
        // One line per invalid alert, worded as every other field error: "[1].labels: at least one …".
        if (parsed.errors.length > 0)
          return reply
            .code(400)
            .type("text/plain; charset=utf-8")
            .send(`${parsed.errors.map((e) => fieldErrorsSentence([e])).join("\n")}\n`);
        return reply.code(200).send();
      },
    );
    app.get(
      `${prefix}/api/v2/status`,
      {
        config: { access: "public" },
        errorHandler,
        schema: {
          tags: ["ingest"],
          summary: "Alertmanager status, for tooling that checks it",
          description:
            "Answers as Alertmanager's GET /api/v2/status does, so Grafana's “Save & test” and amtool accept the " +
            "URL. Under `/int/<key>` it checks the key as the alerts endpoint would.",
          // Without a key in the URL it checks nothing, and answers the same to anyone.
          ...(prefix ? { params: IntegrationKeyParams } : {}),
          response: {
            200: AlertmanagerStatusSchema,
            ...(prefix
              ? {
                  403: plainText("The integration is disabled"),
                  404: plainText("No prometheus or alertmanager integration has this key"),
                  503: plainText("The database cannot work now"),
                }
              : {}),
          },
        },
      },
      async (request) => {
        // Grafana's "Save & test" and amtool read the status to check the URL: under /int/KEY a key
        // that takes no alerts must not look fine (404 unknown, 403 disabled, as for the alerts).
        const { key } = request.params as { key?: string };
        if (key !== undefined) await deps.integrationForKey(key, ["prometheus", "alertmanager"]);
        return {
          cluster: { status: "disabled", peers: [] },
          versionInfo: {
            version: `firebreak-${version}`,
            branch: "",
            revision: "",
            buildUser: "",
            buildDate: "",
            goVersion: "",
          },
          config: { original: "" },
          uptime: started,
        };
      },
    );
    for (const probe of ["/-/healthy", "/-/ready"]) {
      app.get(
        `${prefix}${probe}`,
        { config: { access: "public" }, logLevel: "warn", schema: { hide: true } },
        async (_request, reply) => reply.type("text/plain").send("OK"),
      );
    }
  }
}
