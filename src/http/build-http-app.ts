import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { LoginAttempts } from "../app/auth/login-attempts.js";
import type { AppDeps } from "../app/deps.js";
import type { JobCounts } from "../app/ports/jobs.js";
import type { Api } from "./api-instance.js";
import { registerAuthentication } from "./authenticate.js";
import { acceptJsonBodies, missingBodyError, refuseUnstorableText } from "./json-body.js";
import { documentRoute, referToProblemSchema } from "./openapi-document.js";
import { logMappedError, mapError, PROBLEM_CONTENT_TYPE, sentRequest } from "./problem.js";
import { markBodyLimits, refuseEncodedBodies } from "./request-body.js";
import { answerClientError } from "./client-errors.js";
import { answerFrameworkError, MAX_PATH_SEGMENT_LENGTH } from "./framework-errors.js";
import { refuseUnknownQueryParameters } from "./query-parameters.js";
import { registerRoutingAnswers } from "./routing-answers.js";
import type { AlertingDeps } from "../app/alerting-deps.js";
import { registerApiKeyRoutes } from "./routes/api-keys.js";
import { registerAlertSourceRoutes } from "./routes/ingest/alert-sources.js";
import { registerAlertmanagerApiRoutes } from "./routes/ingest/alertmanager-api.js";
import { registerHeartbeatRoutes } from "./routes/ingest/heartbeats.js";
import { groupedIngestDeps } from "./routes/ingest/ingest-deps.js";
import { registerPagerDutyRoutes } from "./routes/ingest/pagerduty-events.js";
import { registerAuthRoutes } from "./routes/auth.js";
import {
  registerBuildInfoRoute,
  registerOperationsRoutes,
  type OperationsDeps,
} from "./routes/operations.js";
import { registerSystemRoutes } from "./routes/system.js";
import { registerTeamRoutes } from "./routes/teams.js";
import { registerUserRoutes } from "./routes/users.js";
import type { NotificationSender } from "../app/ports/notifications.js";
import { registerActionLinkRoutes } from "./routes/action-links.js";
import { registerChannelRoutes } from "./routes/channels.js";
import { registerContactMethodRoutes } from "./routes/contact-methods.js";
import { registerEscalationPolicyRoutes } from "./routes/escalation-policies.js";
import { registerIncidentStreamRoutes, type IncidentStreamOptions } from "./routes/incident-stream.js";
import { registerIncidentRoutes } from "./routes/incidents.js";
import { registerIntegrationRoutes } from "./routes/integrations.js";
import { registerMaintenanceWindowRoutes } from "./routes/maintenance-windows.js";
import { registerServiceRoutes } from "./routes/services.js";
import { registerSlackCommandRoutes } from "./routes/slack-commands.js";
import { registerSlackInteractionRoutes } from "./routes/slack-interactions.js";
import type { SlackVerifier } from "./routes/slack-signed-form.js";
import { registerCalendarRoutes } from "./routes/calendars.js";
import { registerScheduleOverrideRoutes } from "./routes/schedule-overrides.js";
import { registerScheduleQueryRoutes } from "./routes/schedule-queries.js";
import { registerScheduleRoutes } from "./routes/schedules.js";
import { registerTradeRoutes } from "./routes/trades.js";
import { registerResponseRoutes } from "./routes/response-routes.js";
import { registerStatusRoutes } from "./routes/status-routes.js";
import type { StatusPublicDeps } from "./routes/status-public.js";
import { CredentialStreams } from "./credential-streams.js";
import { secretFreeUrl } from "./secret-free-url.js";
import { AJV_OPTIONS, validatorsByPart } from "./validators-by-part.js";
import { FIREBREAK_API_HEADER } from "../core/api-identity.js";
import { AppError } from "../core/errors.js";

export type HttpMetrics = OperationsDeps["metrics"] & {
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
};

