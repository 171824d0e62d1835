// The dialog a timeline block opens: the shift's times in the schedule's zone and the person's own,
// and what one may do from it: ask someone to swap, ask the team to cover, delete an override.
// Managers (admins) may do these for anyone; the request is made in the shift owner's name.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { User } from "../api";
import { FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import { schedules, type Schedule, type Shift, type Timeline } from "../schedules-api";
import { useUser } from "../session";
import { formatSpan } from "./schedule-time";
import type { SelectedShift } from "./schedule-timeline";

/** A modal on the native <dialog>, open while mounted; Esc closes it unless busy. */
export function Modal(props: { title: string; busy?: boolean; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog dialog-wide"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

const DAY_MS = 86_400_000;
/** The longest range one timeline request may cover. */
const LONGEST_VIEW_MS = 62 * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The whole shift behind a block: the view cuts shifts at its edges, and a trade must name the
 * shift as it is. Looks a little further either way when the block touches an edge.
 */
function useWholeShift(selected: SelectedShift, scheduleId: string, timeline: Timeline | undefined) {
  const { shift, row } = selected;
  const cutAtStart = timeline !== undefined && shift.start === timeline.start;
  const cutAtEnd = timeline !== undefined && shift.end === timeline.end;
  const needed = row === "final" && (cutAtStart || cutAtEnd);
  const [whole, setWhole] = useState<Shift | undefined>(needed ? undefined : shift);
  useEffect(() => {
    if (!needed) return;
    let alive = true;
    const startMs = new Date(shift.start).getTime();
    const endMs = new Date(shift.end).getTime();
    const from = cutAtStart ? startMs - 14 * DAY_MS : startMs;
    const to = cutAtEnd ? from + LONGEST_VIEW_MS : endMs;
    const middle = (startMs + endMs) / 2;
    schedules.timeline(scheduleId, iso(from), iso(to)).then(
      (t) => {
        const found = t.final.find(
          (x) =>
            x.userId === shift.userId &&
            new Date(x.start).getTime() <= middle &&
            middle < new Date(x.end).getTime(),
        );
        if (alive) setWhole(found ?? shift);
      },
      () => alive && setWhole(shift),
    );
    return () => {
      alive = false;
    };
  }, [needed, cutAtStart, cutAtEnd, shift, scheduleId]);
  return whole;
}

type Mode = "details" | "swap" | "cover" | "delete";

interface ShiftDialogProps {
  selected: SelectedShift;
  schedule: Schedule;
  timeline: Timeline | undefined;
  users: User[];
  now: number;
  onClose(): void;
  /** After a change the server accepted, with the words to show. */
  onDone(message: string): void;
}

function Times({ shift, zone, timeline }: { shift: Shift; zone: string; timeline: Timeline | undefined }) {
  const own = timeline?.people.find((p) => p.id === shift.userId)?.timeZone;
  return (
    <dl className="details">
      <dt>When</dt>
      <dd>
        {formatSpan(shift.start, shift.end, zone)} <span className="muted">({zone})</span>
      </dd>
      <dt>{shift.userName}’s time</dt>
      <dd>
        {own ? (
          <>
            {formatSpan(shift.start, shift.end, own)} <span className="muted">({own})</span>
          </>
        ) : (
          <span className="muted">No time zone set</span>
        )}
      </dd>
    </dl>
  );
}

/** The other person's upcoming shifts on this schedule, to offer one in return. */
function useShiftsOf(scheduleId: string, userId: string, now: number) {
  const [shifts, setShifts] = useState<Shift[]>();
  useEffect(() => {
    setShifts(undefined);
    if (!userId) return;
    let alive = true;
    const end = iso(now + LONGEST_VIEW_MS);
    schedules.timeline(scheduleId, iso(now), end).then(
      // A shift cut at the window's end is not offered: its real end is unknown here.
      (t) => alive && setShifts(t.final.filter((s) => s.userId === userId && s.end !== end)),
      () => alive && setShifts([]),
    );
    return () => {
      alive = false;
    };
    // Not on `now`: it ticks, and the list need not follow it.
  }, [scheduleId, userId]);
  return shifts;
}

function SwapForm(props: ShiftDialogProps & { onBack(): void }) {
  const { selected, schedule, users, now } = props;
  const me = useUser();
  const shift = selected.shift;
  const [other, setOther] = useState("");
  const [inReturn, setInReturn] = useState("");
  const [note, setNote] = useState("");
  const submission = useSubmission(["offeredTo", "swapWith", "note"]);
  const theirShifts = useShiftsOf(schedule.id, other, now);
  const candidates = users.filter((u) => !u.disabledAt && u.id !== shift.userId && u.role !== "viewer");
  const zone = schedule.timeZone;
  const otherName = users.find((u) => u.id === other)?.name ?? "They";
  // A swap goes both ways: their next shift is the one taken in return unless another is chosen.
  // (A one-way give-away is a cover request.)
  useEffect(() => {
    if (theirShifts && theirShifts.length > 0 && inReturn === "") setInReturn(theirShifts[0]!.start);
  }, [theirShifts, inReturn]);
  const nothingToSwap = theirShifts !== undefined && theirShifts.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const back = theirShifts?.find((s) => s.start === inReturn);
      const trade = await schedules.requestTrade(schedule.id, {
        kind: "swap",
        shift: { start: shift.start, end: shift.end },
        offeredTo: other,
        ...(back && { swapWith: { start: back.start, end: back.end } }),
        ...(shift.userId !== me.id && { requesterId: shift.userId }),
        ...(note.trim() && { note: note.trim() }),
      });
      const name = users.find((u) => u.id === other)?.name ?? "them";
      props.onDone(
        trade.state === "accepted"
          ? "Swapped."
          : `Swap request sent to ${name}. The schedule changes when they accept.`,
      );
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <SelectField
        label="Swap with"
        required
        value={other}
        onChange={(e) => {
          setOther(e.target.value);
          setInReturn("");
          submission.clear("offeredTo");
          submission.clear("swapWith");
        }}
        options={[
          { value: "", label: "Choose a person…" },
          ...candidates.map((u) => ({ value: u.id, label: u.name })),
        ]}
        error={submission.fields.offeredTo}
        hint="They are asked first; nothing changes until they accept."
      />
      {other &&
        (nothingToSwap ? (
          <p className="notice notice-warning" role="status">
            {otherName} has no shifts in the next two months to swap with yours. Go back and ask for cover
            instead: whoever accepts takes your shift.
          </p>
        ) : (
          <SelectField
            label="Their shift you take in return"
            required
            value={inReturn}
            disabled={!theirShifts}
            onChange={(e) => {
              setInReturn(e.target.value);
              submission.clear("swapWith");
            }}
            options={
              theirShifts
                ? theirShifts.map((s) => ({ value: s.start, label: formatSpan(s.start, s.end, zone) }))
                : [{ value: "", label: "Loading their shifts…" }]
            }
            error={submission.fields.swapWith}
            hint={`They take your shift and you take this one of theirs (their shifts in the next two months, in ${zone}).`}
          />
        ))}
      <TextAreaField
        label="Note"
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          submission.clear("note");
        }}
        error={submission.fields.note}
        hint="Optional, such as “I am travelling that day”."
      />
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={submission.busy || !other || nothingToSwap || inReturn === ""}
        >
          {submission.busy ? "Sending…" : "Send swap request"}
        </button>
        <button type="button" className="button" onClick={props.onBack} disabled={submission.busy}>
          Back
        </button>
      </div>
    </form>
  );
}

