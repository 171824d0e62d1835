// Adding or editing one component: its name and description, its group, the services behind it
// (their incidents move its status), a manual override, and whether it shows only while degraded.
import { useState, type FormEvent } from "react";
import type { Service } from "../alerting-api";
import { CheckboxField, Field, FormError, SelectField, useSubmission } from "../forms";
import {
  COMPONENT_STATUS_LABEL,
  COMPONENT_STATUSES,
  statusPages,
  type ComponentChanges,
  type ComponentStatus,
  type StatusComponent,
} from "../status-api";
import { useStatusPage } from "./status-page-shell";

interface Draft {
  name: string;
  description: string;
  groupId: string;
  serviceIds: string[];
  manualStatus: ComponentStatus | "";
  onlyShowIfDegraded: boolean;
  showcase: boolean;
}

const draftOf = (c: StatusComponent | undefined, groupId = ""): Draft => ({
  name: c?.name ?? "",
  description: c?.description ?? "",
  groupId: c ? (c.groupId ?? "") : groupId,
  serviceIds: c?.serviceIds ?? [],
  manualStatus: c?.manualStatus ?? "",
  onlyShowIfDegraded: c?.onlyShowIfDegraded ?? false,
  showcase: c?.showcase ?? true,
});

const FIELDS = [
  "name",
  "description",
  "groupId",
  "serviceIds",
  "manualStatus",
  "onlyShowIfDegraded",
  "showcase",
];

interface Props {
  /** Absent: a new component. */
  component?: StatusComponent;
  services: readonly Service[];
  onSaved(saved: StatusComponent): void;
  onCancel?(): void;
}

export function ComponentForm({ component, services, onSaved, onCancel }: Props) {
  const { page, groups } = useStatusPage();
  const [draft, setDraft] = useState(() => draftOf(component));
  const submission = useSubmission(FIELDS);
  // The draft's fields are named as the body's, so a change takes back the error of its name.
  const set = (patch: Partial<Draft>) => {
    for (const field of Object.keys(patch)) submission.clear(field);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const idPrefix = component ? `component-${component.id}` : "new-component";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body: ComponentChanges & { name: string } = {
        name: draft.name.trim(),
        description: draft.description.trim() || null,
        groupId: draft.groupId || null,
        serviceIds: draft.serviceIds,
        manualStatus: draft.manualStatus || null,
        onlyShowIfDegraded: draft.onlyShowIfDegraded,
        showcase: draft.showcase,
      };
      const saved = component
        ? await statusPages.updateComponent(page.id, component.id, body)
        : await statusPages.createComponent(page.id, body);
      if (!component) setDraft(draftOf(undefined, draft.groupId));
      onSaved(saved);
    });
  };

  const toggleService = (serviceId: string, on: boolean) =>
    set({
      serviceIds: on
        ? [...draft.serviceIds.filter((s) => s !== serviceId), serviceId]
        : draft.serviceIds.filter((s) => s !== serviceId),
    });

  const label = component ? `Edit ${component.name}` : "Add a component";
  return (
    <form className="form status-component-form" onSubmit={submit} noValidate aria-label={label}>
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          id={`${idPrefix}-name`}
          label="Component name"
          autoComplete="off"
          required
          maxLength={200}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          error={submission.fields.name}
          hint="As customers know it, such as “Checkout” or “EU API”."
        />
        <SelectField
          id={`${idPrefix}-group`}
          label="Group"
          value={draft.groupId}
          onChange={(e) => set({ groupId: e.target.value })}
          options={[{ value: "", label: "No group" }, ...groups.map((g) => ({ value: g.id, label: g.name }))]}
          error={submission.fields.groupId}
        />
      </div>
      <Field
        id={`${idPrefix}-description`}
        label="Description"
        autoComplete="off"
        maxLength={1000}
        value={draft.description}
        onChange={(e) => set({ description: e.target.value })}
        error={submission.fields.description}
        hint="Optional: one line customers see beside the name."
      />
      <fieldset className="choice-list status-choices" aria-describedby={`${idPrefix}-services-hint`}>
        <legend>Linked services</legend>
        <p className="field-hint" id={`${idPrefix}-services-hint`}>
          An incident on one of these services changes this component only once a public update about it is
          posted (in the incident’s Communication panel); the component then shows it until it is resolved on
          the status page. While a maintenance of this component runs, these services page nobody. A manual
          status below overrides both.
        </p>
        {services.length === 0 && <p className="muted">No services yet.</p>}
        {services.map((s) => (
          <label key={s.id} className="choice">
            <input
              type="checkbox"
              checked={draft.serviceIds.includes(s.id)}
              onChange={(e) => toggleService(s.id, e.target.checked)}
            />
            <span>{s.name}</span>
          </label>
        ))}
        {submission.fields.serviceIds && <p className="field-error">{submission.fields.serviceIds}</p>}
      </fieldset>
      <SelectField
        id={`${idPrefix}-manual`}
        label="Manual status"
        value={draft.manualStatus}
        onChange={(e) => set({ manualStatus: e.target.value as ComponentStatus | "" })}
        options={[
          { value: "", label: "None: worked out from incidents and maintenance" },
          ...COMPONENT_STATUSES.map((s) => ({ value: s, label: COMPONENT_STATUS_LABEL[s] })),
        ]}
        error={submission.fields.manualStatus}
        hint="An override wins over everything else until you set it back to None."
      />
      <CheckboxField
        id={`${idPrefix}-only-degraded`}
        label="Only show if degraded"
        checked={draft.onlyShowIfDegraded}
        onChange={(e) => set({ onlyShowIfDegraded: e.target.checked })}
        hint="Hidden from the page while operational."
      />
      <CheckboxField
        id={`${idPrefix}-showcase`}
        label="Showcase"
        checked={draft.showcase}
        onChange={(e) => set({ showcase: e.target.checked })}
        hint="Shows its 90-day uptime bars and figure on the public page. Off: listed with its current status only."
      />
      <div className="actions actions-tight">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : component ? "Save component" : "Add component"}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