export interface HttpDeps {
  readonly app: AppDeps;
  /** The alert pipeline's dependencies (a superset of `app`). */
  readonly alerting: AlertingDeps;
  /** Sends test messages (channels, contact methods) right away. */
  readonly sender: NotificationSender;
  /** Checks Slack's signature on /slack/interactions and /slack/commands; absent when no signing secret is configured. */
  readonly verifySlack?: SlackVerifier | undefined;
  readonly loginAttempts: LoginAttempts;
  readonly version: string;
  readonly readiness: () => Promise<{ ok: boolean; detail: string }>;
  readonly isShuttingDown: () => boolean;
  readonly metrics: HttpMetrics;
  readonly jobCounts: () => Promise<JobCounts & { overdue: number }>;
  /** Pino logger for request logs, or false for none (tests). */
  readonly logger: FastifyBaseLogger | false;
  /** Folder of the built console (index.html and assets); absent in a server-only build. */
  readonly webRoot: string | undefined;
  readonly secureCookies: boolean;
  readonly bodyLimitBytes: number;
  /** Honour X-Forwarded-* from this many proxies in front of Firebreak. */
  readonly trustProxyHops: number;
  /** Status pages (admin API and the public pages); absent: not served. */
  readonly status?: StatusPublicDeps;
  /** The incident stream's intervals; tests shorten the heartbeat that re-checks its caller. */
  readonly incidentStream?: IncidentStreamOptions;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming x-request-id when it is safe to log, else a new one. */
const requestIdOf = (req: { headers: Record<string, string | string[] | undefined> }): string => {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
};

/**
 * Once the server closes (after the shutdown's drain), a request still arriving on an open
 * connection is refused as every 503 is: problem+json with Retry-After. Fastify's own answer was
 * `{"error":"Service Unavailable"}` without it. Fastify adds `Connection: close` itself.
 */
function refuseWhileClosing(app: Api): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (!closing) return;
    const refusal = new AppError("UNAVAILABLE", "this Firebreak instance is shutting down; try again");
    const mapped = mapError(refusal, request.id, secretFreeUrl(request.url.split("?")[0] ?? "/"));
    return reply
      .code(mapped.problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .headers(mapped.headers)
      .send(mapped.problem);
  });
}

/** Headers every answer carries, and each request's duration in the metrics. */
function stampAnswers(app: Api, metrics: HttpMetrics): void {
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    reply.header(FIREBREAK_API_HEADER, "1");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    if (!request.url.startsWith("/docs")) reply.header("x-frame-options", "DENY");
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}

