/**
 * Sent with every answer of Firebreak's HTTP API. The CLI takes a 2xx as Firebreak's only with it:
 * any other JSON server on the wrong port (8080 is a busy one) answers 200 too.
 */
export const FIREBREAK_API_HEADER = "x-firebreak-api";
