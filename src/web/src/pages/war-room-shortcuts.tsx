// The war room's keyboard: one letter per common action, never while typing or with a dialog open,
// and `?` for the list of keys.
import { useEffect, useId, useRef } from "react";

export interface Shortcut {
  key: string;
  label: string;
  /** False: the key does nothing now (not allowed, or nothing to act on). */
  enabled: boolean;
  run(): void;
}

/** Keys typed into a field, with a modifier, or while a dialog is open are not shortcuts. */
export function isShortcut(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return false;
  const target = event.target as HTMLElement | null;
  if (target?.closest("input, textarea, select, [contenteditable='true'], dialog")) return false;
  return document.querySelector("dialog[open]") === null;
}

/** Listens for `shortcuts` on the whole page while mounted; the latest handlers always run. */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const current = useRef(shortcuts);
  useEffect(() => {
    current.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcut(event)) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const shortcut = current.current.find((s) => s.key === key && s.enabled);
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/** Brings a field into view and puts the cursor in it: what t, f and u do. */
export function focusField(fieldId: string): boolean {
  const field = document.getElementById(fieldId);
  if (!field) return false;
  field.scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
  return true;
}

export function ShortcutHelp(props: { open: boolean; shortcuts: readonly Shortcut[]; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>Keyboard shortcuts</h2>
      <p className="muted">They work anywhere on the incident page except while you type in a field.</p>
      <dl className="shortcut-list">
        {props.shortcuts.map((s) => (
          <div key={s.key} className={s.enabled ? undefined : "muted"}>
            <dt>
              <kbd>{s.key}</kbd>
            </dt>
            <dd>
              {s.label}
              {!s.enabled && " (not available now)"}
            </dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
