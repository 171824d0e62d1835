import type { FastifyInstance } from "fastify";

/** Form posts (HTML forms, Slack interactions) are small. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Accepts `application/x-www-form-urlencoded` bodies in this (encapsulated) scope only, keeping the raw
 * string: Slack signs the exact bytes, and the rest of the API stays JSON-only.
 */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );
}
