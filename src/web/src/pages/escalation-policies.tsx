// /on-call/escalation-policies: who is paged, in which order, when nobody acknowledges.
import { useEffect, useState } from "react";
import { alerting, type EscalationPolicy, type EscalationTarget, type Team } from "../alerting-api";
import { api, type User } from "../api";
import { useLoad } from "../data";
import { Page } from "../layout";
import { Link, useLocation } from "../router";
import { useUser } from "../session";
import { schedules as schedulesApi, type Schedule } from "../schedules-api";
import { DeleteButton } from "../delete-button";
import { LoadState } from "../widgets";

export function targetName(
  target: EscalationTarget,
  users: readonly User[],
  teams: readonly Team[],
  schedules: readonly { id: string; name: string }[] = [],
): string {
  if (target.kind === "user") {
    const user = users.find((u) => u.id === target.userId);
    return user ? `${user.name}${user.disabledAt ? " (disabled)" : ""}` : "(removed person)";
  }
  if (target.kind === "schedule") {
    const schedule = schedules.find((s) => s.id === target.scheduleId);
    return schedule ? `on call in ${schedule.name}` : "(removed schedule)";
  }
  const team = teams.find((t) => t.id === target.teamId);
  return team ? `team ${team.name}` : "(removed team)";
}

/** Why a page now misses a person, by user id: "Carol has no contact methods", "Dan is disabled". */
export type UnreachablePeople = ReadonlyMap<string, string>;

/**
 * Whom of these people a page would not reach now, read again only when the set of people changes
 * (one request for up to 100 people). A failed read shows no warnings rather than breaking the page.
 */
export function useUnreachablePeople(userIds: readonly string[]): UnreachablePeople {
  const key = [...new Set(userIds)].sort().join("\n");
  const [reasons, setReasons] = useState<UnreachablePeople>(new Map());
  useEffect(() => {
    let alive = true;
    const read = key === "" ? Promise.resolve([]) : schedulesApi.reachability(key.split("\n"));
    read.then(
      (people) => {
        if (!alive) return;
        const missed = people.filter((p) => p.unreachable !== null);
        setReasons(new Map(missed.map((p) => [p.userId, `${p.userName} ${p.unreachable}`])));
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [key]);
  return reasons;
}

/** The people a policy's steps name directly, for useUnreachablePeople. */
export const personTargetIds = (targets: readonly EscalationTarget[]): string[] =>
  targets.flatMap((t) => (t.kind === "user" ? [t.userId] : []));

/** One warning per person of a step whom a page would not reach: the words a failed page would use. */
export function UnreachableWarnings(props: {
  targets: readonly EscalationTarget[];
  unreachable: UnreachablePeople;
}) {
  const reasons = personTargetIds(props.targets).flatMap((id) => props.unreachable.get(id) ?? []);
  return (
    <>
      {reasons.map((reason) => (
        <p key={reason} className="warning-text unreachable-warning">
          {reason}: a page reaches nobody
        </p>
      ))}
    </>
  );
}

function PolicyCard(props: {
  policy: EscalationPolicy;
  users: User[];
  teams: Team[];
  schedules: Schedule[];
  unreachable: UnreachablePeople;
  canEdit: boolean;
  onDeleted(): void;
}) {
  const { policy, users, teams, schedules } = props;
  return (
    <li className="policy">
      <div className="policy-head">
        <h3>{policy.name}</h3>
        {props.canEdit && (
          <Link to={`/on-call/escalation-policies/${policy.id}`} className="button button-small">
            Edit<span className="visually-hidden"> {policy.name}</span>
          </Link>
        )}
        {props.canEdit && (
          <DeleteButton
            name={policy.name}
            onDelete={async () => {
              await alerting.deletePolicy(policy.id);
              props.onDeleted();
            }}
          >
            <p>
              Only a policy no service uses can be deleted. Incidents under way keep escalating by the copy
              they started with.
            </p>
          </DeleteButton>
        )}
      </div>
      <ol className="policy-steps">
        {policy.steps.map((step, i) => (
          <li key={i}>
            <span className="step-number" aria-hidden="true">
              {i + 1}
            </span>
            <div>
              <span>
                Page{" "}
                <strong>{step.targets.map((t) => targetName(t, users, teams, schedules)).join(", ")}</strong>
                <span className="muted">
                  ; if nobody acknowledges within {step.delayMinutes} min,{" "}
                  {i < policy.steps.length - 1
                    ? "the next step"
                    : policy.repeatCount > 0
                      ? "back to step 1"
                      : "the escalation ends"}
                </span>
              </span>
              <UnreachableWarnings targets={step.targets} unreachable={props.unreachable} />
            </div>
          </li>
        ))}
      </ol>
      <p className="muted">
        {policy.repeatCount === 0
          ? "Goes through the steps once."
          : `Goes round all the steps ${policy.repeatCount} more ${policy.repeatCount === 1 ? "time" : "times"}.`}
      </p>
    </li>
  );
}

export function EscalationPoliciesPage() {
  const user = useUser();
  const { search } = useLocation();
  const saved = new URLSearchParams(search).get("saved");
  const policies = useLoad(alerting.listPolicies);
  const users = useLoad(api.listUsers);
  const teams = useLoad(alerting.listTeams);
  const scheduleList = useLoad(schedulesApi.list);
  const isAdmin = user.role === "admin";
  const sorted = [...(policies.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const unreachable = useUnreachablePeople(
    sorted.flatMap((p) => p.steps.flatMap((s) => personTargetIds(s.targets))),
  );

  return (
    <Page
      heading="Escalation policies"
      title="Escalation policies · On-call"
      lead="Who is paged, in order, until someone acknowledges. Each service names one policy."
    >
      <p>
        A step pages whoever is on call in a <Link to="/schedules">schedule</Link>, named people, or every
        member of a team.
      </p>
      {saved && (
        <div className="notice notice-success" role="status">
          <p>Saved “{saved}”. Open incidents keep the policy they started with.</p>
        </div>
      )}
      {isAdmin && (
        <p>
          <Link to="/on-call/escalation-policies/new" className="button button-primary">
            New escalation policy
          </Link>
        </p>
      )}
      <section className="panel" aria-labelledby="all-policies">
        <h2 id="all-policies">All policies</h2>
        <LoadState
          what="escalation policies"
          loading={policies.loading && !policies.data}
          error={policies.error}
        />
        {policies.data && policies.data.length === 0 && (
          <p className="empty">
            No escalation policies yet: no service pages anyone.
            {!isAdmin && " An admin creates them."}
          </p>
        )}
        {sorted.length > 0 && (
          <ul className="policy-list">
            {sorted.map((p) => (
              <PolicyCard
                key={p.id}
                policy={p}
                users={users.data ?? []}
                teams={teams.data ?? []}
                schedules={scheduleList.data ?? []}
                unreachable={unreachable}
                canEdit={isAdmin}
                onDeleted={() => policies.set((list) => list?.filter((x) => x.id !== p.id))}
              />
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