function CoverForm(props: ShiftDialogProps & { onBack(): void }) {
  const { selected, schedule } = props;
  const me = useUser();
  const [note, setNote] = useState("");
  const submission = useSubmission(["note"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      await schedules.requestTrade(schedule.id, {
        kind: "cover",
        shift: { start: selected.shift.start, end: selected.shift.end },
        ...(selected.shift.userId !== me.id && { requesterId: selected.shift.userId }),
        ...(note.trim() && { note: note.trim() }),
      });
      props.onDone("Cover requested. The first person to accept takes the shift.");
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <p>
        Offered to {schedule.teamId ? "the schedule’s team" : "everyone on this schedule"}; the first to
        accept takes the shift.
      </p>
      <TextAreaField
        label="Note"
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          submission.clear("note");
        }}
        error={submission.fields.note}
        hint="Optional, such as why."
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Asking…" : "Ask for cover"}
        </button>
        <button type="button" className="button" onClick={props.onBack} disabled={submission.busy}>
          Back
        </button>
      </div>
    </form>
  );
}

function DeleteOverride(props: ShiftDialogProps & { onBack(): void }) {
  const { selected, schedule } = props;
  const submission = useSubmission([]);
  const remove = () =>
    void submission.run(async () => {
      await schedules.removeOverride(schedule.id, selected.shift.overrideId ?? "");
      props.onDone(
        "Override deleted. The rotation applies again, and the people whose shifts it moved are told.",
      );
    });
  return (
    <>
      <FormError message={submission.error} />
      <p>The rotation’s own person is on call again for this time.</p>
      <div className="actions">
        <button type="button" className="button button-danger" onClick={remove} disabled={submission.busy}>
          {submission.busy ? "Deleting…" : "Delete override"}
        </button>
        <button type="button" className="button" onClick={props.onBack} disabled={submission.busy}>
          Back
        </button>
      </div>
    </>
  );
}

