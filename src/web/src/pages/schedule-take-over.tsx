// The schedule page's emergency "Take over now": from now until the current shift ends, or, when
// nobody is on call, until someone is scheduled again; with nobody scheduled soon, until a time given.
import { useState } from "react";
import { ApiError } from "../api";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, useSubmission } from "../forms";
import { schedules, type OnCallEntry, type OnCallGap, type Override } from "../schedules-api";
import { formatWhen, isoOfLocal, localText } from "./schedule-time";

interface TakeOverDialogProps {
  open: boolean;
  scheduleRef: string;
  zone: string;
  /** Who is on call now; undefined when nobody is. */
  current: OnCallEntry | undefined;
  /** Why nobody is on call now, and until when (null: nobody is scheduled in sight). */
  gap: OnCallGap | undefined;
  onCancel(): void;
  onDone(override: Override): void;
}

export function TakeOverDialog(props: TakeOverDialogProps) {
  const { current, gap, zone } = props;
  // Only an uncovered slot may need an end: a shift under way ends when it ends.
  const asksEnd = !current;
  const [until, setUntil] = useState(() => (gap?.end ? localText(new Date(gap.end).getTime(), zone) : ""));
  const submission = useSubmission(["end"]);

  const confirm = () =>
    void submission.run(async () => {
      let end: string | undefined;
      if (asksEnd && until !== "") {
        end = isoOfLocal(until, zone);
        if (!end)
          throw new ApiError(400, "VALIDATION", "Please correct the fields marked below.", [
            { path: "/end", message: "must be a date and time" },
          ]);
      }
      props.onDone(await schedules.takeOver(props.scheduleRef, end ? { end } : {}));
    });

  const whose =
    gap?.reason === "disabled" && gap.userName ? ` (${gap.userName} is disabled)` : " (nobody is on call)";
  return (
    <ConfirmDialog
      open={props.open}
      title="Take over on-call now?"
      confirmLabel="Take over now"
      danger
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={() => {
        submission.reset();
        props.onCancel();
      }}
    >
      {current ? (
        <p>
          For an emergency: you are paged from now instead of {current.userName}
          {current.end ? `, until ${formatWhen(current.end, zone)}` : ""}. It is recorded on the audit log.
        </p>
      ) : (
        <p>
          For an emergency: you are paged from now{whose}
          {gap?.end
            ? `, until ${formatWhen(gap.end, zone)}, when someone is scheduled again`
            : ", until the time you give"}
          . It is recorded on the audit log.
        </p>
      )}
      <FormError message={submission.error} />
      {asksEnd && (
        <Field
          label="Until"
          type="datetime-local"
          value={until}
          onChange={(e) => {
            setUntil(e.target.value);
            submission.clear("end");
          }}
          error={submission.fields.end}
          hint={
            gap?.end
              ? `In ${zone}. Leave it to cover until someone is scheduled again.`
              : `In ${zone}. Nobody is scheduled soon, so say until when.`
          }
        />
      )}
    </ConfirmDialog>
  );
}
