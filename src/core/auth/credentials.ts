import type { FieldError } from "../errors.js";
import { checkVisibleName } from "../visible-name.js";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

/** Emails are compared case-insensitively; we store them trimmed and lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// Deliberately loose: one "@", something on each side, a dot in the domain. Delivery proves the rest.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const hasControlCharacter = (text: string): boolean =>
  [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

export function checkEmail(email: string, path = "/email"): FieldError[] {
  const normalized = normalizeEmail(email);
  if (normalized.length === 0) return [{ path, message: "is required" }];
  if (normalized.length > 254) return [{ path, message: "must be at most 254 characters" }];
  // Control characters (NUL among them) can never be part of an address, and PostgreSQL refuses NUL.
  if (!EMAIL_SHAPE.test(normalized) || hasControlCharacter(normalized)) {
    return [{ path, message: "must be an email address like name@example.com" }];
  }
  return [];
}

export function checkPassword(password: string, path = "/password"): FieldError[] {
  if (password.length < MIN_PASSWORD_LENGTH)
    return [{ path, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }];
  if (password.length > MAX_PASSWORD_LENGTH)
    return [{ path, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` }];
  return [];
}

export function checkDisplayName(name: string, path = "/name"): FieldError[] {
  const trimmed = name.trim();
  if (trimmed.length === 0) return [{ path, message: "is required" }];
  if (trimmed.length > 200) return [{ path, message: "must be at most 200 characters" }];
  return checkVisibleName(name, path);
}
