import { isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";
import { singleLine } from "../core/clean-text.js";
import { type AppError, validationError } from "../core/errors.js";

declare global {
  // ES2024, which Node 20 has; the project's lib is ES2023.
  interface String {
    /** False when the string holds a surrogate that is not half of a pair. */
    isWellFormed(): boolean;
    /** The string with each unpaired surrogate replaced by U+FFFD. */
    toWellFormed(): string;
  }
}

/**
 * The charset parameter of a Content-Type header as sent (unquoted), or undefined when it has none:
 * `application/json; charset="UTF-8"` is "UTF-8".
 */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !contentType.includes("=")) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** UTF-8 by any of the names senders give it. */
export const isUtf8Charset = (charset: string): boolean => /^utf-?8$/i.test(charset);

/** A 415 for a body declared in a charset other than UTF-8, mapped by problem.ts like Fastify's own. */
export class UnsupportedCharsetError extends Error {
  readonly statusCode = 415;
  readonly code = "FIREBREAK_UNSUPPORTED_CHARSET";

  constructor(charset: string) {
    // Echoed back: one clean line, and not at any length.
    const named = singleLine(charset);
    const shown = named.length > 40 ? `${named.slice(0, 40)}…` : named;
    super(
      `the body's charset=${shown} is not supported; send the body as UTF-8 (Content-Type: application/json, or application/json; charset=utf-8)`,
    );
  }
}

/**
 * Where the first ill-formed sequence of UTF-8 starts, by the table of well-formed byte sequences
 * (Unicode 15, table 3-7): no overlong forms, no encoded surrogates, nothing past U+10FFFF. -1 when
 * there is none. Only run on a body `isUtf8` refused, to name the byte; `isUtf8` is the fast check.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    // The second byte has the lead's own range; the others any continuation byte.
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** The 400 for a body that is not UTF-8, naming where its first bad byte is. */
export function invalidUtf8Error(bytes: Uint8Array): AppError {
  const at = invalidUtf8Offset(bytes);
  const where =
    at < 0 ? "" : ` at byte offset ${at} (0x${bytes[at]!.toString(16).toUpperCase().padStart(2, "0")})`;
  return validationError([{ path: "/", message: `is not valid UTF-8${where}; send the body as UTF-8` }]);
}

/**
 * A JSON body's text, read as UTF-8 only (RFC 8259): a declared charset other than UTF-8 is a 415
 * and bytes that are not UTF-8 a 400. Decoding them as U+FFFD stored text that nobody sent.
 */
export function strictUtf8Text(bytes: Buffer, charset: string | undefined): string {
  if (charset !== undefined && !isUtf8Charset(charset)) throw new UnsupportedCharsetError(charset);
  if (!isUtf8(bytes)) throw invalidUtf8Error(bytes);
  return bytes.toString("utf8");
}

/**
 * The byte order of a body that is UTF-16, or undefined when it is not: a byte order mark says it,
 * else the zero byte of its first character, which in JSON is ASCII (RFC 4627, section 3).
 */
export function utf16ByteOrder(bytes: Uint8Array): "le" | "be" | undefined {
  if (bytes.length < 2) return undefined;
  const [first, second] = [bytes[0]!, bytes[1]!];
  if ((first === 0xff && second === 0xfe) || (first !== 0 && second === 0)) return "le";
  if ((first === 0xfe && second === 0xff) || (first === 0 && second !== 0)) return "be";
  return undefined;
}

/** A decoder for a charset the WHATWG Encoding Standard names (latin1, shift_jis, …), else undefined. */
function decoderFor(charset: string): TextDecoder | undefined {
  try {
    return new TextDecoder(charset);
  } catch {
    return undefined;
  }
}

/**
 * Text in a declared charset other than UTF-8, as an ingest route reads it: whatever the label, the
 * bytes decide, so a mislabelled UTF-8 body (the usual case) is still read as UTF-8. UTF-16 is found
 * by its zero bytes; another known charset decodes a body that is not UTF-8; else it is UTF-8 with
 * U+FFFD for what is not. The decoders turn what they cannot read into U+FFFD too.
 */
function textInDeclaredCharset(bytes: Buffer, charset: string): string {
  if (/^(utf-?16|ucs-?2|unicode)/i.test(charset)) {
    const order = utf16ByteOrder(bytes);
    if (order !== undefined) return new TextDecoder(`utf-16${order}`).decode(bytes);
  } else if (!isUtf8(bytes)) {
    const decoder = decoderFor(charset);
    if (decoder !== undefined) return decoder.decode(bytes);
  }
  return bytes.toString("utf8");
}

/**
 * `\u0000` and escapes of unpaired surrogates: the JSON text that makes a string no database stores as
 * parsed. An escaped backslash and a surrogate pair are matched only to be kept, so that a `\\u0000`
 * (backslash, "u0000") and the halves of a pair are never taken for one.
 */
const UNSTORABLE_ESCAPE =
  /\\(?:\\|u(?:0000|[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|[dD][c-fC-F][0-9a-fA-F]{2}))/g;
/**
 * Whether UNSTORABLE_ESCAPE may match: `\u0000` or `\uD800`-`\uDFFF`. By indexOf, as a regular
 * expression took four times as long over Alertmanager's bodies (Go writes each & as \u0026).
 */
function mayHoldUnstorableEscape(json: string): boolean {
  for (let at = json.indexOf("\\u"); at !== -1; at = json.indexOf("\\u", at + 2)) {
    const first = json.charCodeAt(at + 2);
    if (first === 0x30 /* 0 */ && json.startsWith("000", at + 3)) return true;
    if ((first | 0x20) === 0x64 /* d or D */) {
      const second = json.charCodeAt(at + 3) | 0x20;
      if (second === 0x38 || second === 0x39 || (second >= 0x61 && second <= 0x66)) return true;
    }
  }
  return false;
}

/** The length of `\uXXXX`: an escaped backslash (2) or a pair (12) is kept as it is. */
const ONE_ESCAPE = 6;

/** JSON text with each `\u0000` and unpaired surrogate escape written as `\ufffd` instead. */
export function withStorableEscapes(json: string): string {
  if (!mayHoldUnstorableEscape(json)) return json;
  return json.replace(UNSTORABLE_ESCAPE, (escape) => (escape.length === ONE_ESCAPE ? "\\ufffd" : escape));
}

/**
 * An ingest body's text. Senders retry a refused batch (or drop it), so nothing here refuses: a
 * declared charset is honoured where the bytes bear it out, bad bytes are U+FFFD, and so are U+0000
 * and unpaired surrogates, before the route reads them. Then what is stored, and what an answer echoes
 * (PagerDuty's dedup_key), is the same text. UTF-8 as senders send it costs one decode and one scan.
 */
export function ingestText(bytes: Buffer, charset: string | undefined): string {
  const text =
    charset === undefined || isUtf8Charset(charset)
      ? bytes.toString("utf8")
      : textInDeclaredCharset(bytes, charset);
  return withStorableEscapes(text);
}

/** The first surrogate in text that is not half of a pair, as its code unit, or undefined. */
export function firstUnpairedSurrogate(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return unit;
  }
  return undefined;
}

/** Why text with an unpaired surrogate is refused, as a field error says it, naming the surrogate. */
export const unpairedSurrogateMessage = (unit: number): string =>
  `has an unpaired surrogate (\\u${unit.toString(16)}), which is not valid Unicode text`;
