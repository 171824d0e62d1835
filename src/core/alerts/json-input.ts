import type { FieldError } from "../errors.js";

/**
 * Helpers for reading untrusted, already-parsed JSON without throwing: own-property reads only (so a
 * `__proto__` or `constructor` key is data, never the prototype), and error paths that name the field.
 */
export type JsonObject = Record<string, unknown>;

/** At most this many problems are reported per body; the rest are counted in one last line. */
export const MAX_REPORTED_ERRORS = 100;

/** A plain JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `object[key]` if it is the object's own property, else undefined. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Absent in the sense of JSON: missing or null. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** The path of the body itself, as the API's field errors name it ("the request body"). */
export const ROOT_PATH = "/";

/**
 * The JSON Pointer (RFC 6901) of `key` inside `base` ("" is the body): `/alerts/2/labels`, as every
 * field error of the API carries it and `fieldName` reads it ("alerts[2].labels"). A key longer than
 * 64 characters is cut, so that a hostile key is not echoed back whole.
 */
export function fieldPath(base: string, key: string | number): string {
  const shown = typeof key === "number" ? String(key) : key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return `${base}/${shown.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/** A field error at `path` (a pointer from `fieldPath`, or `ROOT_PATH`). */
export const fieldError = (path: string, message: string): FieldError => ({
  path: path || ROOT_PATH,
  message,
});

export type StringMapResult =
  | { readonly ok: true; readonly map: Record<string, string> }
  | { readonly ok: false; readonly error: FieldError };

/**
 * Reads an object whose values are all strings (labels, annotations). The result is a fresh object
 * built with own data properties only, so keys like `__proto__` stay ordinary keys.
 */
export function readStringMap(value: unknown, path: string): StringMapResult {
  if (!isJsonObject(value)) return { ok: false, error: fieldError(path, "must be an object of strings") };
  const map: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (typeof item !== "string")
      return { ok: false, error: fieldError(fieldPath(path, key), "must be a string") };
    setOwn(map, key, item);
  }
  return { ok: true, map };
}

/** `readStringMap`, with a missing or null value read as the empty map. */
export function readOptionalStringMap(value: unknown, path: string): StringMapResult {
  return isAbsent(value) ? { ok: true, map: {} } : readStringMap(value, path);
}

/** The string `value` trimmed, or null when it is not a string or holds only whitespace. */
export function nonBlankString(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * Caps a list of problems so that a body of ten thousand bad items does not answer with ten thousand
 * lines; the rest are counted in one last error about the body ("the request body has 150 more errors").
 */
export function limitErrors(errors: readonly FieldError[]): FieldError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return [...errors];
  const more = errors.length - MAX_REPORTED_ERRORS;
  return [
    ...errors.slice(0, MAX_REPORTED_ERRORS),
    fieldError(ROOT_PATH, `has ${more} more error${more === 1 ? "" : "s"}`),
  ];
}

/** Copies the entries whose value is not undefined, so details never carry `key: undefined`. */
export function definedEntries(record: Record<string, unknown>): Record<string, unknown> {
  const defined: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (record[key] !== undefined) setOwn(defined, key, record[key]);
  return defined;
}

/**
 * `object[key] = value` as an own data property, as Object.fromEntries sets it: a `__proto__` key
 * becomes an ordinary key instead of replacing the object's prototype. (A loop with this allocates
 * less than `Object.fromEntries(Object.entries(…))`, which builds an array per entry.)
 */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__")
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
