/**
 * Names in a sentence, with their noun: "service a", "services a and b", "services a, b and c".
 * For refusals that say what is in the way.
 */
export function namedList(singular: string, plural: string, names: readonly string[]): string {
  if (names.length === 1) return `${singular} ${names[0]}`;
  return `${plural} ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
