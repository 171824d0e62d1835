import type { FieldError } from "./errors.js";

/**
 * What shows nothing on its own: whitespace and separators, control and format characters (zero-width
 * space, word joiner, BOM, bidi controls, ZWJ), combining marks with no letter to sit on, and the
 * Hangul fillers that render as blank. A name made only of these reads as empty in every list.
 */
const SHOWS_NOTHING = /[\s\p{Z}\p{Cc}\p{Cf}\p{M}\u115f\u1160\u3164\uffa0]/gu;

/**
 * Whether text has a character a reader can see. ZWJ inside an emoji sequence ("👩‍💻 oncall") is
 * fine: the emoji around it are visible.
 */
export const hasVisibleCharacters = (text: string): boolean => text.replace(SHOWS_NOTHING, "").length > 0;

/**
 * A name that is not empty or blank but has nothing to see (only U+200B, only combining marks): the
 * refusal at its field. Empty and whitespace-only names keep their own checks and wording.
 */
export function checkVisibleName(name: string, path = "/name"): FieldError[] {
  if (typeof name !== "string" || name.trim() === "" || hasVisibleCharacters(name)) return [];
  return [
    { path, message: "has no visible characters: it is made only of invisible or combining characters" },
  ];
}
