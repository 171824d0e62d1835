import type { FastifyInstance, FastifyRequest } from "fastify";
import { singleLine } from "../core/clean-text.js";
import { FORM_BODY_LIMIT_BYTES } from "./form-body.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set by `markBodyLimits`: the route takes the API's body limit (a setting), not one of its own. */
    bodyLimitIsSetting?: boolean;
    /** The route never reads its body (heartbeats): whatever it is, or is encoded as, is no error. */
    ignoresBody?: boolean;
  }
}

/** The setting of the API's body limit (src/server/config.ts), named in its 413s. */
export const API_BODY_LIMIT_SETTING = "FIREBREAK_BODY_LIMIT_BYTES";

const KIB = 1024;
const MIB = 1024 * 1024;

/** A limit as people set it: "5 MiB", "64 KiB", else exact bytes ("1500000 bytes"). */
export function limitSize(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} bytes`;
}

/** A body's size to a tenth: "5.8 MiB", "600.1 KiB", "900 bytes". */
export function roughSize(bytes: number): string {
  const tenth = (n: number) => String(Math.round(n * 10) / 10);
  if (bytes >= MIB) return `${tenth(bytes / MIB)} MiB`;
  if (bytes >= KIB) return `${tenth(bytes / KIB)} KiB`;
  return `${bytes} bytes`;
}

/** The limit a request's body was held to, and the setting that sets it when one does. */
export interface BodyLimit {
  readonly bytes: number;
  readonly setting?: string;
}

/**
 * The "413 Payload Too Large" detail: the limit, its setting, and the declared size when there was one
 * ("Request body is too large" alone left senders guessing by how much, and what to change).
 */
export function bodyTooLargeDetail(limit: BodyLimit, contentLength?: number): string {
  const shown = limitSize(limit.bytes);
  const said = `the body is larger than this endpoint takes (${shown}${limit.setting ? `; ${limit.setting}` : ""})`;
  if (contentLength === undefined || !(contentLength > limit.bytes)) return said;
  // Just over a round limit rounds to the limit itself: then the exact figure says by how much.
  const size = roughSize(contentLength) === shown ? `${contentLength} bytes` : roughSize(contentLength);
  return `${said}; it is ${size}`;
}

/**
 * Notes on each route whether its body limit is the API's setting: a route without a bodyLimit of its
 * own takes the instance's. Fastify's routeOptions.bodyLimit cannot tell them apart when equal.
 */
export function markBodyLimits(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    route.config = { ...route.config, bodyLimitIsSetting: route.bodyLimit === undefined };
  });
}

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The limit Fastify held this request's body to: the route's own, a form's, or the API's setting. */
export function bodyLimitOf(request: FastifyRequest): BodyLimit {
  const config = request.routeOptions.config as { bodyLimitIsSetting?: boolean } | undefined;
  const bytes = request.routeOptions.bodyLimit;
  if (config?.bodyLimitIsSetting === false) return { bytes };
  // A form's parser has its own, smaller limit, which applies where the route sets none (form-body.ts).
  if (
    FORM.test(request.headers["content-type"] ?? "") &&
    request.server.hasContentTypeParser("application/x-www-form-urlencoded")
  )
    return { bytes: FORM_BODY_LIMIT_BYTES };
  return { bytes, setting: API_BODY_LIMIT_SETTING };
}

/** The Content-Length a request declared, if it is a number. */
export function declaredLength(request: FastifyRequest): number | undefined {
  const raw = request.headers["content-length"];
  const length = raw === undefined ? Number.NaN : Number(raw);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** A 415 for a compressed body, mapped by problem.ts like Fastify's own client errors. */
export class UnsupportedContentEncodingError extends Error {
  readonly statusCode = 415;
  readonly code = "FIREBREAK_UNSUPPORTED_CONTENT_ENCODING";
}

export const isUnsupportedContentEncoding = (error: unknown): error is UnsupportedContentEncodingError =>
  error instanceof UnsupportedContentEncodingError;

/** The codings a Content-Encoding header names other than identity, as sent ("gzip", "br, gzip"). */
export function encodingsOf(header: string | undefined): string | undefined {
  const codings = (header ?? "")
    .split(",")
    .map((coding) => coding.trim())
    .filter((coding) => coding !== "" && coding.toLowerCase() !== "identity");
  if (codings.length === 0) return undefined;
  // Echoed back (in plain text on /api/v2/alerts): one clean line, and not at any length.
  const named = singleLine(codings.join(", "));
  return named.length > 60 ? `${named.slice(0, 60)}…` : named;
}

const hasBody = (request: FastifyRequest): boolean =>
  request.headers["transfer-encoding"] !== undefined || (declaredLength(request) ?? 0) > 0;

/**
 * Refuses a request body sent with a Content-Encoding (gzip, br, …) on every route, before it is
 * parsed: Fastify read gzip bytes as text ("Body is not valid JSON") and took JSON under a false
 * gzip header. Decoding is left out on purpose: an inflated body can be far larger than the limit
 * its compressed bytes passed (a decompression bomb), so the sender is told to send it uncompressed.
 */
export function refuseEncodedBodies(app: FastifyInstance): void {
  app.addHook("preParsing", async (request) => {
    if (request.routeOptions.config?.ignoresBody === true || !hasBody(request)) return;
    const named = encodingsOf(request.headers["content-encoding"]);
    if (named !== undefined)
      throw new UnsupportedContentEncodingError(
        `Content-Encoding ${named} is not supported; send the body uncompressed`,
      );
  });
}
