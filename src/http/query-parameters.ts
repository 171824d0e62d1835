import type { FastifyInstance } from "fastify";

/** Where the rule holds: the REST API's reads. Ingest, status pages and feeds keep their senders' ways. */
const API_PREFIX = "/api/v1/";

interface ObjectSchema {
  readonly type?: unknown;
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

/**
 * Every GET of /api/v1 that needs credentials refuses a query parameter it does not declare, by name (400 "query parameter
 * cursor is not a known field"): some routes refused them and others ignored them, so a misspelt
 * `?limt=5` was silently a different question on half the API.
 */
export function refuseUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD too: Fastify adds a GET's HEAD as a route of its own, from the options before this hook.
    const reads = methods.some((method) => method === "GET" || method === "HEAD");
    // Public reads (the iCal feed, build info) are fetched by other programs, such as calendar apps,
    // which may add parameters of their own: a refusal there would end a subscription.
    const isPublic = (route.config as { access?: string } | undefined)?.access === "public";
    if (!route.url.startsWith(API_PREFIX) || !reads || isPublic) return;
    route.schema = { ...route.schema, querystring: closedQuerySchema(route.schema?.querystring) };
  });
}
