// Settings → API keys (admin): keys for scripts and tools. A new key is shown once, then only its prefix.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, messageOf, type ApiKey, type Role } from "../api";
import { formatTime, useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, RoleSelect, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { ROLE_LABEL } from "../session";

function NewKey({ created, onDismiss }: { created: { key: string; apiKey: ApiKey }; onDismiss(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const code = useRef<HTMLElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => heading.current?.focus(), []);

  const copyKey = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy("copied");
    } catch {
      // No clipboard access (insecure origin, denied permission): select the key for a manual copy.
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopy("failed");
    }
  };

  return (
    <section className="panel panel-highlight" aria-labelledby="new-key">
      <h2 id="new-key" ref={heading} tabIndex={-1}>
        Your new API key “{created.apiKey.name}”
      </h2>
      <div className="notice notice-warning">
        <p>
          <strong>Copy this key now. It will not be shown again.</strong> Firebreak keeps only a fingerprint
          of it. If you lose it, revoke it and create a new one.
        </p>
      </div>
      <div className="secret">
        <code ref={code}>{created.key}</code>
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => void copyKey()}>
          {copy === "copied" ? "Copied" : "Copy key"}
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
      <p role="status" className="muted">
        {copy === "copied" && "The key is on your clipboard."}
        {copy === "failed" && "Copying is not allowed here. The key is selected: press Ctrl+C (⌘C on a Mac)."}
      </p>
      <p className="muted">
        Send it as <code>Authorization: Bearer &lt;key&gt;</code>. It acts with the{" "}
        {ROLE_LABEL[created.apiKey.role].toLowerCase()} role.
      </p>
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated(created: { key: string; apiKey: ApiKey }): void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const submission = useSubmission(["name", "role"]);
  const { clear } = submission;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await api.createApiKey({ name, role });
      setName("");
      onCreated(created);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-key">
      <FormError message={submission.error} />
      <div className="form-row">
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
          hint="What will use it, such as “Alertmanager” or “deploy script”."
        />
        <RoleSelect
          label="Role"
          value={role}
          onChange={(e) => {
            setRole(e.target.value as Role);
            clear("role");
          }}
          error={submission.fields.role}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

export function ApiKeysPage() {
  const keys = useLoad(api.listApiKeys);
  const [created, setCreated] = useState<{ key: string; apiKey: ApiKey }>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string>();
  const [message, setMessage] = useState<string>();

  const revoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(undefined);
    try {
      const revoked = await api.revokeApiKey(revoking.id);
      keys.set((list) => list?.map((k) => (k.id === revoked.id ? revoked : k)));
      setMessage(`Revoked “${revoked.name}”. Requests that use it are refused from now on.`);
      setRevoking(undefined);
    } catch (err) {
      setRevokeError(messageOf(err));
    } finally {
      setRevokeBusy(false);
    }
  };

  const sorted = [...(keys.data ?? [])].sort(
    (a, b) =>
      Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <Page
      heading="API keys"
      title="API keys · Settings"
      lead={
        <>
          Keys let scripts, CI jobs and monitoring tools call the <a href="/docs">Firebreak API</a>. Each key
          acts with the role you give it; give each tool its own key and the smallest role that works.
        </>
      }
    >
      <SettingsNav />
      {created && (
        <NewKey key={created.apiKey.id} created={created} onDismiss={() => setCreated(undefined)} />
      )}
      <section className="panel" aria-labelledby="create-key">
        <h2 id="create-key">Create a key</h2>
        <CreateKeyForm
          onCreated={(c) => {
            setMessage(undefined);
            setCreated(c);
            keys.set((list) => [c.apiKey, ...(list ?? [])]);
          }}
        />
      </section>

      <section className="panel" aria-labelledby="all-keys">
        <h2 id="all-keys">Keys</h2>
        <div role="status">
          {message && (
            <div className="notice notice-success">
              <p>{message}</p>
            </div>
          )}
        </div>
        {keys.error && (
          <div className="notice notice-error" role="alert">
            <p>Could not load API keys: {keys.error}</p>
          </div>
        )}
        {keys.loading && !keys.data && <p role="status">Loading keys…</p>}
        {keys.data && keys.data.length === 0 && <p className="muted">No API keys yet.</p>}
        {keys.data && keys.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key starts with</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Status and actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((key) => (
                <tr key={key.id} className={key.revokedAt ? "row-muted" : undefined}>
                  <th scope="row" data-label="Name" className="break">
                    {key.name}
                  </th>
                  <td data-label="Key starts with">
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label="Role">{ROLE_LABEL[key.role]}</td>
                  <td data-label="Created">
                    <time dateTime={key.createdAt}>{formatTime(key.createdAt)}</time>
                  </td>
                  <td data-label="Last used">
                    {key.lastUsedAt ? (
                      <time dateTime={key.lastUsedAt}>{formatTime(key.lastUsedAt)}</time>
                    ) : (
                      "Never"
                    )}
                  </td>
                  <td className="row-actions">
                    {key.revokedAt ? (
                      <span>
                        Revoked <time dateTime={key.revokedAt}>{formatTime(key.revokedAt)}</time>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="button button-danger-quiet"
                        onClick={() => setRevoking(key)}
                      >
                        Revoke<span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ConfirmDialog
        open={revoking !== undefined}
        title={revoking ? `Revoke “${revoking.name}”?` : "Revoke key?"}
        confirmLabel="Revoke key"
        danger
        busy={revokeBusy}
        onConfirm={() => void revoke()}
        onCancel={() => {
          setRevoking(undefined);
          setRevokeError(undefined);
        }}
      >
        <p>Anything that uses this key gets “401 Unauthorized” from now on. This cannot be undone.</p>
        <FormError message={revokeError} />
      </ConfirmDialog>
    </Page>
  );
}
