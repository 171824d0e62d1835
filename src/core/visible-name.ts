import type { FieldError } from "./errors.js";

/** The longest name of a record people pick by name (service, integration, team, schedule, policy, person). */
export const MAX_NAME_LENGTH = 200;

/**
 * What shows nothing on its own: whitespace and separators, control and format characters (zero-width
 * space, word joiner, BOM, bidi controls, ZWJ), combining marks with no letter to sit on, and the
 * Hangul fillers that render as blank. A name made only of these reads as empty in every list.
 */
const SHOWS_NOTHING = /[\s\p{Z}\p{Cc}\p{Cf}\p{M}\u115f\u1160\u3164\uffa0]/gu;

/**
 * What a name may not hold at all: C0/C1 controls (NUL, ESC of a terminal colour, newline, tab), line
 * and paragraph separators, and the bidi controls that make "gpj.exe" read as "exe.jpg". The CLI prints
 * names and Slack and email show them, where these break lines, recolour terminals or reorder text.
 * ZWJ and ZWNJ stay: emoji sequences and Persian need them.
 */
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Whether text has a character a reader can see. ZWJ inside an emoji sequence ("👩‍💻 oncall") is
 * fine: the emoji around it are visible.
 */
export const hasVisibleCharacters = (text: string): boolean => text.replace(SHOWS_NOTHING, "").length > 0;

/** "U+001B at position 2": the first control character of the trimmed name, counted from 1 in characters. */
function firstControlCharacter(trimmed: string): string | undefined {
  const characters = [...trimmed];
  const index = characters.findIndex((ch) => CONTROL_CHARACTER.test(ch));
  if (index < 0) return undefined;
  const code = characters[index]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at position ${index + 1}`;
}

/**
 * A name that is not empty or blank but holds a control character or has nothing to see (only U+200B,
 * only combining marks): the refusal at its field. Surrounding whitespace is trimmed before the check,
 * as every caller stores the name trimmed. Empty and whitespace-only names keep their own checks and wording.
 */
export function checkVisibleName(name: string, path = "/name"): FieldError[] {
  if (typeof name !== "string" || name.trim() === "") return [];
  const control = firstControlCharacter(name.trim());
  if (control !== undefined)
    return [{ path, message: `must not contain control characters (found ${control})` }];
  if (hasVisibleCharacters(name)) return [];
  return [
    { path, message: "has no visible characters: it is made only of invisible or combining characters" },
  ];
}

/**
 * The whole check of a record's name, for the records that have no wording of their own: 1 to
 * MAX_NAME_LENGTH characters once trimmed, then checkVisibleName.
 */
export function checkName(name: string, path = "/name"): FieldError[] {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH)
    return [{ path, message: `must be 1 to ${MAX_NAME_LENGTH} characters` }];
  return checkVisibleName(trimmed, path);
}
