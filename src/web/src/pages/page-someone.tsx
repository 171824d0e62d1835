// "Page someone": open an incident by hand on a service, which pages its on-call like any alert.
import { useState } from "react";
import { alerting, type Incident, type PagedIncident, type Service } from "../alerting-api";
import { ConfirmDialog } from "../dialog";
import { FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import { Link } from "../router";

interface PageSomeoneProps {
  open: boolean;
  services: readonly Service[];
  /** Preselected, e.g. the service the list is filtered by. */
  serviceId?: string;
  onPaged(incident: Incident): void;
  onCancel(): void;
}

export function PageSomeoneDialog({ open, services, serviceId, onPaged, onCancel }: PageSomeoneProps) {
  const [picked, setPicked] = useState<string>();
  const [summary, setSummary] = useState("");
  // A page that reached nobody stays on screen with the reason: at 3 am "paged" must mean someone.
  const [unanswered, setUnanswered] = useState<PagedIncident>();
  const submission = useSubmission(["service", "summary"]);
  // What the dropdown shows is what is sent: the person's pick, else the list's current filter (known
  // only once the services load), else nothing: a guess could page the wrong team in the night.
  const listed = (id: string | undefined): id is string => services.some((s) => s.id === id);
  const chosen = picked === "" || listed(picked) ? picked : listed(serviceId) ? serviceId : "";

  // Said before the page goes out, not only on the incident's timeline afterwards.
  const unpaged = services.find((s) => s.id === chosen && !s.escalationPolicyId);

  const close = () => {
    submission.reset();
    setUnanswered(undefined);
    onCancel();
  };

  const confirm = () => {
    if (services.length === 0) return close();
    if (unanswered) {
      setUnanswered(undefined);
      return onPaged(unanswered);
    }
    void submission.run(async () => {
      const incident = await alerting.pageSomeone({ service: chosen, summary });
      setSummary("");
      if (incident.pagedNobody) setUnanswered(incident);
      else onPaged(incident);
    });
  };

  return (
    <ConfirmDialog
      open={open}
      title="Page someone"
      confirmLabel={unanswered ? `Open INC-${unanswered.number}` : services.length > 0 ? "Page now" : "Close"}
      busy={submission.busy}
      onConfirm={confirm}
      onCancel={close}
    >
      {unanswered ? (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>INC-{unanswered.number} is open, but nobody was paged.</strong>{" "}
            {unanswered.warning ?? "No step of the escalation policy reached anyone."} Call someone directly,
            or add people to the policy or schedule.
          </p>
        </div>
      ) : services.length === 0 ? (
        <p>
          There is no service to page yet. An admin creates services under{" "}
          <Link to="/services">Services</Link>, each with the escalation policy that says who is paged.
        </p>
      ) : (
        <>
          <p>
            This opens a page-level incident on the service and pages its on-call through its escalation
            policy.
          </p>
          <FormError message={submission.error} />
          <SelectField
            label="Service"
            required
            value={chosen}
            onChange={(e) => {
              setPicked(e.target.value);
              submission.clear("service");
            }}
            options={[
              { value: "", label: "Choose a service…" },
              ...services.map((s) => ({ value: s.id, label: s.name })),
            ]}
            error={submission.fields.service}
            hint={
              unpaged && (
                <span className="warning-text">
                  {unpaged.name} has no escalation policy: nobody will be paged.
                </span>
              )
            }
          />
          <TextAreaField
            label="What is wrong"
            required
            rows={3}
            maxLength={1024}
            value={summary}
            onChange={(e) => {
              setSummary(e.target.value);
              submission.clear("summary");
            }}
            error={submission.fields.summary}
            hint="One line the person paged reads first, such as “Checkout fails for EU customers”."
          />
        </>
      )}
    </ConfirmDialog>
  );
}
