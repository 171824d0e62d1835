import type { FastifyInstance } from "fastify";
import { type AppError, validationError } from "../core/errors.js";

/** JSON Pointer (RFC 6901) of a key path, as the rest of the API names fields. */
const pointer = (keys: readonly string[]) =>
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

/**
 * Parses JSON bodies with Fastify's own parser (which refuses prototype-poisoning keys), but names a
 * refused key instead of Fastify's "Body is not valid JSON": the JSON is valid, the key is not allowed.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const strict = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  // No bodyLimit here: Fastify applies the instance's (and each route's own) as for its default parser.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    strict(request, body as string, (err, parsed) => {
      if (err) done(forbiddenKeyError(body as string) ?? err, undefined);
      else done(null, parsed);
    });
  });
}
