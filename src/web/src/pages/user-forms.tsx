// The forms of Settings → Users: adding a user, and an admin setting someone's password.
import { useState, type FormEvent } from "react";
import { api, type Role, type User } from "../api";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, RoleSelect, useSubmission } from "../forms";

export function AddUserForm({ onSubmitting, onAdded }: { onSubmitting(): void; onAdded(user: User): void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("responder");
  const [password, setPassword] = useState("");
  const submission = useSubmission(["email", "name", "role", "password"], {
    conflictField: "email",
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      const user = await api.createUser({ email, name, role, password });
      setEmail("");
      setName("");
      setPassword("");
      onAdded(user);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-user">
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={submission.fields.email}
        />
        <Field
          label="Name"
          autoComplete="off"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={submission.fields.name}
        />
      </div>
      <div className="form-row">
        <RoleSelect
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          error={submission.fields.role}
        />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={submission.fields.password}
          hint="At least 10 characters. Share it privately; they can change it under My account."
        />
      </div>
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Adding…" : "Add user"}
      </button>
    </form>
  );
}

interface SetPasswordDialogProps {
  user: User | undefined;
  onDone(user: User): void;
  onCancel(): void;
}

/** An admin's password reset. The server signs the person out everywhere. */
export function SetPasswordDialog({ user, onDone, onCancel }: SetPasswordDialogProps) {
  const [password, setPassword] = useState("");
  const submission = useSubmission(["password"]);

  const close = () => {
    setPassword("");
    submission.reset();
    onCancel();
  };

  const confirm = (_event: FormEvent) => {
    if (!user) return;
    void submission.run(async () => {
      const updated = await api.updateUser(user.id, { password });
      setPassword("");
      onDone(updated);
    });
  };

  return (
    <ConfirmDialog
      open={user !== undefined}
      title={user ? `Set a new password for ${user.name}` : "Set a new password"}
      confirmLabel="Set password"
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={close}
    >
      <p>They will be signed out everywhere and must sign in with the new password.</p>
      <FormError message={submission.error} />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={submission.fields.password}
        hint="At least 10 characters."
      />
    </ConfirmDialog>
  );
}
