// /schedules/:id/layers/new and /:layerId (admins and the schedule's team's managers): a rotation's members in turn, shift length,
// first handoff (local to the schedule), time-of-day restrictions with presets, and priority, with
// a live preview of the next two weeks as the form changes. Saving an edit applies from now.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, api, messageOf, sentence, type User } from "../api";
import { useLoad, useNow } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, SelectField, useSubmission, wholeNumber } from "../forms";
import { Page } from "../layout";
import { Link, useNavigate } from "../router";
import {
  schedules,
  UNIT_LABEL,
  type Layer,
  type LayerInput,
  type Schedule,
  type ShiftUnit,
  type Timeline,
} from "../schedules-api";
import { LoadState } from "../widgets";
import { MembersEditor, WindowsEditor, windowKey, type DraftWindow } from "./schedule-rotation-fields";
import { addDays, firstHandoffDate, instantOfLocal, localText } from "./schedule-time";
import { TimelineView } from "./schedule-timeline";
import "../schedules.css";

const PREVIEW_DAYS = 14;
const PREVIEW_DELAY_MS = 400;

interface Draft {
  name: string;
  memberIds: string[];
  lengthText: string;
  unit: ShiftUnit;
  startDate: string;
  startTime: string;
  windows: DraftWindow[];
  priorityText: string;
}

const DEFAULT_HANDOFF_TIME = "09:00";

function draftOf(layer: Layer | undefined, schedule: Schedule, nowMs: number): Draft {
  const r = layer?.rotation;
  const topPriority = Math.max(0, ...schedule.layers.filter((l) => !l.endedAt).map((l) => l.priority));
  return {
    name: layer?.name ?? "",
    memberIds: r ? [...r.memberIds] : [],
    lengthText: String(r?.shiftLength ?? 1),
    unit: r?.shiftUnit ?? "weeks",
    startDate: r?.startLocal.slice(0, 10) ?? firstHandoffDate(nowMs, schedule.timeZone, DEFAULT_HANDOFF_TIME),
    startTime: r?.startLocal.slice(11, 16) ?? DEFAULT_HANDOFF_TIME,
    windows: r ? r.restrictions.map((w) => ({ ...w, key: windowKey() })) : [],
    priorityText: String(layer?.priority ?? (schedule.layers.length > 0 ? topPriority + 1 : 1)),
  };
}

/** The draft as the API takes it; throws field errors for what is not a number. */
/**
 * The error each draft field answers, taken back when the field changes. The windows editor takes
 * back its own, one window's field at a time.
 */
const ERROR_PATH: Record<keyof Draft, string | undefined> = {
  name: "name",
  priorityText: "priority",
  memberIds: "rotation/memberIds",
  lengthText: "rotation/shiftLength",
  unit: "rotation/shiftUnit",
  startDate: "rotation/startLocal",
  startTime: "rotation/startLocal",
  windows: undefined,
};

function inputOf(d: Draft): LayerInput {
  return {
    name: d.name.trim(),
    priority: wholeNumber(d.priorityText, "/priority"),
    rotation: {
      memberIds: d.memberIds,
      shiftLength: wholeNumber(d.lengthText, "/rotation/shiftLength"),
      shiftUnit: d.unit,
      startLocal: `${d.startDate}T${d.startTime}`,
      restrictions: d.windows.map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime })),
    },
  };
}

/** The other rotations in force, so the preview shows the final schedule the draft would make. */
const otherLayers = (schedule: Schedule, editing: string | undefined): LayerInput[] =>
  schedule.layers
    .filter((l) => !l.endedAt && l.rotation && l.id !== editing)
    .map((l) => ({ name: l.name, priority: l.priority, rotation: l.rotation! }));

