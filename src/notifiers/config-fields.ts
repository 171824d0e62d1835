import { validationError, type FieldError } from "../core/errors.js";

/**
 * Reads a channel's settings field by field, collecting every problem, then throws one
 * VALIDATION AppError whose `fields` name them (`/config/url`). Messages never repeat the value:
 * a rejected webhook URL is still a secret. `F` is the kind's field names
 * (core/notifications/config-field-names.ts), the only ones a save accepts: a parser reads no other.
 * Keys beyond them are ignored here, so a stored config that has one keeps sending.
 */
export class ConfigFields<F extends string = string> {
  readonly errors: FieldError[] = [];
  private readonly record: Readonly<Record<string, unknown>>;
  private readonly isObject: boolean;

  constructor(raw: unknown) {
    this.isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
    this.record = this.isObject ? (raw as Record<string, unknown>) : {};
    if (!this.isObject) this.errors.push({ path: "/config", message: "must be an object" });
  }

  fail(field: F | "", message: string): void {
    // "must be an object" already says it all; every field would be "required" too
    if (!this.isObject) return;
    this.errors.push({ path: field === "" ? "/config" : `/config/${field}`, message });
  }

  has(field: F): boolean {
    return this.record[field] !== undefined && this.record[field] !== null;
  }

  /** A non-empty string (trimmed); "" after recording the error when it is missing or not text. */
  requiredString(field: F, maxChars = 2000): string {
    const value = this.record[field];
    if (value === undefined || value === null || value === "") {
      this.fail(field, `is required${this.otherCase(field)}`);
      return "";
    }
    return this.checkString(field, value, maxChars) ?? "";
  }

  optionalString(field: F, maxChars = 2000): string | undefined {
    const value = this.record[field];
    if (value === undefined || value === null || value === "") return undefined;
    return this.checkString(field, value, maxChars);
  }

  /** An absolute http(s) URL without user info (fetch refuses those; put credentials in their own field). */
  requiredHttpUrl(field: F): string {
    const value = this.requiredString(field, 3000);
    return value === "" ? "" : this.checkHttpUrl(field, value);
  }

  optionalHttpUrl(field: F): string | undefined {
    const value = this.optionalString(field, 3000);
    return value === undefined ? undefined : this.checkHttpUrl(field, value);
  }

  /** One of `allowed`, or undefined after recording the error. */
  oneOf<T extends string>(field: F, allowed: readonly T[]): T | undefined {
    const value = this.record[field];
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(
      field,
      value === undefined ? "is required" : `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
    );
    return undefined;
  }

  raw(field: F): unknown {
    return this.record[field];
  }

  /** Throws the collected problems, if any. */
  done(): void {
    if (this.errors.length > 0) throw validationError(this.errors);
  }

  /** Throws the collected problems; for when reading on makes no sense (an unknown mode). */
  rejected(): never {
    throw validationError(this.errors);
  }

  /** "URL" sent for "url": named, since only a missing field would be reported otherwise. */
  private otherCase(field: string): string {
    const typed = Object.keys(this.record).find(
      (k) => k !== field && k.toLowerCase() === field.toLowerCase(),
    );
    return typed === undefined
      ? ""
      : ` (this config has ${JSON.stringify(typed)}: field names are case-sensitive)`;
  }

  private checkString(field: F, value: unknown, maxChars: number): string | undefined {
    if (typeof value !== "string") {
      this.fail(field, "must be a string");
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === "") {
      this.fail(field, "is required");
      return undefined;
    }
    if (trimmed.length > maxChars) {
      this.fail(field, `must be at most ${maxChars} characters`);
      return undefined;
    }
    return trimmed;
  }

  private checkHttpUrl(field: F, value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.fail(field, "must be an absolute http or https URL");
      return "";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      this.fail(field, "must be an http or https URL");
      return "";
    }
    if (url.username !== "" || url.password !== "") {
      this.fail(field, "must not contain a user name or password");
      return "";
    }
    return value;
  }
}
