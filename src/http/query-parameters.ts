import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from "fastify";
import { validationError } from "../core/errors.js";

/** Where the rule holds: the REST API's reads. Ingest, status pages and feeds keep their senders' ways. */
const API_PREFIX = "/api/v1/";

interface ObjectSchema {
  readonly type?: unknown;
  readonly properties?: unknown;
  readonly additionalProperties?: unknown;
  readonly [key: string]: unknown;
}

/** A querystring schema that takes only the parameters it names (an empty one: none at all). */
export function closedQuerySchema(schema: unknown): unknown {
  if (schema === undefined) return { type: "object", properties: {}, additionalProperties: false };
  const object = schema as ObjectSchema;
  // A schema that says what to do with other names (true, or a schema for them) keeps its choice.
  if (object.type !== "object" || object.additionalProperties !== undefined) return schema;
  // TypeBox keeps its own marker in symbol keys; a spread copies them, so the schema stays TypeBox's.
  return { ...object, additionalProperties: false };
}

/** The parameters a closed querystring schema names; undefined when it takes others too. */
function knownParameters(schema: unknown): readonly string[] | undefined {
  const object = schema as ObjectSchema;
  if (object.type !== "object" || object.additionalProperties !== false) return undefined;
  return Object.keys((object.properties as Record<string, unknown> | undefined) ?? {});
}

/** What an unknown parameter's error says: the parameters the route does take, so a typo is plain. */
export const unknownParameterMessage = (known: readonly string[]): string =>
  known.length === 0
    ? "is not a known field: this route takes no query parameters"
    : `is not a known field: this route takes ${known.join(", ")}`;

/**
 * The schema's own check would refuse the same names ("is not a known field"); this one runs first so
 * the 400 also lists what the route takes, which ajv's error does not carry.
 */
const refusingUnknownParameters =
  (known: readonly string[]): preValidationAsyncHookHandler =>
  async (request: FastifyRequest) => {
    const names = Object.keys((request.query as Record<string, unknown> | null) ?? {});
    const unknown = names.filter((name) => !known.includes(name));
    if (unknown.length === 0) return;
    const message = unknownParameterMessage(known);
    throw validationError(unknown.map((name) => ({ path: `querystring /${name}`, message })));
  };

/**
 * Every GET of /api/v1 that needs credentials refuses a query parameter it does not declare, by name,
 * with the ones it does (400 "query parameter stat is not a known field: this route takes state, limit"):
 * some routes refused them and others ignored them, so a misspelt `?limt=5` was silently a different
 * question on half the API.
 */
export function refuseUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD too: Fastify adds a GET's HEAD as a route of its own, from the options before this hook.
    const reads = methods.some((method) => method === "GET" || method === "HEAD");
    // Public reads (the iCal feed, build info) are fetched by other programs, such as calendar apps and
    // uptime monitors, which may add parameters of their own: a refusal there would end a subscription.
    const isPublic = (route.config as { access?: string } | undefined)?.access === "public";
    if (!route.url.startsWith(API_PREFIX) || !reads || isPublic) return;
    const querystring = closedQuerySchema(route.schema?.querystring);
    route.schema = { ...route.schema, querystring };
    const known = knownParameters(querystring);
    if (known === undefined) return;
    const own = route.preValidation === undefined ? [] : [route.preValidation].flat();
    route.preValidation = [refusingUnknownParameters(known), ...own];
  });
}
