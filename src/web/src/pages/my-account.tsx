// Settings → My account: who I am, my phone for the Directory, my time zone, shifts and calendar
// feed, and changing my password.
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Field, FormError, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { ROLE_HELP, ROLE_LABEL, useSession, useUser } from "../session";
import { MyOnCallSection } from "./schedule-calendar";
import { MyPhoneForm } from "./user-forms";

export function MyAccountPage() {
  const user = useUser();
  const { refresh } = useSession();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);
  const submission = useSubmission(["currentPassword", "newPassword"]);
  const { clear } = submission;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    if (newPassword !== confirmation) {
      submission.reset();
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void submission.run(async () => {
      await api.changePassword({ currentPassword, newPassword });
      setCurrentPassword("");
      setNewPassword("");
      setConfirmation("");
      setChanged(true);
    });
  };

  return (
    <Page heading="My account" title="My account · Settings">
      <SettingsNav />
      <section className="panel" aria-labelledby="profile">
        <h2 id="profile">Profile</h2>
        <dl className="details">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>
            {ROLE_LABEL[user.role]}: {ROLE_HELP[user.role]}
          </dd>
        </dl>
        <p className="muted">An admin can change your name and role.</p>
        <MyPhoneForm phone={user.phone ?? null} onSaved={refresh} />
      </section>

      <MyOnCallSection />

      <section className="panel" aria-labelledby="change-password">
        <h2 id="change-password">Change password</h2>
        {changed && (
          <div className="notice notice-success" role="status">
            <p>Your password has been changed.</p>
          </div>
        )}
        <FormError
          message={mismatch ? "The new password and its confirmation do not match." : submission.error}
        />
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => {
              setCurrentPassword(e.target.value);
              clear("currentPassword");
            }}
            error={submission.fields.currentPassword}
          />
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={newPassword}
            onChange={(e) => {
              setNewPassword(e.target.value);
              clear("newPassword");
              setMismatch(false);
            }}
            error={submission.fields.newPassword}
            hint="At least 10 characters."
          />
          <Field
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(e) => {
              setConfirmation(e.target.value);
              setMismatch(false);
            }}
            error={mismatch ? "does not match the new password" : undefined}
          />
          <button type="submit" className="button button-primary" disabled={submission.busy}>
            {submission.busy ? "Changing…" : "Change password"}
          </button>
        </form>
      </section>
    </Page>
  );
}
