// Settings → Notifications: how Firebreak reaches me when I am paged (contact methods), and when
// (rules). Everyone manages their own.
import { useState, type FormEvent } from "react";
import { alerting, type ContactMethod, type TestOutcome } from "../alerting-api";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { NotifierConfigFields, NotifierKindField, useNotifierSettings } from "../notifier-fields";
import { LoadState, OutcomeNotice, TestResult, type Outcome } from "../widgets";
import { NotificationRulesForm } from "./notification-rules";

function AddMethodForm({
  onSubmitting,
  onAdded,
}: {
  onSubmitting(): void;
  onAdded(method: ContactMethod): void;
}) {
  const [label, setLabel] = useState("");
  const submission = useSubmission(["kind", "label", "config"]);
  const settings = useNotifierSettings("ntfy", submission.clear);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      const method = await alerting.addContactMethod({
        kind: settings.kind,
        label,
        config: settings.config(),
      });
      setLabel("");
      settings.clear();
      onAdded(method);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-method">
      <FormError message={submission.error} />
      <div className="form-row">
        <NotifierKindField settings={settings} onChosen={submission.reset} error={submission.fields.kind} />
        <Field
          label="Label"
          autoComplete="off"
          required
          value={label}
          onChange={(e) => {
            setLabel(e.target.value);
            submission.clear("label");
          }}
          error={submission.fields.label}
          hint="Such as “Phone (ntfy)” or “Work email”."
        />
      </div>
      <NotifierConfigFields
        kind={settings.kind}
        values={settings.values}
        onChange={settings.setValues}
        errors={submission.paths}
        audience="person"
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Adding…" : "Add contact method"}
      </button>
    </form>
  );
}

export function NotificationsPage() {
  const methods = useLoad(alerting.listContactMethods);
  const rules = useLoad(alerting.listRules);
  const [testing, setTesting] = useState<string>();
  // Each method keeps its own test result: testing the next one must not hide what the last one said.
  const [outcomes, setOutcomes] = useState<Record<string, TestOutcome | string | undefined>>({});
  const [removing, setRemoving] = useState<ContactMethod>();
  const [message, setMessage] = useState<Outcome>();
  // Changes only when the rules are loaded again (after a removal), not when the form saves them.
  const [rulesForm, setRulesForm] = useState(0);
  // With rules, only the contact methods they name are used when I am paged.
  const ruled =
    rules.data && rules.data.length > 0 ? new Set(rules.data.map((r) => r.contactMethodId)) : null;

  const test = async (method: ContactMethod) => {
    const show = (result: TestOutcome | string | undefined) =>
      setOutcomes((o) => ({ ...o, [method.id]: result }));
    setTesting(method.id);
    show(undefined);
    setMessage(undefined);
    try {
      show(await alerting.testContactMethod(method.id));
    } catch (err) {
      show(messageOf(err));
    } finally {
      setTesting(undefined);
    }
  };

  const remove = async () => {
    const method = removing;
    setRemoving(undefined);
    if (!method) return;
    try {
      await alerting.removeContactMethod(method.id);
      methods.set((list) => list?.filter((m) => m.id !== method.id));
      await rules.reload();
      setRulesForm((n) => n + 1);
      setMessage({ kind: "success", text: `Removed “${method.label}” and the rules that used it.` });
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    }
  };

  return (
    <Page
      heading="Notifications"
      title="Notifications · Settings"
      lead="How Firebreak reaches you when an escalation policy pages you. Test each one: a page you never receive is worse than none."
    >
      <SettingsNav />
      <section className="panel" aria-labelledby="methods">
        <h2 id="methods">My contact methods</h2>
        <OutcomeNotice outcome={message} />
        <LoadState what="contact methods" loading={methods.loading && !methods.data} error={methods.error} />
        {methods.data && methods.data.length === 0 && (
          <div className="notice notice-warning">
            <p>You have no contact methods: if you are paged, nothing reaches you. Add one below.</p>
          </div>
        )}
        {methods.data && methods.data.length > 0 && (
          <ul className="card-list">
            {methods.data.map((m) => (
              <li key={m.id} className="card-item">
                <div className="card-item-head">
                  <div>
                    <h3>{m.label}</h3>
                    <p className="muted">{m.description}</p>
                    {ruled && !ruled.has(m.id) && (
                      <p className="warning-text">
                        Not used when you are paged: none of your rules below names it.
                      </p>
                    )}
                  </div>
                  <div className="row-buttons">
                    <button
                      type="button"
                      className="button"
                      // Busy, not disabled: a disabled button would drop the keyboard focus.
                      aria-disabled={testing === m.id || undefined}
                      onClick={() => testing !== m.id && void test(m)}
                    >
                      {testing === m.id ? "Sending…" : "Send me a test notification"}
                      <span className="visually-hidden"> by {m.label}</span>
                    </button>
                    <button
                      type="button"
                      className="button button-danger-quiet"
                      onClick={() => setRemoving(m)}
                    >
                      Remove<span className="visually-hidden"> {m.label}</span>
                    </button>
                  </div>
                </div>
                <TestResult outcome={outcomes[m.id]} what={m.label} />
              </li>
            ))}
          </ul>
        )}
        <h3 id="add-method">Add a contact method</h3>
        <AddMethodForm
          // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
          onSubmitting={() => setMessage(undefined)}
          onAdded={(method) => {
            methods.set((list) => [...(list ?? []), method]);
            setMessage(
              ruled
                ? {
                    kind: "warning",
                    text: `Added “${method.label}”, but your rules below do not use it yet: add a rule for it, or pages never reach it.`,
                  }
                : { kind: "success", text: `Added “${method.label}”. Send yourself a test notification.` },
            );
          }}
        />
      </section>

      <section className="panel" aria-labelledby="rules">
        <h2 id="rules">When to use them</h2>
        {methods.data && rules.data ? (
          <NotificationRulesForm
            key={rulesForm}
            methods={methods.data}
            rules={rules.data}
            onSubmitting={() => setMessage(undefined)}
            onSaved={(saved) => rules.set(() => saved)}
          />
        ) : (
          <LoadState what="rules" loading error={rules.error} />
        )}
      </section>

      <ConfirmDialog
        open={removing !== undefined}
        title={removing ? `Remove “${removing.label}”?` : "Remove contact method?"}
        confirmLabel="Remove"
        danger
        onCancel={() => setRemoving(undefined)}
        onConfirm={() => void remove()}
      >
        <p>Firebreak stops using it at once, and the rules that name it are removed too.</p>
      </ConfirmDialog>
    </Page>
  );
}
