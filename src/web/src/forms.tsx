// Form pieces shared by every page: labelled fields with their own error, a form-level alert,
// and a hook that runs a submit and sorts the server's complaints onto the right fields.
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { ApiError, messageOf, ROLES, sentence, type FieldError, type Role } from "./api";
import { ROLE_LABEL } from "./session";

/**
 * The server says "must be 1 to 200 characters" of an empty name: true, but "is required" is what
 * the person needs to hear when they left the field empty.
 */
function errorFor(error: string, value: unknown): string {
  const empty = typeof value === "string" && value.trim() === "";
  return empty && /^must be 1 to \d+ characters$/.test(error) ? "is required" : error;
}

/** The ids that tie a control to its hint and error. */
function useDescribed(id: string | undefined, hint: unknown, error: unknown) {
  const auto = useId();
  const controlId = id ?? auto;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  return {
    controlId,
    hintId,
    errorId,
    describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined,
  };
}

function HintAndError(props: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value?: unknown;
  hintId?: string;
  errorId?: string;
}) {
  return (
    <>
      {props.hint && (
        <p className="field-hint" id={props.hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={props.errorId}>
          {sentence(`${props.label} ${errorFor(props.error, props.value)}`)}
        </p>
      )}
    </>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** An input with its label, an optional hint and the error the server gave for it. */
export function Field({ label, error, hint, id, ...input }: FieldProps) {
  const d = useDescribed(id, hint, error);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={d.controlId}>{label}</label>
      <input
        id={d.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...input}
      />
      <HintAndError
        label={label}
        hint={hint}
        error={error}
        value={input.value}
        hintId={d.hintId}
        errorId={d.errorId}
      />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  options: readonly Option[];
  error?: string | undefined;
  hint?: ReactNode;
  hideLabel?: boolean;
}

export function SelectField({ label, options, error, hint, hideLabel, id, ...select }: SelectFieldProps) {
  const d = useDescribed(id, hint, error);
  return (
    <div className={`field${hideLabel ? " field-inline" : ""}${error ? " field-invalid" : ""}`}>
      <label htmlFor={d.controlId} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <select
        id={d.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HintAndError label={label} hint={hint} error={error} hintId={d.hintId} errorId={d.errorId} />
    </div>
  );
}

interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

export function TextAreaField({ label, error, hint, id, ...area }: TextAreaFieldProps) {
  const d = useDescribed(id, hint, error);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={d.controlId}>{label}</label>
      <textarea
        id={d.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={d.describedBy}
        {...area}
      />
      <HintAndError
        label={label}
        hint={hint}
        error={error}
        value={area.value}
        hintId={d.hintId}
        errorId={d.errorId}
      />
    </div>
  );
}

interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: string;
  hint?: ReactNode;
}

export function CheckboxField({ label, hint, id, ...input }: CheckboxFieldProps) {
  const d = useDescribed(id, hint, undefined);
  return (
    <div className="field field-check">
      <input type="checkbox" id={d.controlId} aria-describedby={d.describedBy} {...input} />
      <label htmlFor={d.controlId}>{label}</label>
      {hint && (
        <p className="field-hint" id={d.hintId}>
          {hint}
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

/**
 * The form-level error: announced at once to screen readers. A sighted person who pressed the
 * button at the foot of a long form would not see it, so it comes into view, and the focus goes
 * to the first field to blame (whose error is read out with it).
 */
export function FormError({ message, children }: { message: string | undefined; children?: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const notice = ref.current;
    if (!message || !notice) return;
    const scope = notice.closest("form") ?? notice.parentElement;
    const blamed = scope?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (blamed) return blamed.focus();
    notice.scrollIntoView({ block: "nearest" });
    // A button disabled while busy drops the focus: the notice keeps a keyboard user's place.
    if (!document.activeElement || document.activeElement === document.body) notice.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div ref={ref} className="notice notice-error" role="alert" tabIndex={-1}>
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
  /** Every field error by its whole path (`steps/0/delayMinutes`), for forms with nested fields. */
  paths: Record<string, string>;
  run(action: () => Promise<void>): Promise<void>;
  reset(): void;
  /**
   * Takes back the errors of a field the person has just changed: `steps/0/targets` and every error
   * under it, or with `exact` that path only. Once no field error is left, so goes "Please correct
   * the fields marked below."
   */
  clear(path: string, options?: { exact?: boolean }): void;
}

interface SubmissionOptions {
  /**
   * The field a 409 Conflict is about ("a service named X already exists"): the server names no
   * field for it, and the person should see it next to the name they typed, not only above the form.
   */
  conflictField?: string;
}

interface ShownErrors {
  fields: Record<string, string>;
  paths: Record<string, string>;
  error: string | undefined;
}
const NO_ERRORS: ShownErrors = { fields: {}, paths: {}, error: undefined };
/** The form's error when every fault is at a field: it goes once they are all corrected. */
const CORRECT_FIELDS = "Please correct the fields marked below.";

/** A field-less 409 as an error of `field`: "Name is taken: a service named X already exists." */
function withConflict(err: unknown, field: string | undefined): unknown {
  if (!field || !(err instanceof ApiError) || err.status !== 409 || err.fields.length > 0) return err;
  const fields = [{ path: `/${field}`, message: `is taken: ${err.detail}` }];
  return new ApiError(err.status, err.code, err.detail, fields, err.requestId);
}

/**
 * Runs a submit once at a time. Field errors go to `fields` (keyed `email`, `password`, ...);
 * the detail goes to `error` only when none of the fields named is on this form.
 */
export function useSubmission(knownFields: readonly string[], options: SubmissionOptions = {}): Submission {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError>();
  const [shown, setShown] = useState<ShownErrors>(NO_ERRORS);
  const known = knownFields.join("|");
  const { conflictField } = options;

  const reset = useCallback(() => {
    setFailure(undefined);
    setShown(NO_ERRORS);
  }, []);

  const clear = useCallback((path: string, { exact = false }: { exact?: boolean } = {}) => {
    const hit = (key: string) => key === path || (!exact && key.startsWith(`${path}/`));
    setShown((old) => {
      if (!Object.keys(old.paths).some(hit)) return old;
      const paths = Object.fromEntries(Object.entries(old.paths).filter(([key]) => !hit(key)));
      // Each field's error came from a path under it: it stays while such a path is still shown.
      const under = (name: string) =>
        Object.keys(paths).some((key) => key === name || key.startsWith(`${name}/`));
      const fields = Object.fromEntries(Object.entries(old.fields).filter(([name]) => under(name)));
      const anyLeft = Object.keys(fields).length > 0 || Object.keys(paths).length > 0;
      return { fields, paths, error: old.error === CORRECT_FIELDS && !anyLeft ? undefined : old.error };
    });
  }, []);

  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      reset();
      try {
        await action();
      } catch (thrown) {
        const err = withConflict(thrown, conflictField);
        const names = known.split("|");
        const map = err instanceof ApiError ? err.fieldMap() : {};
        const onForm = Object.fromEntries(Object.entries(map).filter(([name]) => names.includes(name)));
        if (err instanceof ApiError) setFailure(err);
        const leftover = Object.keys(map).some((name) => !names.includes(name));
        const aboutFields = Object.keys(onForm).length > 0 && !leftover;
        setShown({
          fields: onForm,
          paths: err instanceof ApiError ? err.pathMap() : {},
          error: aboutFields ? CORRECT_FIELDS : messageOf(err),
        });
      } finally {
        setBusy(false);
      }
    },
    [known, conflictField, reset],
  );

  const { error, fields, paths } = shown;
  return { busy, error, failure, fields, paths, run, reset, clear };
}

/**
 * A whole number typed into a text field, or a field error thrown for `path` (`/steps/0/delayMinutes`),
 * so a typo is named on its field before anything is sent. Empty text is `null` when allowed.
 */
export function wholeNumber(text: string, path: string, options: { allowEmpty: true }): number | null;
export function wholeNumber(text: string, path: string): number;
export function wholeNumber(text: string, path: string, options?: { allowEmpty: true }): number | null {
  const trimmed = text.trim();
  if (trimmed === "" && options?.allowEmpty) return null;
  // A negative or huge number is a number: the server answers with the field's range, which says
  // more ("99999999" was told "must be a whole number"). Past 15 digits it would lose precision.
  if (/^-?\d{1,15}$/.test(trimmed)) return Number(trimmed);
  throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
    { path, message: "must be a whole number" },
  ]);
}

/**
 * Reads several typed-in numbers before anything is sent, so one error names every field that is
 * wrong, not only the first: `read` answers 0 for a field whose check threw a field error, and
 * `check` throws them all at once.
 */
export function fieldReader() {
  const fields: FieldError[] = [];
  return {
    read(check: () => number): number {
      try {
        return check();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        fields.push(...err.fields);
        return 0;
      }
    },
    check(): void {
      if (fields.length > 0)
        throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", fields);
    },
  };
}
