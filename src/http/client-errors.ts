import { randomUUID } from "node:crypto";
import { maxHeaderSize, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { FIREBREAK_API_HEADER } from "../core/api-identity.js";
import { mapError, PROBLEM_CONTENT_TYPE } from "./problem.js";
import { limitSize } from "./request-body.js";

/** Node's limit on a request's line and headers together: 16 KiB unless --max-http-header-size sets it. */
export const HEADER_LIMIT_SETTING = "Node's --max-http-header-size";

/** The status and detail of a request Node refused before Fastify saw it, by Node's error code. */
function refusal(code: string | undefined): { status: number; detail: string } {
  if (code === "HPE_HEADER_OVERFLOW")
    return {
      status: 431,
      detail: `the request line and headers are larger than this server takes (${limitSize(maxHeaderSize)} in all; ${HEADER_LIMIT_SETTING})`,
    };
  if (code === "ERR_HTTP_REQUEST_TIMEOUT")
    return { status: 408, detail: "the request did not arrive in time; send it again" };
  return { status: 400, detail: "the request is not valid HTTP" };
}

/**
 * Fastify's `clientErrorHandler`: Node refuses a request it cannot parse (headers too large, bad
 * HTTP, too slow) before any route or hook runs, and Fastify answered `{"error":…}`; this answers
 * problem+json as every other error does, on the raw socket, then closes it as Node would.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const { status, detail } = refusal(err.code);
  const requestId = randomUUID();
  const body = JSON.stringify(mapError({ statusCode: status, message: detail }, requestId).problem);
  if (socket.writable)
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Bad Request"}`,
        `content-type: ${PROBLEM_CONTENT_TYPE}`,
        `content-length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${requestId}`,
        `${FIREBREAK_API_HEADER}: 1`,
        "x-content-type-options: nosniff",
        "connection: close",
        "",
        body,
      ].join("\r\n"),
    );
  socket.destroy(err);
}