/** Builds the Fastify app: every route, the one error mapper, the console, the OpenAPI document. */
export async function buildHttpApp(deps: HttpDeps): Promise<Api> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: deps.bodyLimitBytes,
    trustProxy: (_address: string, hop: number) => hop < deps.trustProxyHops,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // refuseWhileClosing answers those 503s, in the API's own format.
    return503OnClosing: false,
    // What Node refuses before any route (headers over its limit, bad HTTP) is problem+json too.
    clientErrorHandler: answerClientError,
    // Errors the router raises before any route runs (bad percent-encoding, a path segment too long).
    frameworkErrors: answerFrameworkError,
    // Signed action links carry their token as one path segment (about 220 characters); Fastify's default cap is 100.
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT_LENGTH },
    // Query strings, path parameters and headers are coerced to their schemas' types; JSON bodies are not.
    ajv: AJV_OPTIONS,
    schemaController: { compilersFactory: { buildValidator: validatorsByPart() } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  refuseWhileClosing(app);
  // Before any route: a 413 names the API's setting only for the routes that take it.
  markBodyLimits(app);
  // Before any route: every GET of /api/v1 refuses a query parameter it does not declare.
  refuseUnknownQueryParameters(app);

  // The API speaks JSON only. Fastify also parses text/plain by default, which turned a body sent with the
  // wrong content type into a confusing 400 ("must be object"); without that parser it is a 415 that says
  // to send Content-Type: application/json (problem.ts).
  app.removeContentTypeParser("text/plain");
  acceptJsonBodies(app);
  // Before any route's own hooks: U+0000 in a body, query or path parameter is a 400 naming the field.
  refuseUnstorableText(app);
  // A gzip (or any encoded) body is a 415 that says so, on every route, before any parser reads it.
  refuseEncodedBodies(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Firebreak API",
        version: deps.version,
        description:
          "Self-hosted incident management. Authenticate with `Authorization: Bearer <API key>`, or with the " +
          "console's session cookie plus the `x-csrf-token` header on changes. Errors are RFC 9457 problem+json. " +
          "The ingest endpoints (tag ingest) take an integration's key instead, and answer errors in the format " +
          "their senders read: plain text for Alertmanager API v2, PagerDuty's own body for /v2/enqueue.",
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: "http",
            scheme: "bearer",
            description: "An API key created in Settings or by `firebreak apikey create`",
          },
          session: { type: "apiKey", in: "cookie", name: "firebreak_session" },
          integrationKey: {
            type: "http",
            scheme: "bearer",
            description:
              "An integration's key, for the ingest URLs without the key in the path (Alertmanager's http_config authorization)",
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: documentRoute,
    transformObject: referToProblemSchema,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  stampAnswers(app, deps.metrics);

  app.setErrorHandler((error, request, reply) => {
    const said = missingBodyError(error, request.body) ?? error;
    // The problem's `instance` is the path without the key a sender put in it.
    const instance = secretFreeUrl(request.url.split("?")[0] ?? "/");
    const mapped = mapError(said, request.id, instance, sentRequest(request));
    logMappedError(request.log, mapped, error, `in ${request.routeOptions.url ?? "an unmatched route"}`);
    return reply
      .code(mapped.problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .headers(mapped.headers)
      .send(mapped.problem);
  });

  registerAuthentication(app, deps.app);
  registerOperationsRoutes(app, deps);
  registerBuildInfoRoute(app, deps.version);
  // Sign-outs, revocations and disabled users, from any instance, reach the streams open here.
  const credentialStreams = new CredentialStreams();
  const stopHearingCredentialChanges = deps.app.uow.onCredentialChange((subject) =>
    credentialStreams.changed(subject),
  );
  app.addHook("onClose", async () => stopHearingCredentialChanges());
  registerAuthRoutes(app, {
    app: deps.app,
    loginAttempts: deps.loginAttempts,
    secureCookies: deps.secureCookies,
  });
  registerUserRoutes(app, deps.app);
  registerApiKeyRoutes(app, deps.app);
  registerTeamRoutes(app, deps.app);
  registerSystemRoutes(app, { app: deps.app, jobCounts: deps.jobCounts });
  const ingest = groupedIngestDeps(deps.alerting);
  registerAlertSourceRoutes(app, ingest);
  registerAlertmanagerApiRoutes(app, ingest, deps.version);
  registerPagerDutyRoutes(app, ingest);
  registerHeartbeatRoutes(app, ingest);
  registerServiceRoutes(app, deps.alerting);
  registerIntegrationRoutes(app, deps.alerting);
  registerMaintenanceWindowRoutes(app, deps.alerting);
  registerEscalationPolicyRoutes(app, deps.alerting);
  registerChannelRoutes(app, deps.alerting, deps.sender);
  registerContactMethodRoutes(app, deps.alerting, deps.sender);
  registerIncidentRoutes(app, deps.alerting);
  registerIncidentStreamRoutes(app, deps.alerting, credentialStreams, deps.incidentStream);
  registerActionLinkRoutes(app, deps.alerting);
  registerSlackInteractionRoutes(app, deps.alerting, deps.verifySlack);
  registerSlackCommandRoutes(app, deps.alerting, deps.verifySlack);
  registerScheduleRoutes(app, deps.alerting);
  registerScheduleQueryRoutes(app, deps.alerting);
  registerScheduleOverrideRoutes(app, deps.alerting);
  registerTradeRoutes(app, deps.alerting);
  registerCalendarRoutes(app, deps.alerting);
  registerResponseRoutes(app, deps.alerting);
  if (deps.status) registerStatusRoutes(app, deps.status);
  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webRoot =
    deps.webRoot && existsSync(path.join(deps.webRoot, "index.html")) ? deps.webRoot : undefined;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      // Files are listed once at start: a rebuilt console needs a restart (as any deploy does).
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        // Vite puts a content hash in every asset's name, so an asset never changes under its URL.
        res.header(
          "cache-control",
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? "public, max-age=31536000, immutable"
            : "no-cache",
        );
      },
    });
  }

  // `/` (the console, or a signpost for curl) and every path no route takes: 405 or 404.
  registerRoutingAnswers(app, webRoot);

  return app;
}

/** What the engine role's listener needs: the probes' dependencies and a request logger. */
export interface OperationsAppDeps extends OperationsDeps {
  readonly metrics: HttpMetrics;
  /** Pino logger for request logs, or false for none (tests). */
  readonly logger: FastifyBaseLogger | false;
}

/**
 * The engine role's HTTP listener: /healthz, /readyz and /metrics only (no API, no console), so a
 * process that runs jobs alone can still be probed and scraped. Errors are problem+json as in the API.
 */
export async function buildOperationsApp(deps: OperationsAppDeps): Promise<Api> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    requestIdHeader: false,
    genReqId: requestIdOf,
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  refuseWhileClosing(app);
  stampAnswers(app, deps.metrics);
  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error, request.id, secretFreeUrl(request.url.split("?")[0] ?? "/"));
    logMappedError(request.log, mapped, error, `in ${request.routeOptions.url ?? "an unmatched route"}`);
    return reply
      .code(mapped.problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .headers(mapped.headers)
      .send(mapped.problem);
  });
  registerOperationsRoutes(app, deps);
  app.setNotFoundHandler(async (request, reply) => {
    const refusal = new AppError(
      "NOT_FOUND",
      "this process runs jobs only (--role engine) and serves only /healthz, /readyz and /metrics; the API and console are on the processes of --role api or all",
    );
    const mapped = mapError(refusal, request.id, secretFreeUrl(request.url.split("?")[0] ?? "/"));
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(mapped.problem);
  });
  return app;
}
