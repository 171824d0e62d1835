// A Delete button that asks first. A refusal (the server's 409 names what is in the way, such as the
// services that use a policy) stays in the dialog, in the server's words, so the admin knows what to do.
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "./dialog";
import { FormError, useSubmission } from "./forms";

interface DeleteButtonProps {
  /** The thing's name, for the dialog's title and for screen readers on the button. */
  name: string;
  /** What deleting it does (and keeps). */
  children: ReactNode;
  /** Deletes it; the caller then updates its list or leaves the page. */
  onDelete(): Promise<void>;
  /** The button's text; "Delete" by default. */
  label?: string;
  className?: string;
}

export function DeleteButton({ name, children, onDelete, label, className }: DeleteButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const removal = useSubmission([]);
  return (
    <>
      <button
        type="button"
        className={className ?? "button button-danger-quiet button-small"}
        onClick={() => setConfirming(true)}
      >
        {label ?? "Delete"}
        {!label && <span className="visually-hidden"> {name}</span>}
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Delete"
        danger
        busy={removal.busy}
        onConfirm={() =>
          void removal.run(async () => {
            await onDelete();
            setConfirming(false);
          })
        }
        onCancel={() => {
          setConfirming(false);
          removal.reset();
        }}
      >
        {children}
        <FormError message={removal.error} />
      </ConfirmDialog>
    </>
  );
}
