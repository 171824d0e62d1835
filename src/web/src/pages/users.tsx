// Settings → Users (admin): who can sign in, with which role; add, change role, set phone, disable,
// enable.
import { useState } from "react";
import { api, messageOf, type Role, type User } from "../api";
import { formatTime, useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Page, SettingsNav } from "../layout";
import { RoleSelect } from "../forms";
import { useSession, useUser } from "../session";
import { OutcomeNotice, telHref, type Outcome } from "../widgets";
import { AddUserForm, SetPasswordDialog, SetPhoneDialog } from "./user-forms";

export function UsersPage() {
  const me = useUser();
  const { refresh } = useSession();
  const users = useLoad(api.listUsers);
  const [message, setMessage] = useState<Outcome>();
  const [busyId, setBusyId] = useState<string>();
  const [disabling, setDisabling] = useState<User>();
  const [resetting, setResetting] = useState<User>();
  const [phoning, setPhoning] = useState<User>();

  const replace = (updated: User) =>
    users.set((list) => list?.map((u) => (u.id === updated.id ? updated : u)));

  const change = async (user: User, patch: { role?: Role; disabled?: boolean }, done: string) => {
    setBusyId(user.id);
    setMessage(undefined);
    try {
      const updated = await api.updateUser(user.id, patch);
      replace(updated);
      setMessage({ kind: "success", text: done });
      if (user.id === me.id) await refresh();
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusyId(undefined);
    }
  };

  const sorted = [...(users.data ?? [])].sort(
    (a, b) => Number(a.disabledAt !== null) - Number(b.disabledAt !== null) || a.name.localeCompare(b.name),
  );
  // The server lists other people's phones (null when unset) only to admins; going by the list, not
  // the session's role, keeps the column away from anyone it would show nothing but "—" to.
  const showsPhones = sorted.every((user) => user.id === me.id || user.phone !== undefined);

  return (
    <Page
      heading="Users"
      title="Users · Settings"
      lead="Everyone who can sign in to this Firebreak, and what their role lets them do."
    >
      <SettingsNav />
      <section className="panel" aria-labelledby="add-user">
        <h2 id="add-user">Add a user</h2>
        <AddUserForm
          // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
          onSubmitting={() => setMessage(undefined)}
          onAdded={(user) => {
            users.set((list) => [...(list ?? []), user]);
            setMessage({ kind: "success", text: `Added ${user.name} (${user.email}) as ${user.role}.` });
          }}
        />
      </section>

      <section className="panel" aria-labelledby="all-users">
        <h2 id="all-users">All users</h2>
        <OutcomeNotice outcome={message} />
        {users.error && (
          <div className="notice notice-error" role="alert">
            <p>Could not load users: {users.error}</p>
          </div>
        )}
        {users.loading && !users.data && <p role="status">Loading users…</p>}
        {users.data && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                {showsPhones && <th scope="col">Phone</th>}
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((user) => {
                const self = user.id === me.id;
                const busy = busyId === user.id;
                return (
                  <tr key={user.id} className={user.disabledAt ? "row-muted" : undefined}>
                    <th scope="row" data-label="Name">
                      {user.name}
                      {self && <span className="badge badge-quiet">you</span>}
                    </th>
                    <td data-label="Email" className="break-long">
                      <EmailText email={user.email} />
                    </td>
                    {showsPhones && (
                      <td data-label="Phone">
                        <PhoneCell phone={user.phone} />
                      </td>
                    )}
                    <td data-label="Role">
                      <RoleSelect
                        label={`Role of ${user.name}`}
                        hideLabel
                        value={user.role}
                        disabled={busy}
                        onChange={(e) => {
                          const role = e.target.value as Role;
                          void change(
                            user,
                            { role },
                            `${user.name} is now ${role === "admin" ? "an" : "a"} ${role}.`,
                          );
                        }}
                      />
                    </td>
                    <td data-label="Status">
                      {user.disabledAt ? (
                        <>
                          Disabled <time dateTime={user.disabledAt}>{formatTime(user.disabledAt)}</time>
                        </>
                      ) : (
                        "Active"
                      )}
                    </td>
                    <td className="row-actions row-actions-wrap">
                      {!self && user.disabledAt && (
                        <button
                          type="button"
                          className="button"
                          disabled={busy}
                          onClick={() =>
                            void change(user, { disabled: false }, `${user.name} can sign in again.`)
                          }
                        >
                          Enable<span className="visually-hidden"> {user.name}</span>
                        </button>
                      )}
                      {!user.disabledAt && (
                        <button
                          type="button"
                          className="button"
                          disabled={busy}
                          onClick={() => setPhoning(user)}
                        >
                          Phone<span className="visually-hidden"> of {user.name}</span>
                        </button>
                      )}
                      {!self && !user.disabledAt && (
                        <>
                          <button
                            type="button"
                            className="button"
                            disabled={busy}
                            onClick={() => setResetting(user)}
                          >
                            Set password<span className="visually-hidden"> for {user.name}</span>
                          </button>
                          <button
                            type="button"
                            className="button button-danger-quiet"
                            disabled={busy}
                            onClick={() => setDisabling(user)}
                          >
                            Disable<span className="visually-hidden"> {user.name}</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <ConfirmDialog
        open={disabling !== undefined}
        title={disabling ? `Disable ${disabling.name}?` : "Disable user?"}
        confirmLabel="Disable"
        danger
        onCancel={() => setDisabling(undefined)}
        onConfirm={() => {
          const user = disabling;
          setDisabling(undefined);
          if (user)
            void change(user, { disabled: true }, `${user.name} is disabled and signed out everywhere.`);
        }}
      >
        <p>
          They are signed out at once and cannot sign in until an admin enables them again. Their history
          stays.
        </p>
      </ConfirmDialog>

      <SetPhoneDialog
        key={phoning?.id ?? "closed"}
        user={phoning}
        onCancel={() => setPhoning(undefined)}
        onDone={(user) => {
          setPhoning(undefined);
          replace(user);
          setMessage({
            kind: "success",
            text: user.phone
              ? `${user.name}'s phone is now ${user.phone}.`
              : `${user.name} has no phone on record now.`,
          });
          if (user.id === me.id) void refresh();
        }}
      />

      <SetPasswordDialog
        user={resetting}
        onCancel={() => setResetting(undefined)}
        onDone={(user) => {
          setResetting(undefined);
          replace(user);
          setMessage({
            kind: "success",
            text: `New password set for ${user.name}. They have been signed out everywhere.`,
          });
        }}
      />
    </Page>
  );
}

/** A phone in the users table: a tel: link to dial, or a dash when none is on record. */
function PhoneCell({ phone }: { phone: string | null | undefined }) {
  if (!phone) return <span className="muted">—</span>;
  return (
    <a href={telHref(phone)} className="phone-number">
      {phone}
    </a>
  );
}

/** An address that wraps after its "@" when the column is narrow, rather than anywhere in the middle. */
function EmailText({ email }: { email: string }) {
  const at = email.lastIndexOf("@");
  if (at < 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}
