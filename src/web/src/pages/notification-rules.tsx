// My notification rules: which contact method, how many minutes after I am paged.
import { useState, type FormEvent } from "react";
import { alerting, type ContactMethod, type NotificationRule } from "../alerting-api";
import { Field, FormError, SelectField, useSubmission, wholeNumber } from "../forms";

interface DraftRule {
  key: number;
  contactMethodId: string;
  delayText: string;
}

let nextKey = 1;
const draftOf = (rule: { contactMethodId: string; delayMinutes: number }): DraftRule => ({
  key: nextKey++,
  contactMethodId: rule.contactMethodId,
  delayText: String(rule.delayMinutes),
});

interface RulesProps {
  methods: readonly ContactMethod[];
  rules: readonly NotificationRule[];
  /** A save begins: the page's message about an earlier action no longer holds. */
  onSubmitting(): void;
  onSaved(rules: NotificationRule[]): void;
}

export function NotificationRulesForm({ methods, rules, onSubmitting, onSaved }: RulesProps) {
  const [drafts, setDrafts] = useState<DraftRule[]>(() =>
    [...rules].sort((a, b) => a.delayMinutes - b.delayMinutes).map(draftOf),
  );
  const [saved, setSaved] = useState(false);
  const submission = useSubmission(["rules"]);
  const p = submission.paths;
  const options = methods.map((m) => ({ value: m.id, label: `${m.label} · ${m.description}` }));

  const { clear } = submission;

  // A rule's error goes once that field of it changes. Removing a rule renumbers the rules after
  // it, whose errors would land on others, so it takes back every rule's error.
  const change = (key: number, patch: Partial<DraftRule>) => {
    const i = drafts.findIndex((d) => d.key === key);
    for (const field of Object.keys(patch)) clear(`rules/${i}/${field}`);
    setDrafts((list) => list.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    onSubmitting();
    void submission.run(async () => {
      const body = drafts.map((d, i) => ({
        contactMethodId: d.contactMethodId,
        delayMinutes: wholeNumber(d.delayText, `/rules/${i}/delayMinutes`),
      }));
      onSaved(await alerting.setRules(body));
      setSaved(true);
    });
  };

  if (methods.length === 0) {
    return <p className="muted">Add a contact method first; then you can say when each one is used.</p>;
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="rules">
      {saved && (
        <div className="notice notice-success" role="status">
          <p>
            Saved.{" "}
            {drafts.length === 0
              ? "Without rules, all your contact methods are used as soon as you are paged."
              : ""}
          </p>
        </div>
      )}
      <FormError message={submission.error} />
      {drafts.length === 0 && (
        <p className="muted">
          No rules: when you are paged, every contact method above is used at once. Add rules to stagger them,
          such as ntfy at once and email after 5 minutes.
        </p>
      )}
      {drafts.length > 0 && (
        <ol className="rule-list">
          {drafts.map((d, i) => (
            <li key={d.key} className="rule-row">
              <SelectField
                label={`Rule ${i + 1}: contact method`}
                value={d.contactMethodId}
                options={options}
                onChange={(e) => change(d.key, { contactMethodId: e.target.value })}
                error={p[`rules/${i}/contactMethodId`]}
              />
              <Field
                label={`Rule ${i + 1}: minutes after the page`}
                inputMode="numeric"
                value={d.delayText}
                onChange={(e) => change(d.key, { delayText: e.target.value })}
                error={p[`rules/${i}/delayMinutes`]}
              />
              <button
                type="button"
                className="button button-danger-quiet"
                onClick={() => {
                  clear("rules");
                  setDrafts((list) => list.filter((x) => x.key !== d.key));
                }}
              >
                Remove<span className="visually-hidden"> rule {i + 1}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {p.rules && <p className="field-error">Rules {p.rules}.</p>}
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            clear("rules", { exact: true });
            setDrafts((list) => [
              ...list,
              draftOf({ contactMethodId: methods[0]?.id ?? "", delayMinutes: list.length === 0 ? 0 : 5 }),
            ]);
          }}
        >
          Add a rule
        </button>
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : "Save rules"}
        </button>
      </div>
    </form>
  );
}
