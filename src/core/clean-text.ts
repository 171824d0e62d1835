/**
 * The one cleaner for text that people and alert sources wrote, before Firebreak shows it elsewhere
 * (a notification, a Slack reply): what would hide or reorder words is dropped, what would forge a
 * line of ours is flattened. Notifiers and HTTP routes share it, so every channel follows one policy.
 */

/** C0 and C1 control characters and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Unicode bidi controls (marks, embeddings, overrides, isolates): invisible, but they reorder the text
 * around them, so alert text could make a title or "Acknowledge" read as something else (Trojan
 * Source, CVE-2021-42574). They are dropped, not replaced by a space.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Invisible characters that only hint at layout: soft hyphen, Mongolian vowel separator, zero-width
 * space, word joiner and the invisible math operators, BOM. Inside text they hide a word from the
 * reader's eye and from search ("Dis\u200bk full"). ZWNJ and ZWJ (U+200C, U+200D) stay: Persian,
 * Indic scripts and emoji sequences (👨‍👩‍👧 is three emoji joined by ZWJ) need them to read right.
 */
export const INVISIBLE_FORMATTING = /[\u00ad\u180e\u200b\u2060-\u2064\ufeff]+/g;

/** Text with what hides or reorders words dropped, nothing else changed (line breaks stay). */
const withoutHiddenCharacters = (text: string): string =>
  text.replace(BIDI_CONTROLS, "").replace(INVISIBLE_FORMATTING, "");

/**
 * Text as one line: bidi controls dropped, control characters and runs of whitespace one space, no
 * space at either end. What a receiver's answer (sanitizeSnippet) becomes.
 */
export const oneLine = (text: string): string =>
  text.replace(BIDI_CONTROLS, "").replace(CONTROL_CHARACTERS, " ").replace(/\s+/g, " ").trim();

/** Titles and labels: one line, no control characters, no bidi or invisible formatting. */
export const singleLine = (text: string): string => oneLine(text.replace(INVISIBLE_FORMATTING, ""));

// Every way text can break a line; the other control characters are dropped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;

/**
 * Multi-line text (a description, a stack trace, a timeline note) as lines with no control
 * characters, bidi controls or invisible formatting, blank lines at either end dropped. Renderers
 * indent all but the first, so an annotation cannot forge a line of ours ("Acknowledge: https://…").
 */
export function textLines(text: string): string[] {
  const lines = withoutHiddenCharacters(text)
    .split(LINE_BREAKS)
    .map((line) => line.replace(CONTROL_CHARACTERS, " ").trimEnd());
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Multi-line text as one string: textLines joined, with no blank edge or leading space. */
export const multilineText = (text: string): string => textLines(text).join("\n").trim();

/** Each line break (CRLF as one) and tab, where a terminal would start a line or jump a column. */
const TERMINAL_BREAKS = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;

/** What a terminal obeys rather than shows: ESC starts colours, cursor moves and screen clears. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from others as one line on a terminal (the CLI's tables and messages): line breaks and tabs a
 * space each, every other control character U+FFFD, bidi controls and invisible formatting dropped.
 * Nothing is trimmed or merged (unlike singleLine), so a name with a control character in it shows
 * that it has one instead of looking like the name without it.
 */
export const terminalText = (text: string): string =>
  withoutHiddenCharacters(text).replace(TERMINAL_BREAKS, " ").replace(TERMINAL_CONTROLS, "\ufffd");
