// Settings → Channels: changing one channel in place. Its settings are never sent back to the
// console, so the form cannot show them: a rename keeps them, and "Replace the settings" asks for
// them all again (the server checks them as at create).
import { useState, type FormEvent } from "react";
import type { Channel } from "../alerting-api";
import { channelEdits, type ChannelChanges } from "../channels-api";
import { CheckboxField, Field, FormError, useSubmission } from "../forms";
import { NotifierConfigFields, NotifierKindField, useNotifierSettings } from "../notifier-fields";

export function ChannelEditForm({
  channel,
  onSaved,
  onCancel,
}: {
  channel: Channel;
  onSaved(channel: Channel): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(channel.name);
  const [replacing, setReplacing] = useState(false);
  const submission = useSubmission(["name", "kind", "config"]);
  const { clear } = submission;
  const settings = useNotifierSettings(channel.kind, clear);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const changes: ChannelChanges = replacing
        ? { name, kind: settings.kind, config: settings.config() }
        : { name };
      onSaved(await channelEdits.updateChannel(channel.id, changes));
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Edit ${channel.name}`}>
      <FormError message={submission.error} />
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
      <CheckboxField
        label="Replace the settings"
        checked={replacing}
        onChange={(e) => {
          setReplacing(e.target.checked);
          clear("kind");
          clear("config");
        }}
        hint={`Now: ${channel.description}. Saved settings are never shown again, so new ones are entered in full; left unticked, they are kept.`}
      />
      {replacing && (
        <>
          <NotifierKindField settings={settings} onChosen={submission.reset} error={submission.fields.kind} />
          <NotifierConfigFields
            kind={settings.kind}
            values={settings.values}
            onChange={settings.setValues}
            errors={submission.paths}
            audience="channel"
          />
        </>
      )}
      <div className="actions actions-tight">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : "Save changes"}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
