// The server's schema check speaks in its validator's words ("must NOT have more than 200
// characters"); these rules say the same in the words the rest of the console uses.

const RULES: ReadonlyArray<[RegExp, (...groups: string[]) => string]> = [
  [/must NOT have fewer than 1 characters?/, () => "must not be empty"],
  [/must NOT have more than (\d+) characters?/, (n = "") => `must be at most ${n} characters`],
  [/must NOT have fewer than (\d+) characters?/, (n = "") => `must be at least ${n} characters`],
  [/must NOT have more than (\d+) items?/, (n = "") => `must have at most ${n} entries`],
  [/must NOT have fewer than (\d+) items?/, (n = "") => `must have at least ${n} entries`],
  [/must be >= (-?[\d.]+)/, (n = "") => `must be at least ${n}`],
  [/must be <= (-?[\d.]+)/, (n = "") => `must be at most ${n}`],
  [/must be > (-?[\d.]+)/, (n = "") => `must be more than ${n}`],
  [/must be < (-?[\d.]+)/, (n = "") => `must be less than ${n}`],
  [/must be integer/, () => "must be a whole number"],
  [/must be number/, () => "must be a number"],
  [/must be string/, () => "must be text"],
  [/must be boolean/, () => "must be yes or no"],
  [/must match pattern "[^"]*"/, () => "is not in the expected form"],
  [/must match format "([^"]+)"/, (f = "") => `must be a valid ${f}`],
  [/must be equal to one of the allowed values/, () => "is not one of the choices"],
];

/** A validator message (or a detail made of several) in plain words; other text is left as it is. */
export function plainWords(message: string): string {
  return RULES.reduce(
    (text, [pattern, say]) =>
      // The replacer gets the match, the groups, then the offset and the whole text.
      text.replace(new RegExp(pattern.source, "g"), (_match, ...rest: unknown[]) =>
        say(...(rest.slice(0, -2) as string[])),
      ),
    message,
  );
}
