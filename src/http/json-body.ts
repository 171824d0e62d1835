import type { FastifyInstance, FastifySchema } from "fastify";
import { AppError, type FieldError, validationError } from "../core/errors.js";
import { fieldErrorsSentence } from "../core/field-name.js";

/** JSON Pointer (RFC 6901) of a key path, as the rest of the API names fields. */
export const pointer = (keys: readonly string[]): string =>
  `/${keys.map((k) => k.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

interface Visit {
  readonly node: object;
  readonly parent: Visit | undefined;
  readonly key: string;
}

const pathOf = (visit: Visit): string[] => {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.unshift(at.key);
  return keys;
};

const own = (node: object, key: string) => Object.prototype.hasOwnProperty.call(node, key);

/**
 * Finds the first key that Fastify's parser (secure-json-parse) refuses: an own `__proto__`, or a
 * `constructor` object that holds a `prototype`. Breadth first with parent links, as secure-json-parse
 * scans, so a deeply nested body costs no path copies.
 */
export function findForbiddenKey(value: unknown): { key: string; path: string } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  let next: Visit[] = [{ node: value, parent: undefined, key: "" }];
  while (next.length > 0) {
    const visits = next;
    next = [];
    for (const visit of visits) {
      const { node } = visit;
      if (own(node, "__proto__")) return { key: "__proto__", path: pointer([...pathOf(visit), "__proto__"]) };
      const ctor = own(node, "constructor") ? (node as { constructor: unknown }).constructor : undefined;
      if (typeof ctor === "object" && ctor !== null && own(ctor, "prototype"))
        return {
          key: "constructor.prototype",
          path: pointer([...pathOf(visit), "constructor", "prototype"]),
        };
      for (const [key, child] of Object.entries(node))
        if (typeof child === "object" && child !== null) next.push({ node: child, parent: visit, key });
    }
  }
  return undefined;
}

/** The 400 for a body that is valid JSON but holds a key Fastify refuses; undefined when it is not that. */
export function forbiddenKeyError(text: string): AppError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  const found = findForbiddenKey(value);
  if (!found) return undefined;
  // Said like the schema check's complaints: "labels.__proto__ is a forbidden key: …", field by path.
  return validationError([{ path: found.path, message: FORBIDDEN_KEY }]);
}

/** Why a key is refused, as a field error says it. */
export const FORBIDDEN_KEY = "is a forbidden key: keys that could change an object's prototype are refused";

/** Nothing but JSON's whitespace: no value was sent. */
const isBlank = (text: string): boolean => /^[ \t\n\r]*$/.test(text);

/**
 * Parses JSON bodies with Fastify's own parser (which refuses prototype-poisoning keys), but names a
 * refused key instead of Fastify's "Body is not valid JSON": the JSON is valid, the key is not allowed.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const strict = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  // No bodyLimit here: Fastify applies the instance's (and each route's own) as for its default parser.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    // Many clients send Content-Type: application/json on every request, a DELETE's too: nothing
    // sent is no body, as without the header, and a route that needs one says so (missingBodyError).
    if (isBlank(body as string)) {
      done(null, undefined);
      return;
    }
    strict(request, body as string, (err, parsed) => {
      if (err) done(forbiddenKeyError(body as string) ?? err, undefined);
      else done(null, parsed);
    });
  });
}

/** Why text holding U+0000 is refused, as a field error says it. */
export const NUL_CHARACTER = "must not contain a NUL character";

const NUL = "\u0000";

/** A request with thousands of NULs is told about the first few, as a person would fix them. */
export const MAX_NUL_FIELDS = 20;

/**
 * The pointers of the strings and object keys in a value that hold U+0000 (a key names itself),
 * breadth first as findForbiddenKey walks, at most `limit`. A string value is "/" itself.
 */
export function findNulCharacters(value: unknown, limit = MAX_NUL_FIELDS): string[] {
  if (limit <= 0) return [];
  if (typeof value === "string") return value.includes(NUL) ? [pointer([])] : [];
  if (typeof value !== "object" || value === null) return [];
  const found: string[] = [];
  let next: Visit[] = [{ node: value, parent: undefined, key: "" }];
  while (next.length > 0) {
    const visits = next;
    next = [];
    for (const visit of visits)
      for (const [key, child] of Object.entries(visit.node)) {
        if (key.includes(NUL) || (typeof child === "string" && child.includes(NUL))) {
          found.push(pointer([...pathOf(visit), key]));
          if (found.length >= limit) return found;
        } else if (typeof child === "object" && child !== null)
          next.push({ node: child, parent: visit, key });
      }
  }
  return found;
}

/** What a request carries, by where its field errors say it came from (as validation-wording names them). */
export interface RequestParts {
  readonly params?: unknown;
  readonly querystring?: unknown;
  readonly body?: unknown;
}

/** A field error for each text in the request that holds U+0000: the path, then the query, then the body. */
export function nulCharacterFields(parts: RequestParts): FieldError[] {
  const fields: FieldError[] = [];
  for (const [where, value] of [
    ["params ", parts.params],
    ["querystring ", parts.querystring],
    ["", parts.body],
  ] as const)
    for (const path of findNulCharacters(value, MAX_NUL_FIELDS - fields.length))
      fields.push({ path: `${where}${path}`, message: NUL_CHARACTER });
  return fields;
}

/**
 * The 400 for text holding U+0000. `errors[]` keeps each exact pointer; the detail shows a NUL inside
 * a key's name as ␀ (U+2400), so the sentence itself carries none to a log or a terminal.
 */
export function nulCharacterError(fields: readonly FieldError[]): AppError {
  const shown = fields.map((f) => ({ ...f, path: f.path.replaceAll(NUL, "\u2400") }));
  return new AppError("VALIDATION", fieldErrorsSentence(shown), { fields });
}

/**
 * Routes that take text exactly as their senders send it: the ingest endpoints (tag "ingest"), whose
 * parsers accept what monitoring tools send and clean NUL themselves (core/alerts/storable-event.ts).
 */
export const keepsTextAsSent = (schema: FastifySchema | undefined): boolean =>
  schema?.tags?.includes("ingest") ?? false;

/**
 * Refuses U+0000 in the body, query and path parameters of every request before its route runs:
 * PostgreSQL cannot store it (the insert failed as a 500) and SQLite kept an invisible character, so
 * both stores answer one 400 naming the field. Routes that keep text as sent are left alone.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    if (keepsTextAsSent(request.routeOptions.schema)) return;
    const { params, query, body } = request;
    const fields = nulCharacterFields({ params, querystring: query, body });
    if (fields.length > 0) throw nulCharacterError(fields);
  });
}

/**
 * The schema check's complaint about a request without a body (none sent, or an empty one with a JSON
 * Content-Type) said as such, "the request body is required", instead of "must be an object"; else
 * undefined. Routes that take no body, or default it in their own preValidation, never get here.
 */
export function missingBodyError(error: unknown, body: unknown): AppError | undefined {
  const context = (error as { validationContext?: unknown } | null)?.validationContext;
  return context === "body" && body === undefined
    ? validationError([{ path: "/", message: "is required" }])
    : undefined;
}
