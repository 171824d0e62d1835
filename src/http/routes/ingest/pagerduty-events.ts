import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { recordChangeEvent } from "../../../app/alerts/record-change-event.js";
import {
  parsePagerDutyChangeEvent,
  parsePagerDutyEvent,
} from "../../../core/alerts/parse-pagerduty-event.js";
import { isAppError } from "../../../core/errors.js";
import type { Api } from "../../api-instance.js";
import { logMappedError, mapError, sentRequest } from "../../problem.js";
import { isUnsupportedContentEncoding } from "../../request-body.js";
import { enforceRateLimit, type IngestDeps } from "./ingest-deps.js";
import {
  bodyReadByParser,
  PagerDutyAccepted,
  PagerDutyChangeBody,
  pagerDutyError,
  PagerDutyEventBody,
} from "./ingest-schemas.js";

/** PagerDuty's own limit on an event body. */
const PAGERDUTY_BODY_LIMIT_BYTES = 512 * 1024;

const invalid = (reply: FastifyReply, errors: readonly string[], status = 400) =>
  reply.code(status).send({ status: "invalid event", message: "Event object is invalid", errors });

/**
 * PagerDuty Events API v2 (`/v2/enqueue`, `/v2/change/enqueue`): the routing_key in the body picks
 * the integration. Bodies are PagerDuty's exactly: 202 success, 400 "invalid event", 429 throttled;
 * a disabled integration's key is a 403 in the same `{status, message, errors}` shape.
 */
export function registerPagerDutyRoutes(app: Api, deps: IngestDeps): void {
  // Clients parse PagerDuty's bodies, not problem+json, so errors keep its shape here too.
  const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(error) && error.code === "RATE_LIMITED") {
      if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
      return reply.code(429).send({
        status: "throttle event",
        message: "Requests for this service are arriving too quickly. Please retry later.",
      });
    }
    if (isAppError(error) && error.code === "NOT_FOUND") return invalid(reply, ["Invalid routing key"]);
    // A disabled integration is 403, as on the other ingest endpoints, and says so: "Invalid routing
    // key" sent people to check a key that was right. Only the key's holder learns it is disabled.
    if (isAppError(error) && error.code === "FORBIDDEN")
      return reply
        .code(403)
        .send({ status: "invalid event", message: "Integration is disabled", errors: [error.message] });
    const mapped = mapError(error, "", undefined, sentRequest(request));
    const { problem } = mapped;
    if (problem.status === 413)
      return reply.code(413).send({
        status: "invalid event",
        message: "Request entity too large",
        errors: ["Event object is larger than 512 KB"],
      });
    // A compressed body is 415 on every endpoint; here in the shape of PagerDuty's 400s, naming the encoding.
    if (isUnsupportedContentEncoding(error)) return invalid(reply, [problem.detail], 415);
    // The mapper's detail: a wrong Content-Type is said with the one to send, as on every endpoint.
    if (problem.status < 500) return invalid(reply, [problem.detail]);
    // 5xx tells the sender to retry (a busy database is a 503): the event was not stored.
    logMappedError(request.log, mapped, error, "in the PagerDuty endpoint");
    const message = problem.status === 500 ? "Internal error; retry later" : problem.detail;
    return reply.code(problem.status).headers(mapped.headers).send({ status: "error", message, errors: [] });
  };

  // The errors both endpoints answer, in PagerDuty's body.
  const errors = {
    400: pagerDutyError(
      '"invalid event": the body is not a valid event, or no pagerduty integration has this routing_key ("Invalid routing key"); `errors` says what. Not retried',
    ),
    403: pagerDutyError("The integration is disabled"),
    413: pagerDutyError("The body is larger than 512 KB"),
    415: pagerDutyError(
      '"invalid event": the body came with a Content-Encoding (gzip, …); send it uncompressed. Not retried',
    ),
    429: pagerDutyError(
      '"throttle event": more events a minute than the integration\'s rate limit; nothing stored. See Retry-After',
    ),
    503: pagerDutyError(
      '"error": the database cannot work now; nothing stored. Send it again after Retry-After seconds',
    ),
  };

  app.post(
    "/v2/enqueue",
    {
      config: { access: "public" },
      bodyLimit: PAGERDUTY_BODY_LIMIT_BYTES,
      errorHandler,
      ...bodyReadByParser,
      schema: {
        tags: ["ingest"],
        summary: "PagerDuty Events API v2: trigger, acknowledge, resolve",
        description:
          "Anything that can page PagerDuty (Alertmanager pagerduty_configs, Grafana, Uptime Kuma, scripts) can " +
          "send here instead: set its events URL to this server and its routing (integration) key to a " +
          "pagerduty integration's key. A trigger fires an alert of the integration's service, keyed by " +
          "dedup_key, which opens or joins an incident and pages; acknowledge and resolve act on the incident " +
          "of that alert. Answers as PagerDuty does, with a 202 once the event is committed.",
        body: PagerDutyEventBody,
        response: { 202: PagerDutyAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const parsed = parsePagerDutyEvent(request.body, deps.app.clock.now());
      if (!parsed.ok) return invalid(reply, parsed.errors);
      const integration = await deps.integrationForKey(parsed.routingKey ?? "", ["pagerduty"]);
      enforceRateLimit(deps, integration, 1);
      const dedupKey = parsed.dedupKeyGenerated ? randomUUID().replaceAll("-", "") : parsed.event.dedupKey;
      await deps.ingest(integration.id, [{ ...parsed.event, dedupKey }]);
      return reply.code(202).send({ status: "success", message: "Event processed", dedup_key: dedupKey });
    },
  );

  app.post(
    "/v2/change/enqueue",
    {
      config: { access: "public" },
      bodyLimit: PAGERDUTY_BODY_LIMIT_BYTES,
      errorHandler,
      ...bodyReadByParser,
      schema: {
        tags: ["ingest"],
        summary: "PagerDuty change events: deploys and config changes, shown on incidents",
        description:
          "Records a change (a deploy, a config change) of the routing_key's integration's service. It pages " +
          "nobody; an incident of the service lists the changes of the six hours before it opened.",
        body: PagerDutyChangeBody,
        response: { 202: PagerDutyAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const parsed = parsePagerDutyChangeEvent(request.body, deps.app.clock.now());
      if (!parsed.ok) return invalid(reply, parsed.errors);
      const integration = await deps.integrationForKey(parsed.routingKey ?? "", ["pagerduty"]);
      enforceRateLimit(deps, integration, 1);
      await recordChangeEvent(deps.app, integration.id, parsed.event);
      return reply.code(202).send({ status: "success", message: "Change event processed" });
    },
  );
}
