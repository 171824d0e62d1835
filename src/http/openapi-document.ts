import type { SwaggerTransform, SwaggerTransformObject } from "@fastify/swagger";
import { routeAccess } from "./authenticate.js";
import { PROBLEM_CONTENT_TYPE } from "./problem.js";
import { GENERIC_PROBLEM, isProblemResponse, ProblemSchema } from "./schemas.js";

/** What an error status means, for the routes that list it without saying more. */
const PROBLEM_WHEN: Record<string, string> = {
  400: "The request is not valid: `errors` names each field at fault",
  401: "No valid credentials: send `Authorization: Bearer <API key>`, or sign in for the session cookie",
  403: "The caller's role is too low for this, or a session's change came without its x-csrf-token",
  404: "Nothing has that id (or name)",
  409: "It clashes with what exists: a name in use, or a concurrent change made first (try again)",
  412: "It does not apply in the current state, which `detail` names (a resolved incident, say)",
  413: "The body is larger than this endpoint takes (FIREBREAK_BODY_LIMIT_BYTES, 1 MiB by default); `detail` names the limit",
  415: "The body is not JSON (send Content-Type: application/json), or it came compressed (a Content-Encoding such as gzip): send it uncompressed",
  429: "Too many requests; Retry-After says in how many seconds to try again",
  503: "The database cannot work now (busy, unreachable or restarting); nothing was changed: retry after Retry-After seconds",
};

/** 429 and 503 answers say when to try again, whatever their body's format (problem.ts, ingest routes). */
const RETRY_AFTER_STATUSES = new Set(["429", "503"]);
const RETRY_AFTER = {
  "Retry-After": { type: "integer", description: "Seconds to wait before trying again" },
};

type RouteSchema = Parameters<SwaggerTransform>[0]["schema"] & {
  response?: Record<string, unknown>;
  security?: unknown;
};

/** Where the document keeps the problem schema: once, not inlined in each of a thousand errors. */
const PROBLEM_REF = "#/components/schemas/Problem";

/** The document's entry for one error response: problem+json, as `problem.ts` sends it. */
function problemEntry(status: string, schema: { description?: string }) {
  const said = schema.description !== GENERIC_PROBLEM ? schema.description : undefined;
  return {
    description: said ?? PROBLEM_WHEN[status] ?? "An error, in RFC 9457 problem details",
    // A placeholder: swagger would resolve a $ref here; `referToProblemSchema` puts it in.
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { type: "object" } } },
  };
}

/**
 * Shapes each route's entry in the OpenAPI document; Fastify keeps validating and serialising with the
 * route's own schema. Errors show as the application/problem+json they are sent as, and public routes
 * (ingest, probes, sign-in, signed links) ask for none of the API's credentials, which they never read.
 */
export const documentRoute: SwaggerTransform = ({ schema, url, route }) => {
  if (!schema) return { schema, url };
  const given = schema as RouteSchema;
  const access = routeAccess(route.config?.access, url);
  const responses = given.response
    ? Object.fromEntries(
        Object.entries(given.response).map(([status, response]) => {
          const entry = isProblemResponse(response)
            ? problemEntry(status, response as { description?: string })
            : (response as object);
          return [status, RETRY_AFTER_STATUSES.has(status) ? { ...entry, headers: RETRY_AFTER } : entry];
        }),
      )
    : undefined;
  return {
    schema: {
      ...given,
      ...(responses && { response: responses }),
      ...(access === "public" && given.security === undefined && { security: [] }),
    },
    url,
  };
};

interface DocumentShape {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
  components?: { schemas?: Record<string, unknown> };
}

/** Points every problem+json response at the one Problem schema in components. */
export const referToProblemSchema: SwaggerTransformObject = (document) => {
  if (!("openapiObject" in document)) return document.swaggerObject;
  const openapi = document.openapiObject as DocumentShape;
  for (const operations of Object.values(openapi.paths ?? {}))
    for (const operation of Object.values(operations))
      for (const response of Object.values(operation.responses ?? {})) {
        const problem = response.content?.[PROBLEM_CONTENT_TYPE];
        if (problem) problem.schema = { $ref: PROBLEM_REF };
      }
  openapi.components = {
    ...openapi.components,
    schemas: { ...openapi.components?.schemas, Problem: ProblemSchema },
  };
  return openapi as ReturnType<SwaggerTransformObject>;
};
