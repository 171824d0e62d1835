// Settings → Channels (admin): shared places told about incidents, such as a team's Slack channel.
// Their settings go in and never come back out; the list shows a description without secrets, which
// services share each one, and lets an admin rename, re-set or delete it. The server's refusals (a
// name another channel has, a channel still in use) show in its words, at the field or in the dialog.
import { useState, type FormEvent } from "react";
import { alerting, type Channel, type Service, type TestOutcome } from "../alerting-api";
import { messageOf } from "../api";
import { channelEdits } from "../channels-api";
import { formatTime, useLoad } from "../data";
import { DeleteButton } from "../delete-button";
import { Field, FormError, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { NotifierConfigFields, NotifierKindField, useNotifierSettings } from "../notifier-fields";
import { Link } from "../router";
import { LoadState, TestResult } from "../widgets";
import { ChannelEditForm } from "./channel-edit-form";

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

/** Which services share the channel: deleting it is refused while any does, so the admin sees them first. */
function SharedBy({ services }: { services: readonly Service[] }) {
  if (services.length === 0) return <p className="muted">No service shares it.</p>;
  return (
    <p>
      Shared channel of{" "}
      {services.map((s, i) => (
        <span key={s.id}>
          {i > 0 && ", "}
          <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link>
        </span>
      ))}
      .
    </p>
  );
}

export function ChannelsPage() {
  const channels = useLoad(alerting.listChannels);
  const services = useLoad(alerting.listServices);
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<string>();
  const [testing, setTesting] = useState<string>();
  const [outcomes, setOutcomes] = useState<Record<string, TestOutcome | string>>({});

  const test = async (channel: Channel) => {
    setTesting(channel.id);
    setNotice(undefined);
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
          onSubmitting={() => setNotice(undefined)}
          onCreated={(channel) => {
            channels.set((list) => [...(list ?? []), channel]);
            setNotice(`Added “${channel.name}”. Send it a test message to check the settings.`);
          }}
        />
      </section>
      <section className="panel" aria-labelledby="all-channels">
        <h2 id="all-channels">Channels</h2>
        <div role="status">
          {notice && (
            <div className="notice notice-success">
              <p>{notice}</p>
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
                    {services.data && (
                      <SharedBy services={services.data.filter((s) => s.channelId === c.id)} />
                    )}
                  </div>
                  <div className="actions actions-tight">
                    <button
                      type="button"
                      className="button"
                      disabled={testing === c.id}
                      onClick={() => void test(c)}
                    >
                      {testing === c.id ? "Sending…" : "Send test message"}
                      <span className="visually-hidden"> to {c.name}</span>
                    </button>
                    {editing !== c.id && (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          setEditing(c.id);
                          setNotice(undefined);
                        }}
                      >
                        Edit<span className="visually-hidden"> {c.name}</span>
                      </button>
                    )}
                    <DeleteButton
                      name={c.name}
                      onDelete={async () => {
                        await channelEdits.deleteChannel(c.id);
                        channels.set((list) => list?.filter((x) => x.id !== c.id));
                        if (editing === c.id) setEditing(undefined);
                        setNotice(`Deleted “${c.name}”. Past incidents keep their delivery log.`);
                      }}
                    >
                      <p>
                        Firebreak stops posting to it: messages to it not sent yet are dropped. A service that
                        shares it must be given another channel (or none) first, and open incidents whose war
                        room posts there must be resolved.
                      </p>
                    </DeleteButton>
                  </div>
                </div>
                {editing === c.id && (
                  <ChannelEditForm
                    channel={c}
                    onCancel={() => setEditing(undefined)}
                    onSaved={(saved) => {
                      channels.set((list) => list?.map((x) => (x.id === saved.id ? saved : x)));
                      setEditing(undefined);
                      setNotice(`Saved “${saved.name}”. Send it a test message to check the settings.`);
                    }}
                  />
                )}
                <TestResult outcome={outcomes[c.id]} what={c.name} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
