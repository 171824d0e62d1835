// A resolved incident's page: what a new alert would do to it, and Reopen (the fix did not hold),
// asked first since it pages people again, with an optional reason for the timeline.
import { useEffect, useState } from "react";
import { alerting, type Incident, type Service } from "../alerting-api";
import { formatTime, useNow } from "../data";
import { ConfirmDialog } from "../dialog";
import { FormError, TextAreaField, useSubmission } from "../forms";
import type { Outcome } from "../widgets";

/**
 * What a new alert does to a resolved incident, by the service's reopen window: within it the alert
 * reopens this incident, after it (or with no window) it opens a new one. Unknown service: no guess.
 */
export function reopenNote(
  service: Pick<Service, "reopenWindowMinutes"> | null | undefined,
  resolvedAt: string | null,
  nowMs: number,
): string {
  const resolved = "This incident is resolved.";
  if (!service) return resolved;
  const minutes = service.reopenWindowMinutes;
  if (minutes <= 0)
    return `${resolved} A new alert for it opens a new incident: its service does not reopen resolved incidents.`;
  const untilMs = resolvedAt === null ? NaN : new Date(resolvedAt).getTime() + minutes * 60_000;
  if (!(untilMs > nowMs))
    return `${resolved} A new alert for it opens a new incident: the service's ${minutes}-minute reopen window has passed.`;
  return `${resolved} A new alert for it until ${formatTime(new Date(untilMs).toISOString())} reopens it (the service's reopen window is ${minutes} min); after that, one opens a new incident.`;
}

function ResolvedNote({ incident, pagedByHand }: { incident: Incident; pagedByHand: boolean }) {
  const [service, setService] = useState<Service | null>();
  const now = useNow();
  useEffect(() => {
    let live = true;
    alerting
      .getService(incident.serviceId)
      .then((found) => live && setService(found))
      .catch(() => live && setService(null));
    return () => {
      live = false;
    };
  }, [incident.serviceId]);
  // No sender will alert again for a page by hand: only a person paging again opens one.
  if (pagedByHand)
    return (
      <p className="muted">
        This incident is resolved. It was opened by hand: if the problem comes back, reopen it.
      </p>
    );
  if (service === undefined) return <p className="muted">This incident is resolved.</p>;
  return <p className="muted">{reopenNote(service, incident.resolvedAt, now)}</p>;
}

/** The API's limit on the reason; the field stops there rather than be refused. */
const MAX_REASON_LENGTH = 1024;

/** What the banner says after a reopen: paging again, or nothing done (someone reopened it first). */
export function reopenedText(
  incident: Pick<Incident, "number" | "escalation" | "level">,
  changed: boolean,
): string {
  if (!changed) return `INC-${incident.number} was open already: nothing changed.`;
  if (incident.level !== "page")
    return `Reopened at ${incident.level} level: the shared channel hears it, nobody is paged.`;
  return incident.escalation
    ? `Reopened: step 1 of ${incident.escalation.policyName} is being paged.`
    : "Reopened. Its service has no escalation policy: nobody is paged.";
}

function ReopenAction(props: {
  incident: Incident;
  busy: boolean;
  onReopened(incident: Incident, outcome: Outcome): void;
}) {
  const { incident } = props;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const submission = useSubmission(["reason"]);

  const confirm = () => {
    void submission.run(async () => {
      const answer = await alerting.reopenIncident(String(incident.number), reason);
      setOpen(false);
      setReason("");
      // An older server says nothing of a change: a triggered answer is taken as the reopen.
      const changed = answer.changed ?? answer.state === "triggered";
      props.onReopened(answer, { kind: "success", text: reopenedText(answer, changed) });
    });
  };

  return (
    <>
      <div className="action-bar">
        <button
          type="button"
          className="button button-big"
          disabled={props.busy || submission.busy}
          onClick={() => {
            submission.reset();
            setOpen(true);
          }}
        >
          Reopen
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={`Reopen INC-${incident.number}?`}
        confirmLabel={incident.level === "page" ? "Reopen and page" : "Reopen"}
        busy={submission.busy}
        onConfirm={confirm}
        onCancel={() => {
          submission.reset();
          setOpen(false);
        }}
      >
        {incident.level === "page" ? (
          <p>
            It is triggered again and paged from step 1 of its service&apos;s escalation policy, as when one
            of its alerts fires again. Acknowledge it to stop the escalation.
          </p>
        ) : (
          <p>
            It is triggered again at {incident.level} level: its service&apos;s shared channel hears it,
            nobody is paged.
          </p>
        )}
        <FormError message={submission.error} />
        <TextAreaField
          label="Why (optional)"
          hint="For the timeline, e.g. the fix did not hold."
          value={reason}
          maxLength={MAX_REASON_LENGTH}
          rows={3}
          error={submission.fields.reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </ConfirmDialog>
    </>
  );
}

/** The note and, for responders, Reopen. */
export function ResolvedActions(props: {
  incident: Incident;
  pagedByHand: boolean;
  busy: boolean;
  onReopened(incident: Incident, outcome: Outcome): void;
}) {
  return (
    <>
      <ResolvedNote incident={props.incident} pagedByHand={props.pagedByHand} />
      <ReopenAction incident={props.incident} busy={props.busy} onReopened={props.onReopened} />
    </>
  );
}
