// Small pieces the status-page tabs share: status badges in words (colour only repeats them), the
// choice of components, times in the page's zone, and the template picker for public messages.
import { useState } from "react";
import { messageOf } from "../api";
import { SelectField } from "../forms";
import {
  COMPONENT_STATUS_LABEL,
  fillTemplate,
  INCIDENT_STATUS_LABEL,
  MAINTENANCE_STATUS_LABEL,
  statusPages,
  TEMPLATE_LEVEL_LABEL,
  TEMPLATE_LEVELS,
  type ComponentStatus,
  type IncidentStatus,
  type MaintenanceStatus,
  type TemplateLevel,
} from "../status-api";
import { formatWhen } from "./schedule-time";
import { useStatusPage } from "./status-page-shell";

const COMPONENT_MARK: Record<ComponentStatus, string> = {
  operational: "✓",
  degraded_performance: "◔",
  partial_outage: "◑",
  major_outage: "✕",
  under_maintenance: "⚙",
};

export function ComponentStatusBadge({ status }: { status: ComponentStatus }) {
  return (
    <span className={`status-badge status-${status}`}>
      <span aria-hidden="true" className="status-mark">
        {COMPONENT_MARK[status]}
      </span>
      {COMPONENT_STATUS_LABEL[status]}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`status-phase status-phase-${status}`}>{INCIDENT_STATUS_LABEL[status]}</span>;
}

export function MaintenanceStatusBadge({ status }: { status: MaintenanceStatus }) {
  return <span className={`status-phase status-maint-${status}`}>{MAINTENANCE_STATUS_LABEL[status]}</span>;
}

/** An instant in the page's own time zone (what customers read), exact in the title. */
export function PageTime({ iso }: { iso: string }) {
  const { page } = useStatusPage();
  return (
    <time dateTime={iso} title={`${formatWhen(iso, page.timeZone)} (${page.timeZone})`}>
      {formatWhen(iso, page.timeZone)}
    </time>
  );
}

interface ComponentChoiceProps {
  legend: string;
  chosen: readonly string[];
  onChange(next: string[]): void;
  error?: string | undefined;
  hint?: string;
}

/** Check boxes for the page's components, grouped as on the page. */
export function ComponentChoice({ legend, chosen, onChange, error, hint }: ComponentChoiceProps) {
  const { components, groups } = useStatusPage();
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  if (components.length === 0)
    return <p className="muted">This page has no components yet: add them on the Components tab.</p>;
  const toggle = (componentId: string, on: boolean) =>
    onChange(
      on
        ? [...chosen.filter((c) => c !== componentId), componentId]
        : chosen.filter((c) => c !== componentId),
    );
  return (
    <fieldset className={error ? "choice-list status-choices field-invalid" : "choice-list status-choices"}>
      <legend>{legend}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      {components.map((c) => (
        <label key={c.id} className="choice">
          <input
            type="checkbox"
            checked={chosen.includes(c.id)}
            onChange={(e) => toggle(c.id, e.target.checked)}
          />
          <span>
            {c.name}
            {c.groupId && groupName.get(c.groupId) && (
              <span className="muted"> · {groupName.get(c.groupId)}</span>
            )}
          </span>
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** Loads the template for a level and status, filled with the affected components' names. */
export function useTemplate() {
  const { nameOf } = useStatusPage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const load = async (
    level: TemplateLevel,
    status: IncidentStatus,
    componentIds: readonly string[],
  ): Promise<string | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      const names = componentIds.map(nameOf);
      const template = await statusPages.template(level, status, names);
      return fillTemplate(template.body, names);
    } catch (err) {
      setError(messageOf(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, load };
}

interface TemplatePickerProps {
  level: TemplateLevel;
  onLevel(level: TemplateLevel): void;
  onFill(): void;
  busy: boolean;
  error: string | undefined;
}

/** The level's template picker and the button that puts it in the message box. */
export function TemplatePicker({ level, onLevel, onFill, busy, error }: TemplatePickerProps) {
  return (
    <div className="status-template">
      <SelectField
        label="Template"
        value={level}
        onChange={(e) => onLevel(e.target.value as TemplateLevel)}
        options={TEMPLATE_LEVELS.map((l) => ({ value: l, label: TEMPLATE_LEVEL_LABEL[l] }))}
        hint="Plain words for customers, per level and status. A message still as the template wrote it follows a change of status or level."
      />
      <button type="button" className="button" onClick={onFill} disabled={busy}>
        {busy ? "Filling…" : "Fill the message from the template"}
      </button>
      {error && (
        <p className="field-error" role="alert">
          Could not load the template: {error}
        </p>
      )}
    </div>
  );
}
