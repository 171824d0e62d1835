/** `T` with every Date turned into its ISO string, as the JSON responses carry instants. */
export type IsoDates<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? IsoDates<U>[]
    : T extends object
      ? { [K in keyof T]: IsoDates<T[K]> }
      : T;

/**
 * Turns Date values into ISO strings, deeply, before a response is serialised; the schemas declare
 * instants as `date-time` strings and the app hands out Date objects.
 */
export function withIsoDates<T>(value: T): IsoDates<T> {
  return convert(value) as IsoDates<T>;
}

function convert(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(convert);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
  }
  return value;
}