const ROW_TEXT = { layer: "Rotation", override: "Override", final: "Final schedule" } as const;

export function ShiftDialog(props: ShiftDialogProps) {
  const { schedule, timeline, now } = props;
  const me = useUser();
  const [mode, setMode] = useState<Mode>("details");
  const whole = useWholeShift(props.selected, schedule.id, timeline);
  const shift = whole ?? props.selected.shift;
  const selected = { ...props.selected, shift };
  const forms = { ...props, selected };
  const mine = shift.userId === me.id;
  const isAdmin = me.role === "admin";
  const future = new Date(shift.end).getTime() > now;
  // Trades name a shift of the final schedule: who is really on call, whatever the layers say.
  const canTrade =
    whole !== undefined && future && selected.row === "final" && ((mine && me.role !== "viewer") || isAdmin);
  const tradeHere = future && selected.row === "layer" && ((mine && me.role !== "viewer") || isAdmin);
  const override = shift.overrideId ? timeline?.overrides.find((o) => o.id === shift.overrideId) : undefined;
  // A swap or cover was agreed by two people: only an admin removes it (the server says so too).
  const agreed = override?.source === "swap" || override?.source === "cover";
  const canDelete =
    selected.row === "override" &&
    override !== undefined &&
    (isAdmin || (!agreed && (override.createdBy === me.id || override.userId === me.id)));
  const title =
    mode === "swap"
      ? "Request a swap"
      : mode === "cover"
        ? "Ask for cover"
        : mode === "delete"
          ? "Delete this override?"
          : mine
            ? "Your shift"
            : `${shift.userName}’s shift`;
  const back = () => setMode("details");

  return (
    <Modal title={title} onClose={props.onClose}>
      <p className="muted">
        {ROW_TEXT[selected.row]}
        {selected.layerName && `: ${selected.layerName}`}
        {override && ` (${override.source})`}
      </p>
      <Times shift={shift} zone={schedule.timeZone} timeline={timeline} />
      {whole === undefined && <p role="status">Finding the whole shift…</p>}
      {mode === "swap" && <SwapForm {...forms} onBack={back} />}
      {mode === "cover" && <CoverForm {...forms} onBack={back} />}
      {mode === "delete" && <DeleteOverride {...forms} onBack={back} />}
      {mode === "details" && (
        <div className="actions">
          {canTrade && (
            <>
              <button type="button" className="button button-primary" onClick={() => setMode("swap")}>
                Request swap
              </button>
              <button type="button" className="button" onClick={() => setMode("cover")}>
                Ask for cover
              </button>
            </>
          )}
          {canDelete && (
            <button type="button" className="button button-danger-quiet" onClick={() => setMode("delete")}>
              Delete override
            </button>
          )}
          <button type="button" className="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      )}
      {mode === "details" && !canTrade && mine && !future && <p className="muted">This shift is over.</p>}
      {mode === "details" && tradeHere && (
        <p className="muted">To ask for a swap or cover, choose this time in the final schedule’s row.</p>
      )}
    </Modal>
  );
}
