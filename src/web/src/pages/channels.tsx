// Settings → Channels (admin): shared places told about incidents, such as a team's Slack channel.
// Their settings go in and never come back out; the list shows a description without secrets.
import { useState, type FormEvent } from "react";
import { alerting, type Channel, type TestOutcome } from "../alerting-api";
import { messageOf } from "../api";
import { formatTime, useLoad } from "../data";
import { Field, FormError, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { NotifierConfigFields, NotifierKindField, useNotifierSettings } from "../notifier-fields";
import { LoadState, TestResult } from "../widgets";

function CreateChannelForm({
  onSubmitting,
  onCreated,
}: {
  onSubmitting(): void;
  onCreated(channel: Channel): void;
}) {
  const [name, setName] = useState("");
  const submission = useSubmission(["name", "kind", "config"]);
  const { clear } = submission;
  const settings = useNotifierSettings("slack", clear);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitting();
    void submission.run(async () => {
      const channel = await alerting.createChannel({ name, kind: settings.kind, config: settings.config() });
      setName("");
      settings.clear();
      onCreated(channel);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-channel">
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
          hint="Such as “#ops-alerts”."
        />
        <NotifierKindField settings={settings} onChosen={submission.reset} error={submission.fields.kind} />
      </div>
      <NotifierConfigFields
        kind={settings.kind}
        values={settings.values}
        onChange={settings.setValues}
        errors={submission.paths}
        audience="channel"
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create channel"}
      </button>
    </form>
  );
}

export function ChannelsPage() {
  const channels = useLoad(alerting.listChannels);
  const [created, setCreated] = useState<string>();
  const [testing, setTesting] = useState<string>();
  const [outcomes, setOutcomes] = useState<Record<string, TestOutcome | string>>({});

  const test = async (channel: Channel) => {
    setTesting(channel.id);
    setCreated(undefined);
    setOutcomes((o) => Object.fromEntries(Object.entries(o).filter(([id]) => id !== channel.id)));
    try {
      const outcome = await alerting.testChannel(channel.id);
      setOutcomes((o) => ({ ...o, [channel.id]: outcome }));
    } catch (err) {
      setOutcomes((o) => ({ ...o, [channel.id]: messageOf(err) }));
    } finally {
      setTesting(undefined);
    }
  };

  const sorted = [...(channels.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Page
      heading="Channels"
      title="Channels · Settings"
      lead="Shared places that hear about incidents, such as a team's Slack channel or a mailing list. Choose one per service on the service's page; people set up their own ways to be paged under Notifications."
    >
      <SettingsNav />
      <section className="panel" aria-labelledby="create-channel">
        <h2 id="create-channel">Add a channel</h2>
        <CreateChannelForm
          // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
          onSubmitting={() => setCreated(undefined)}
          onCreated={(channel) => {
            channels.set((list) => [...(list ?? []), channel]);
            setCreated(`Added “${channel.name}”. Send it a test message to check the settings.`);
          }}
        />
      </section>
      <section className="panel" aria-labelledby="all-channels">
        <h2 id="all-channels">Channels</h2>
        <div role="status">
          {created && (
            <div className="notice notice-success">
              <p>{created}</p>
            </div>
          )}
        </div>
        <LoadState what="channels" loading={channels.loading && !channels.data} error={channels.error} />
        {channels.data && channels.data.length === 0 && <p className="empty">No channels yet.</p>}
        {sorted.length > 0 && (
          <ul className="card-list">
            {sorted.map((c) => (
              <li key={c.id} className="card-item">
                <div className="card-item-head">
                  <div>
                    <h3>{c.name}</h3>
                    <p className="muted">
                      {c.description} · added <time dateTime={c.createdAt}>{formatTime(c.createdAt)}</time>
                    </p>
                  </div>
                  <button
                    type="button"
                    className="button"
                    disabled={testing === c.id}
                    onClick={() => void test(c)}
                  >
                    {testing === c.id ? "Sending…" : "Send test message"}
                    <span className="visually-hidden"> to {c.name}</span>
                  </button>
                </div>
                <TestResult outcome={outcomes[c.id]} what={c.name} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