function usePreview(schedule: Schedule, editing: string | undefined, draft: Draft, nowMs: number) {
  const [timeline, setTimeline] = useState<Timeline>();
  const [problem, setProblem] = useState<string>();
  const sequence = useRef(0);
  const key = JSON.stringify(draft);
  const today = localText(nowMs, schedule.timeZone).slice(0, 10);

  useEffect(() => {
    const mine = ++sequence.current;
    let input: LayerInput;
    try {
      input = inputOf(draft);
    } catch (err) {
      setProblem(err instanceof ApiError ? "The preview waits for whole numbers." : messageOf(err));
      return;
    }
    if (input.rotation.memberIds.length === 0) {
      setProblem("Add a member to see the preview.");
      setTimeline(undefined);
      return;
    }
    const timer = window.setTimeout(() => {
      const zone = schedule.timeZone;
      const start = new Date(instantOfLocal(`${today}T00:00`, zone)).toISOString();
      const end = new Date(instantOfLocal(`${addDays(today, PREVIEW_DAYS)}T00:00`, zone)).toISOString();
      const layers = [...otherLayers(schedule, editing), { ...input, name: input.name || "This rotation" }];
      schedules.preview({ timeZone: zone, layers, start, end }).then(
        (t) => {
          if (mine !== sequence.current) return;
          setTimeline(t);
          setProblem(undefined);
        },
        (err: unknown) => {
          if (mine !== sequence.current) return;
          const fields = err instanceof ApiError ? err.fields : [];
          const named = fields.map((f) => sentence(`${f.path.split("/").pop() ?? ""} ${f.message}`));
          setProblem(`Preview: ${named.length > 0 ? named.join(" ") : messageOf(err)}`);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
    // The draft is compared by its JSON text, so a re-render with equal values does not re-ask.
  }, [key, schedule, editing, today]);

  return { timeline, problem };
}

function RotationForm(props: { schedule: Schedule; layer: Layer | undefined; users: User[] }) {
  const { schedule, layer, users } = props;
  const navigate = useNavigate();
  const now = useNow(60_000);
  const [draft, setDraft] = useState<Draft>(() => draftOf(layer, schedule, Date.now()));
  const submission = useSubmission(["name", "priority", "rotation"]);
  const p = submission.paths;
  const preview = usePreview(schedule, layer?.id, draft, now);
  const set = (change: Partial<Draft>) => {
    for (const field of Object.keys(change) as (keyof Draft)[]) {
      const path = ERROR_PATH[field];
      if (path) submission.clear(path);
    }
    setDraft((d) => ({ ...d, ...change }));
  };
  const base = `/schedules/${encodeURIComponent(schedule.id)}`;
  const zone = schedule.timeZone;
  // The preview names draft layers by their place in the request: the draft goes last.
  const highlight = `draft-${otherLayers(schedule, layer?.id).length}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body = inputOf(draft);
      const saved = layer
        ? await schedules.updateLayer(schedule.id, layer.id, body)
        : await schedules.addLayer(schedule.id, body);
      const text = layer
        ? `Rotation “${saved.name}” saved. It applies from now; past shifts stay.`
        : `Rotation “${saved.name}” added.`;
      navigate(`${base}?saved=${encodeURIComponent(text)}`);
    });
  };

  return (
    <div className="editor-grid">
      <section
        className="panel preview"
        aria-labelledby="preview-heading"
        aria-busy={!preview.timeline && !preview.problem}
      >
        <h2 id="preview-heading">Preview: the next two weeks</h2>
        <p className="muted">
          With the schedule’s other rotations; overrides are left out. Nothing is saved until you{" "}
          {layer ? "save" : "create"} the rotation.
        </p>
        <p className="muted" role="status">
          {preview.problem}
        </p>
        {preview.timeline && (
          <TimelineView
            timeline={{ ...preview.timeline, overrides: [] }}
            now={now}
            label="Preview of the next two weeks"
            highlightLayerId={highlight}
          />
        )}
      </section>
      <form className="form form-wide" onSubmit={submit} noValidate>
        {layer && (
          <div className="notice notice-info">
            <p>
              Changes to the rotation apply from now; past shifts stay as they were. A new priority applies to
              all time.
            </p>
          </div>
        )}
        <FormError message={submission.error} />
        <div className="form-row">
          <Field
            label="Name"
            autoComplete="off"
            required
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            error={p.name}
            hint="Such as “Primary” or “Weekend”."
          />
          <Field
            label="Priority"
            inputMode="numeric"
            value={draft.priorityText}
            onChange={(e) => set({ priorityText: e.target.value })}
            error={p.priority}
            hint="Where rotations overlap, the higher number is on call."
          />
        </div>
        <MembersEditor
          memberIds={draft.memberIds}
          users={users}
          error={p["rotation/memberIds"] ?? p.rotation}
          onChange={(memberIds) => {
            // The members' error may come as one about the whole rotation (shown here).
            submission.clear("rotation", { exact: true });
            set({ memberIds });
          }}
        />
        <div className="form-row">
          <Field
            label="Shift length"
            inputMode="numeric"
            value={draft.lengthText}
            onChange={(e) => set({ lengthText: e.target.value })}
            error={p["rotation/shiftLength"]}
          />
          <SelectField
            label="Shift unit"
            value={draft.unit}
            onChange={(e) => set({ unit: e.target.value as ShiftUnit })}
            options={(Object.keys(UNIT_LABEL) as ShiftUnit[]).map((u) => ({
              value: u,
              label: UNIT_LABEL[u],
            }))}
            error={p["rotation/shiftUnit"]}
          />
        </div>
        <div className="form-row">
          <Field
            label="First handoff date"
            type="date"
            required
            value={draft.startDate}
            onChange={(e) => set({ startDate: e.target.value })}
            error={p["rotation/startLocal"]}
            hint="The first member’s first turn begins then; turns are counted from it. Nobody in this rotation is on call before it."
          />
          <Field
            label="Handoff time"
            type="time"
            required
            value={draft.startTime}
            onChange={(e) => set({ startTime: e.target.value })}
            hint={`In ${zone}; every handoff is at this time, across daylight-saving changes.`}
          />
        </div>
        <WindowsEditor
          windows={draft.windows}
          errors={p}
          onChange={(windows) => set({ windows })}
          clear={submission.clear}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={submission.busy}>
            {submission.busy ? "Saving…" : layer ? "Save rotation" : "Create rotation"}
          </button>
          <Link to={base} className="button">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}

export function RotationEditorPage(props: { scheduleRef: string; layerId: string | undefined }) {
  const navigate = useNavigate();
  const schedule = useLoad(() => schedules.get(props.scheduleRef));
  const users = useLoad(api.listUsers);
  const [ending, setEnding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const s = schedule.data;
  const layer = props.layerId ? s?.layers.find((l) => l.id === props.layerId) : undefined;
  const heading = props.layerId
    ? layer
      ? `Edit rotation “${layer.name}”`
      : "Edit rotation"
    : "New rotation";
  const base = s ? `/schedules/${encodeURIComponent(s.id)}` : "/schedules";

  const end = async () => {
    if (!s || !layer) return;
    setBusy(true);
    setError(undefined);
    try {
      await schedules.endLayer(s.id, layer.id);
      navigate(`${base}?saved=${encodeURIComponent(`Rotation “${layer.name}” ended. Past shifts stay.`)}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      heading={heading}
      title={`${heading} · Schedules`}
      eyebrow={s ? <Link to={base}>{s.name}</Link> : <Link to="/schedules">Schedules</Link>}
      lead={s ? `Times in ${s.timeZone}.` : undefined}
    >
      {!s || !users.data ? (
        <LoadState what="the schedule" loading error={schedule.error ?? users.error} />
      ) : props.layerId && (!layer || !layer.rotation || layer.endedAt) ? (
        <p>There is no such rotation in force on this schedule. It may have ended.</p>
      ) : (
        <>
          <RotationForm schedule={s} layer={layer} users={users.data} />
          {layer && (
            <section className="panel" aria-labelledby="end-rotation">
              <h2 id="end-rotation">End this rotation</h2>
              <p className="muted">It stops from now; past shifts stay on the record.</p>
              <button type="button" className="button button-danger-quiet" onClick={() => setEnding(true)}>
                End rotation
              </button>
            </section>
          )}
          <ConfirmDialog
            open={ending}
            title={`End “${layer?.name ?? ""}”?`}
            confirmLabel="End rotation"
            danger
            busy={busy}
            onConfirm={() => void end()}
            onCancel={() => setEnding(false)}
          >
            <p>From now its members are no longer on call through it.</p>
            <FormError message={error} />
          </ConfirmDialog>
        </>
      )}
    </Page>
  );
}
