// The forms of Settings → Users and My account: adding a user, an admin setting someone's password,
// and a person's phone (their own, or anyone's for an admin).
import { useState, type FormEvent } from "react";
import { api, type Role, type User } from "../api";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, RoleSelect, useSubmission } from "../forms";

export function AddUserForm({ onSubmitting, onAdded }: { onSubmitting(): void; onAdded(user: User): void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("responder");
  const [password, setPassword] = useState("");
  const [phone, setPhone] = useState("");
  const submission = useSubmission(["email", "name", "role", "password", "phone"], {
    conflictField: "email",
  });
  const { clear } = submission;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      const user = await api.createUser({ email, name, role, password, phone });
      setEmail("");
      setName("");
      setPassword("");
      setPhone("");
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
          onChange={(e) => {
            setEmail(e.target.value);
            clear("email");
          }}
          error={submission.fields.email}
        />
        <Field
          label="Name"
          autoComplete="off"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            clear("name");
          }}
          error={submission.fields.name}
        />
      </div>
      <div className="form-row">
        <RoleSelect
          label="Role"
          value={role}
          onChange={(e) => {
            setRole(e.target.value as Role);
            clear("role");
          }}
          error={submission.fields.role}
        />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            clear("password");
          }}
          error={submission.fields.password}
          hint="At least 10 characters. Share it privately; they can change it under My account."
        />
        <PhoneField
          value={phone}
          onChange={(value) => {
            setPhone(value);
            clear("phone");
          }}
          error={submission.fields.phone}
          autoComplete="off"
          hint="Optional. Shown to responders in an incident's Directory, so they can call this person."
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
        onChange={(e) => {
          setPassword(e.target.value);
          submission.clear("password");
        }}
        error={submission.fields.password}
        hint="At least 10 characters."
      />
    </ConfirmDialog>
  );
}

export const PHONE_HINT = "Shown to responders in an incident's Directory, so they can call you.";

/**
 * The profile phone field; an empty field clears the number. Someone else's number takes
 * `autoComplete="off"`, so the browser does not offer the admin's own.
 */
export function PhoneField(props: {
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: string;
  autoComplete?: string;
}) {
  return (
    <Field
      label="Phone"
      type="tel"
      autoComplete={props.autoComplete ?? "tel"}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      error={props.error}
      hint={props.hint ?? PHONE_HINT}
      placeholder="+49 30 1234567"
    />
  );
}

/** My account: the signed-in person's own phone. */
export function MyPhoneForm({
  phone,
  onSaved,
}: {
  phone: string | null;
  onSaved(user: User): Promise<void>;
}) {
  const [value, setValue] = useState(phone ?? "");
  const [saved, setSaved] = useState(false);
  const submission = useSubmission(["phone"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void submission.run(async () => {
      const updated = await api.updateMe({ phone: value });
      setValue(updated.phone ?? "");
      await onSaved(updated);
      setSaved(true);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="My phone">
      {saved && (
        <div className="notice notice-success" role="status">
          <p>{value ? "Your phone is saved." : "Your phone is removed."}</p>
        </div>
      )}
      <FormError message={submission.error} />
      <PhoneField
        value={value}
        onChange={(next) => {
          setValue(next);
          submission.clear("phone");
        }}
        error={submission.fields.phone}
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Saving…" : "Save phone"}
      </button>
    </form>
  );
}

interface SetPhoneDialogProps {
  user: User | undefined;
  onDone(user: User): void;
  onCancel(): void;
}

/**
 * An admin setting someone's phone, for people who cannot or will not do it themselves. Render it
 * with `key={user?.id}` so each person's dialog starts from their number.
 */
export function SetPhoneDialog({ user, onDone, onCancel }: SetPhoneDialogProps) {
  const [value, setValue] = useState(user?.phone ?? "");
  const submission = useSubmission(["phone"]);

  const close = () => {
    submission.reset();
    onCancel();
  };

  const confirm = (_event: FormEvent) => {
    if (!user) return;
    void submission.run(async () => {
      onDone(await api.updateUser(user.id, { phone: value }));
    });
  };

  return (
    <ConfirmDialog
      open={user !== undefined}
      title={user ? `Phone of ${user.name}` : "Phone"}
      confirmLabel="Save phone"
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={close}
    >
      <FormError message={submission.error} />
      <PhoneField
        value={value}
        onChange={(next) => {
          setValue(next);
          submission.clear("phone");
        }}
        error={submission.fields.phone}
        autoComplete="off"
        hint="Shown to responders in an incident's Directory, so they can call this person. Leave it empty to remove it."
      />
    </ConfirmDialog>
  );
}
