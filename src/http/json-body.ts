import type { FastifyInstance, FastifySchema } from "fastify";
import { AppError, type FieldError, validationError } from "../core/errors.js";
import { fieldErrorsSentence } from "../core/field-name.js";
import {
  declaredCharset,
  firstUnpairedSurrogate,
  ingestText,
  strictUtf8Text,
  unpairedSurrogateMessage,
} from "./text-checks.js";

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
function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes)
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

/**
 * The ingest endpoints (tag "ingest"): their senders retry a refused batch forever, or drop it, so
 * they take any text and clean it (text-checks.ts ingestText, core/alerts/storable-event.ts) where
 * every other route refuses it, naming the field.
 */
export const isIngestRoute = (schema: FastifySchema | undefined): boolean =>
  schema?.tags?.includes("ingest") ?? false;

/**
 * Parses JSON bodies with Fastify's own parser (which refuses prototype-poisoning keys), but names a
 * refused key instead of Fastify's "Body is not valid JSON": the JSON is valid, the key is not allowed.
 * The bytes are read as text first: UTF-8 only outside ingest (text-checks.ts says why).
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const strict = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  // No bodyLimit here: Fastify applies the instance's (and each route's own) as for its default parser.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const bytes = body as Buffer;
    // Many clients send Content-Type: application/json on every request, a DELETE's too: nothing
    // sent is no body, as without the header, and a route that needs one says so (missingBodyError).
    if (isBlank(bytes)) {
      done(null, undefined);
      return;
    }
    const charset = declaredCharset(request.headers["content-type"]);
    let text: string;
    try {
      text = isIngestRoute(request.routeOptions.schema)
        ? ingestText(bytes, charset)
        : strictUtf8Text(bytes, charset);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    strict(request, text, (err, parsed) => {
      if (err) done(forbiddenKeyError(text) ?? err, undefined);
      else done(null, parsed);
    });
  });
}

/** Why text holding U+0000 is refused, as a field error says it. */
export const NUL_CHARACTER = "must not contain a NUL character";

const NUL = "\u0000";

/** A request with thousands of faulty texts is told about the first few, as a person would fix them. */
export const MAX_TEXT_FAULTS = 20;
/** Why a text cannot be stored as sent, as a field error says it; undefined when it can. */
export type TextFault = (text: string) => string | undefined;

const nulFault: TextFault = (text) => (text.includes(NUL) ? NUL_CHARACTER : undefined);

/**
 * U+0000, which PostgreSQL cannot store (the insert failed as a 500) and SQLite kept invisibly, and an
 * unpaired surrogate, which is no Unicode text: the stores wrote U+FFFD (SQLite three of them) where
 * the answer had said the surrogate, so what was stored was not what the 201 said.
 */
export const unstorableTextFault: TextFault = (text) => {
  if (text.includes(NUL)) return NUL_CHARACTER;
  if (text.isWellFormed()) return undefined;
  const unit = firstUnpairedSurrogate(text);
  return unit === undefined ? undefined : unpairedSurrogateMessage(unit);
};

/**
 * The field errors of the strings and object keys in a value that `faultOf` finds fault with (a key
 * names itself, and its value is not looked into), breadth first as findForbiddenKey walks, at most
 * `limit`. A string value is "/" itself.
 */
export function findTextFaults(
  value: unknown,
  limit = MAX_TEXT_FAULTS,
  faultOf: TextFault = unstorableTextFault,
): FieldError[] {
  if (limit <= 0) return [];
  if (typeof value === "string") {
    const message = faultOf(value);
    return message === undefined ? [] : [{ path: pointer([]), message }];
  }
  if (typeof value !== "object" || value === null) return [];
  const found: FieldError[] = [];
  let next: Visit[] = [{ node: value, parent: undefined, key: "" }];
  while (next.length > 0) {
    const visits = next;
    next = [];
    for (const visit of visits)
      for (const [key, child] of Object.entries(visit.node)) {
        const message = faultOf(key) ?? (typeof child === "string" ? faultOf(child) : undefined);
        if (message !== undefined) {
          found.push({ path: pointer([...pathOf(visit), key]), message });
          if (found.length >= limit) return found;
        } else if (typeof child === "object" && child !== null)
          next.push({ node: child, parent: visit, key });
      }
  }
  return found;
}

/** The pointers of the strings and object keys in a value that hold U+0000, as findTextFaults finds them. */
export const findNulCharacters = (value: unknown, limit = MAX_TEXT_FAULTS): string[] =>
  findTextFaults(value, limit, nulFault).map((fault) => fault.path);

/** What a request carries, by where its field errors say it came from (as validation-wording names them). */
export interface RequestParts {
  readonly params?: unknown;
  readonly querystring?: unknown;
  readonly body?: unknown;
}

/** A field error for each text in the request that cannot be stored: the path, then the query, then the body. */
export function textFaultFields(parts: RequestParts): FieldError[] {
  const fields: FieldError[] = [];
  for (const [where, value] of [
    ["params ", parts.params],
    ["querystring ", parts.querystring],
    ["", parts.body],
  ] as const)
    for (const fault of findTextFaults(value, MAX_TEXT_FAULTS - fields.length))
      fields.push({ ...fault, path: `${where}${fault.path}` });
  return fields;
}

/**
 * The 400 for text that cannot be stored. `errors[]` keeps each exact pointer; the detail shows a NUL
 * inside a key's name as ␀ (U+2400) and an unpaired surrogate as U+FFFD, so the sentence itself
 * carries neither to a log or a terminal.
 */
export function textFaultError(fields: readonly FieldError[]): AppError {
  const shown = fields.map((f) => ({ ...f, path: f.path.replaceAll(NUL, "\u2400").toWellFormed() }));
  return new AppError("VALIDATION", fieldErrorsSentence(shown), { fields });
}
/**
 * Refuses U+0000 and unpaired surrogates in the body, query and path parameters of every request
 * before its route runs, as one 400 naming each field, on both stores alike. Ingest routes clean
 * them instead (isIngestRoute).
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    if (isIngestRoute(request.routeOptions.schema)) return;
    const { params, query, body } = request;
    const fields = textFaultFields({ params, querystring: query, body });
    if (fields.length > 0) throw textFaultError(fields);
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
