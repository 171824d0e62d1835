// Form pieces shared by every page: labelled fields with their own error, a form-level alert,
// and a hook that runs a submit and sorts the server's complaints onto the right fields.
import {
  useCallback,
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from "react";
import { ApiError, messageOf, ROLES, sentence, type Role } from "./api";
import { ROLE_LABEL } from "./session";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** An input with its label, an optional hint and the error the server gave for it. */
export function Field({ label, error, hint, id, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {sentence(`${label} ${error}`)}
        </p>
      )}
    </div>
  );
}

interface RoleSelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | undefined;
  /** Roles above this one are not offered. */
  max?: Role;
  /** For tables, where the column header already says what the select is. */
  hideLabel?: boolean;
}

export function RoleSelect({ label, error, id, max = "admin", hideLabel, ...select }: RoleSelectProps) {
  const auto = useId();
  const selectId = id ?? auto;
  const errorId = error ? `${selectId}-error` : undefined;
  const allowed = ROLES.slice(0, ROLES.indexOf(max) + 1);
  return (
    <div className={`field${hideLabel ? " field-inline" : ""}${error ? " field-invalid" : ""}`}>
      <label htmlFor={selectId} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <select id={selectId} aria-invalid={error ? true : undefined} aria-describedby={errorId} {...select}>
        {allowed.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABEL[role]}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error" id={errorId}>
          {sentence(`${label} ${error}`)}
        </p>
      )}
    </div>
  );
}

/** The form-level error: announced at once to screen readers. */
export function FormError({ message, children }: { message: string | undefined; children?: ReactNode }) {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {children}
    </div>
  );
}

export interface Submission {
  busy: boolean;
  /** The form-level message: the server's detail, when no field took the blame. */
  error: string | undefined;
  /** The failed request itself, for pages that react to a status (401 on an expired link). */
  failure: ApiError | undefined;
  fields: Record<string, string>;
  run(action: () => Promise<void>): Promise<void>;
  reset(): void;
}

/**
 * Runs a submit once at a time. Field errors go to `fields` (keyed `email`, `password`, ...);
 * the detail goes to `error` only when none of the fields named is on this form.
 */
export function useSubmission(knownFields: readonly string[]): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<ApiError>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const known = knownFields.join("|");

  const reset = useCallback(() => {
    setError(undefined);
    setFailure(undefined);
    setFields({});
  }, []);

  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      reset();
      try {
        await action();
      } catch (err) {
        const names = known.split("|");
        const map = err instanceof ApiError ? err.fieldMap() : {};
        const onForm = Object.fromEntries(Object.entries(map).filter(([name]) => names.includes(name)));
        setFields(onForm);
        if (err instanceof ApiError) setFailure(err);
        const leftover = Object.keys(map).some((name) => !names.includes(name));
        if (Object.keys(onForm).length === 0 || leftover) setError(messageOf(err));
        else setError("Please correct the fields marked below.");
      } finally {
        setBusy(false);
      }
    },
    [known, reset],
  );

  return { busy, error, failure, fields, run, reset };
}
