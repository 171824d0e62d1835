import type { FastifyReply, FastifyRequest } from "fastify";
import { parsePostableAlerts } from "../../../core/alerts/parse-alertmanager-v2.js";
import type { Api } from "../../api-instance.js";
import { logMappedError, mapError } from "../../problem.js";
import { keyFrom } from "./alert-sources.js";
import { enforceRateLimit, INGEST_BODY_LIMIT_BYTES, type IngestDeps } from "./ingest-deps.js";

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
    const mapped = mapError(error, request.id);
    const { problem, headers } = mapped;
    logMappedError(request.log, mapped, error, `in ${request.routeOptions.url ?? "/api/v2"}`);
    return reply
      .code(problem.status)
      .headers(headers)
      .type("text/plain; charset=utf-8")
      .send(problem.status === 500 ? "internal error\n" : `${problem.detail}\n`);
  };
  for (const prefix of ["/int/:key", ""]) {
    app.post(
      `${prefix}/api/v2/alerts`,
      {
        config: { access: "public" },
        bodyLimit: INGEST_BODY_LIMIT_BYTES,
        schema: {
          tags: ["ingest"],
          summary: `Alertmanager API v2: Prometheus/vmalert alerts${prefix ? " (key in path_prefix)" : " (key as Bearer token)"}`,
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
        if (parsed.errors.length > 0)
          return reply
            .code(400)
            .type("text/plain; charset=utf-8")
            .send(`${parsed.errors.join("\n")}\n`);
        return reply.code(200).send();
      },
    );
    app.get(
      `${prefix}/api/v2/status`,
      {
        config: { access: "public" },
        errorHandler,
        schema: { tags: ["ingest"], summary: "Alertmanager status, for tooling that checks it" },
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
