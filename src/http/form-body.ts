import type { FastifyInstance } from "fastify";
import { MAX_TEXT_FAULTS, NUL_CHARACTER, pointer, textFaultError } from "./json-body.js";

/** Form posts (HTML forms, Slack interactions) are small. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The fields of a form whose name or value holds U+0000 once decoded (`%00`), named as JSON Pointers.
 * The body stays a string for its route, so the request-wide NUL check (json-body.ts) sees only raw text.
 */
export function formNulCharacterPaths(body: string): string[] {
  if (!body.includes("%00") && !body.includes("\u0000")) return [];
  const paths = new Set<string>();
  for (const [name, value] of new URLSearchParams(body))
    if (name.includes("\u0000") || value.includes("\u0000")) paths.add(pointer([name]));
  return [...paths].slice(0, MAX_TEXT_FAULTS);
}

/**
 * Accepts `application/x-www-form-urlencoded` bodies in this (encapsulated) scope only, keeping the raw
 * string: Slack signs the exact bytes, and the rest of the API stays JSON-only.
 */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const paths = formNulCharacterPaths(body as string);
      if (paths.length > 0)
        done(textFaultError(paths.map((path) => ({ path, message: NUL_CHARACTER }))), undefined);
      else done(null, body);
    },
  );
}
