import type { FieldError } from "../errors.js";

/** A profile phone as people write it: optional leading +, then digits, spaces, dashes, dots, parentheses. */
const PHONE_SHAPE = /^\+?[\d ().-]+$/;
export const MAX_PHONE_LENGTH = 32;

/** What to store for a phone someone typed: trimmed, and null for "" (a form's way to clear it). */
export function storedPhone(phone: string | null): string | null {
  const trimmed = phone?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/** The phone after a change: `undefined` (not in the change) keeps the current one. */
export const phoneAfter = (
  current: string | null | undefined,
  input: string | null | undefined,
): string | null => (input === undefined ? (current ?? null) : storedPhone(input));

// E.164 caps a number at 15 digits; 7 is the shortest number worth dialling at 3 am.
export function checkPhone(phone: string | null | undefined, path = "/phone"): FieldError[] {
  if (phone === undefined) return [];
  const stored = storedPhone(phone);
  if (stored === null) return [];
  const digits = stored.replace(/\D/g, "").length;
  const fits = stored.length <= MAX_PHONE_LENGTH && PHONE_SHAPE.test(stored) && digits >= 7 && digits <= 15;
  return fits ? [] : [{ path, message: "must be a phone number such as +49 30 1234567" }];
}
