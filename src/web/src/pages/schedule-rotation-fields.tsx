// The rotation editor's own controls: members in turn (add, reorder, remove) and the time-of-day
// windows a rotation is on call in, with presets.
import { useState } from "react";
import { sentence, type User } from "../api";
import { Field, SelectField } from "../forms";
import type { TimeWindow } from "../schedules-api";
import { DAY_LONG, nameOf, WEEK_ORDER } from "./schedule-rotation-text";

export interface DraftWindow extends TimeWindow {
  key: number;
}

let nextKey = 1;
export const windowKey = (): number => nextKey++;
export const windowsOf = (days: readonly number[], startTime: string, endTime: string): DraftWindow[] =>
  days.map((weekday) => ({ key: nextKey++, weekday, startTime, endTime }));

const PRESETS: Array<{ label: string; windows: () => DraftWindow[] }> = [
  { label: "Weekdays 09:00–17:00", windows: () => windowsOf([1, 2, 3, 4, 5], "09:00", "17:00") },
  { label: "Nights 18:00–08:00", windows: () => windowsOf([1, 2, 3, 4, 5, 6, 0], "18:00", "08:00") },
  { label: "Weekends", windows: () => windowsOf([6, 0], "00:00", "24:00") },
];

export function MembersEditor(props: {
  memberIds: string[];
  users: User[];
  error?: string;
  onChange(ids: string[]): void;
}) {
  const { memberIds, users, onChange } = props;
  const [adding, setAdding] = useState("");
  const move = (i: number, by: -1 | 1) => {
    const next = [...memberIds];
    const [moved] = next.splice(i, 1);
    if (moved) next.splice(i + by, 0, moved);
    onChange(next);
  };
  return (
    <fieldset className={props.error ? "fieldset field-invalid" : "fieldset"}>
      <legend>Members, in turn</legend>
      {memberIds.length === 0 ? (
        <p className="muted">Nobody yet: add the people who take turns.</p>
      ) : (
        <ol className="member-list" aria-label="Members in turn">
          {memberIds.map((id, i) => {
            const name = nameOf(id, users);
            return (
              <li key={id} className="member">
                <span className="member-name">
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {name}
                </span>
                <span className="row-buttons">
                  <button
                    type="button"
                    className="button button-small"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  >
                    Up<span className="visually-hidden"> {name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={i === memberIds.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    Down<span className="visually-hidden"> {name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger-quiet"
                    onClick={() => onChange(memberIds.filter((m) => m !== id))}
                  >
                    Remove<span className="visually-hidden"> {name}</span>
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {props.error && <p className="field-error">{sentence(`Members ${props.error}`)}</p>}
      <div className="field">
        <label htmlFor="rotation-add-member">Add a member</label>
        <div className="inline-controls add-member">
          <select id="rotation-add-member" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Choose a person…</option>
            {users
              .filter((u) => !u.disabledAt && u.role !== "viewer")
              .map((u) => (
                <option key={u.id} value={u.id} disabled={memberIds.includes(u.id)}>
                  {u.name}
                </option>
              ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={!adding}
            onClick={() => {
              if (adding && !memberIds.includes(adding)) onChange([...memberIds, adding]);
              setAdding("");
            }}
          >
            Add member
          </button>
        </div>
      </div>
    </fieldset>
  );
}

export function WindowsEditor(props: {
  windows: DraftWindow[];
  errors: Record<string, string>;
  onChange(w: DraftWindow[]): void;
  /** Takes back the errors under a path the person just changed (useSubmission's `clear`). */
  clear(path: string, options?: { exact?: boolean }): void;
}) {
  const { windows, errors, onChange, clear } = props;
  const update = (key: number, change: Partial<TimeWindow>) => {
    const i = windows.findIndex((w) => w.key === key);
    for (const field of Object.keys(change)) clear(`rotation/restrictions/${i}/${field}`);
    onChange(windows.map((w) => (w.key === key ? { ...w, ...change } : w)));
  };
  // A preset or a removal renumbers the windows, and their errors would land on others.
  const replace = (next: DraftWindow[]) => {
    clear("rotation/restrictions");
    onChange(next);
  };
  return (
    <fieldset className="fieldset">
      <legend>When this rotation is on call</legend>
      <p className="field-hint">
        {windows.length === 0
          ? "All the time. Restrict it to certain hours to stack layers, such as a night or weekend rotation."
          : "Only inside these windows, as HH:MM in the schedule’s zone. An end at or before the start runs past midnight; 24:00 is the end of the day."}
      </p>
      <div className="row-buttons" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            className="button button-small"
            onClick={() => replace(p.windows())}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className="button button-small"
          onClick={() => replace([])}
          disabled={windows.length === 0}
        >
          All the time
        </button>
      </div>
      {windows.length > 0 && (
        <ol className="window-list">
          {windows.map((w, i) => {
            const n = i + 1;
            const err = (field: string) => errors[`rotation/restrictions/${i}/${field}`];
            return (
              <li key={w.key} className="window-row">
                <SelectField
                  label={`Window ${n} day`}
                  value={String(w.weekday)}
                  onChange={(e) => update(w.key, { weekday: Number(e.target.value) })}
                  options={WEEK_ORDER.map((d) => ({ value: String(d), label: DAY_LONG[d] }))}
                  error={err("weekday")}
                />
                <Field
                  label={`Window ${n} from`}
                  inputMode="numeric"
                  placeholder="HH:MM"
                  value={w.startTime}
                  onChange={(e) => update(w.key, { startTime: e.target.value })}
                  error={err("startTime")}
                />
                <Field
                  label={`Window ${n} until`}
                  value={w.endTime}
                  inputMode="numeric"
                  placeholder="HH:MM"
                  onChange={(e) => update(w.key, { endTime: e.target.value })}
                  error={err("endTime")}
                />
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  onClick={() => replace(windows.filter((x) => x.key !== w.key))}
                >
                  Remove<span className="visually-hidden"> window {n}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <button
        type="button"
        className="button button-small add-window"
        onClick={() => {
          clear("rotation/restrictions", { exact: true });
          onChange([...windows, ...windowsOf([1], "09:00", "17:00")]);
        }}
      >
        Add a window
      </button>
    </fieldset>
  );
}
