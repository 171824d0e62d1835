import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { FIREBREAK_API_HEADER } from "../core/api-identity.js";
import { logMappedError, mapError, PROBLEM_CONTENT_TYPE } from "./problem.js";
import { secretFreeUrl } from "./secret-free-url.js";

/** The longest path segment the router takes: a signed action link's token is about 220 characters. */
export const MAX_PATH_SEGMENT_LENGTH = 1024;

/** How much of a path an answer repeats: enough to recognise it, not a 5 KB path sent back twice. */
const SHOWN_PATH_LENGTH = 200;

const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

/** A request's path as an answer may show it: without its secrets, and cut short when long. */
export const shownPath = (url: string): string =>
  cut(secretFreeUrl(url.split("?")[0] ?? "/"), SHOWN_PATH_LENGTH);

/**
 * What went wrong, in Firebreak's words. Fastify's own messages quote the raw URL, key and query
 * string included, at any length; in any other error raised here the URL is replaced by its shown form.
 */
function frameworkErrorDetail(error: FastifyError, request: FastifyRequest, shown: string): string {
  if (error.code === "FST_ERR_BAD_URL")
    return `the path ${shown} is not valid: each % must start an escape of two hex digits, and the escapes must spell UTF-8 text`;
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    return `a segment of the path is longer than the ${MAX_PATH_SEGMENT_LENGTH} characters this server takes`;
  const pathOnly = request.url.split("?")[0] ?? "/";
  const said = error.message.replaceAll(request.url, shown).replaceAll(pathOnly, shown);
  return cut(secretFreeUrl(said), 2 * SHOWN_PATH_LENGTH);
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any route runs (bad percent-encoding,
 * a path segment too long), answered in the format the sender reads, like every other error, and
 * never with the key or token the path or query string holds.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  // The onSend hook that stamps every answer (build-http-app.ts) does not run before routing.
  reply
    .header("x-request-id", request.id)
    .header(FIREBREAK_API_HEADER, "1")
    .header("x-content-type-options", "nosniff");
  const shown = shownPath(request.url);
  const status = error.statusCode ?? 400;
  const refusal = {
    statusCode: status,
    code: error.code,
    message: frameworkErrorDetail(error, request, shown),
  };
  const mapped = mapError(refusal, request.id, shown);
  logMappedError(request.log, mapped, error, "before routing");
  const { problem } = mapped;
  const pathOnly = request.url.split("?")[0] ?? "/";
  // Alertmanager and Prometheus read (and log) plain text; PagerDuty's senders read PagerDuty's JSON.
  if (/\/api\/v2\/alerts$/.test(pathOnly))
    return reply
      .code(problem.status)
      .type("text/plain; charset=utf-8")
      .send(problem.status === 500 ? "internal error\n" : `${problem.detail}\n`);
  if (pathOnly.startsWith("/v2/"))
    return reply
      .code(problem.status)
      .send({ status: "invalid event", message: "Event object is invalid", errors: [problem.detail] });
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}
