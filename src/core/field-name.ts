import type { FieldError } from "./errors.js";

const LOCATIONS: Record<string, string> = {
  querystring: "query parameter ",
  params: "path parameter ",
  headers: "header ",
};
const ROOTS: Record<string, string> = {
  querystring: "the query string",
  params: "the path",
  headers: "the headers",
};

/**
 * A field error's path as a person reads it: `/name` is "name", `/steps/0/delayMinutes` is
 * "steps[0].delayMinutes", `querystring /limit` is "query parameter limit", `/` is "the request body".
 * A path that is no pointer (`FIREBREAK_ADMIN_EMAIL`) is a name already: read as "the request body",
 * it hid which field was at fault.
 */
export function fieldName(path: string): string {
  const match = /^(?:(\w+) )?(\/.*)$/.exec(path);
  if (!match) return path === "" ? "the request body" : path;
  const [, context = "", pointer = path] = match;
  const segments = pointer
    .split("/")
    .slice(1)
    .filter((s) => s !== "")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (segments.length === 0) return ROOTS[context] ?? "the request body";
  const name = segments.reduce(
    (out, s, i) => (/^\d+$/.test(s) ? `${out}[${s}]` : i === 0 ? s : `${out}.${s}`),
    "",
  );
  return `${LOCATIONS[context] ?? ""}${name}`;
}

// Messages that read on from the field's name ("name is required"); any other is set after a colon.
const READS_ON = /^(must|is|are|needs|can|can't|cannot|has|have|should|was|may)\b/;

/**
 * Field errors as one line a person reads: "name is required; end must be after start". A sentence said
 * already is not said again (two checks may find the same fault).
 */
export const fieldErrorsSentence = (errors: readonly FieldError[]): string =>
  [
    ...new Set(errors.map((e) => `${fieldName(e.path)}${READS_ON.test(e.message) ? " " : ": "}${e.message}`)),
  ].join("; ");
