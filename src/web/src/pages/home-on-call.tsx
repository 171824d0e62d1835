// Home's "Who is on call now": every schedule's person on call, and the people an escalation
// policy's first step pages directly (a person or a team rather than a schedule), who are "on call"
// at every hour for the services using it. Policies no service uses page nobody and are left out.
import { alerting, type EscalationPolicy, type Service } from "../alerting-api";
import { useLoad } from "../data";
import { Link } from "../router";
import { MAX_ON_CALL_POLICIES, schedules, type OnCallEntry } from "../schedules-api";
import { LoadState } from "../widgets";
import { formatWhen } from "./schedule-time";
import { personStyle } from "./schedule-timeline";

interface DirectPaging {
  policy: EscalationPolicy;
  /** The services using the policy, by name. */
  services: Service[];
  /** Whom its first step pages directly now (disabled people left out, teams expanded by the server). */
  entries: OnCallEntry[];
  /** Its first step also pages someone through a schedule (listed with the schedules above). */
  alsoBySchedule: boolean;
}

/** Whom each policy's first step pages now: one read for up to MAX_ON_CALL_POLICIES policies. */
async function onCallByPolicy(policyIds: readonly string[]): Promise<OnCallEntry[]> {
  const reads: Array<Promise<{ entries: OnCallEntry[] }>> = [];
  for (let i = 0; i < policyIds.length; i += MAX_ON_CALL_POLICIES)
    reads.push(schedules.onCall({ escalationPolicyIds: policyIds.slice(i, i + MAX_ON_CALL_POLICIES) }));
  return (await Promise.all(reads)).flatMap((answer) => answer.entries);
}

/**
 * Policies whose first step names people or teams, with whom it pages now: one "who is on call" read
 * for them all (a Home that read once per policy made dozens of requests on every visit).
 */
async function loadDirectPaging(): Promise<DirectPaging[]> {
  const [policies, services] = await Promise.all([alerting.listPolicies(), alerting.listServices()]);
  const direct = policies
    .filter((p) => p.steps[0]?.targets.some((t) => t.kind !== "schedule"))
    .map((policy) => ({
      policy,
      services: services
        .filter((s) => s.escalationPolicyId === policy.id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .filter((d) => d.services.length > 0)
    .sort((a, b) => a.policy.name.localeCompare(b.policy.name));
  if (direct.length === 0) return [];
  const entries = await onCallByPolicy(direct.map((d) => d.policy.id));
  return direct.map((d) => {
    const own = entries.filter((e) => e.escalationPolicyId === d.policy.id);
    return {
      ...d,
      entries: own.filter((e) => e.via !== "schedule"),
      alsoBySchedule: own.some((e) => e.via === "schedule"),
    };
  });
}

function People({ entries, zone }: { entries: readonly OnCallEntry[]; zone: string }) {
  return (
    <span>
      {entries.map((e, i) => (
        <span key={`${e.userId}-${i}`} className="oncall-name">
          {i > 0 && ", "}
          <span className="person-dot" style={personStyle(e.userId)} aria-hidden="true" />
          <strong>{e.userName}</strong>
          {e.end && <span className="muted"> until {formatWhen(e.end, zone)}</span>}
          {e.via === "team" && <span className="muted"> (by team)</span>}
          {e.unreachable && (
            // The words a failed page would use: at 3 am "on call" must mean a page reaches them.
            <span className="warning-text"> (unreachable: {e.unreachable})</span>
          )}
        </span>
      ))}
    </span>
  );
}

function DirectList({ direct, zone }: { direct: readonly DirectPaging[]; zone: string }) {
  return (
    <>
      <h3 id="paged-directly">Paged first by escalation policies</h3>
      <p className="muted">
        Named in step 1 of the policy rather than through a schedule: paged at any hour for these services.
      </p>
      <ul className="oncall-list" aria-labelledby="paged-directly">
        {direct.map((d) => (
          <li key={d.policy.id}>
            <span className="oncall-schedule">
              <Link to="/on-call/escalation-policies">{d.policy.name}</Link>
              <span className="muted"> for {d.services.map((s) => s.name).join(", ")}</span>
            </span>
            {d.entries.length > 0 ? (
              <People entries={d.entries} zone={zone} />
            ) : d.alsoBySchedule ? (
              // Its named people are disabled, but a schedule in the same step still reaches someone.
              <span className="muted">Only its schedule's on-call: the people it names are disabled</span>
            ) : (
              <span className="warning-text">Nobody: its people are disabled or its team has no members</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Who is on call now on every schedule, each with when their shift ends (in the reader's zone). */
export function OnCallNow({ zone }: { zone: string }) {
  const onCall = useLoad(() => schedules.onCall());
  const direct = useLoad(loadDirectPaging);
  const bySchedule = new Map<string, { name: string; entries: OnCallEntry[] }>();
  for (const e of onCall.data?.entries ?? []) {
    const key = e.scheduleId ?? "";
    const group = bySchedule.get(key) ?? { name: e.scheduleName ?? "", entries: [] };
    group.entries.push(e);
    bySchedule.set(key, group);
  }
  // A schedule left uncovered by a disabled person is named, not left out as if all were well.
  const disabled = (onCall.data?.gaps ?? []).filter((g) => g.reason === "disabled");
  const groups = [...bySchedule.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
  const directPaging = direct.data ?? [];
  const nothing = groups.length === 0 && disabled.length === 0;
  return (
    <section className="panel" aria-labelledby="on-call-now">
      <h2 id="on-call-now">Who is on call now</h2>
      <p className="muted">Times in {zone}.</p>
      <LoadState what="who is on call" loading={onCall.loading && !onCall.data} error={onCall.error} />
      {onCall.data && nothing && (
        <p className="empty">
          No schedule has anyone on call. <Link to="/schedules">Schedules</Link>
        </p>
      )}
      {!nothing && (
        <ul className="oncall-list" aria-label="On call by schedule">
          {groups.map(([id, group]) => (
            <li key={id}>
              <Link to={`/schedules/${encodeURIComponent(id)}`} className="oncall-schedule">
                {group.name}
              </Link>
              <People entries={group.entries} zone={zone} />
            </li>
          ))}
          {disabled.map((g) => (
            <li key={`gap-${g.scheduleId}`}>
              <Link to={`/schedules/${encodeURIComponent(g.scheduleId)}`} className="oncall-schedule">
                {g.scheduleName}
              </Link>
              <span className="warning-text">
                Nobody: {g.userName ?? "the person on call"} is disabled
                {g.end && <span className="muted"> (their shift ends {formatWhen(g.end, zone)})</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      <LoadState what="whom escalation policies page directly" loading={false} error={direct.error} />
      {directPaging.length > 0 && <DirectList direct={directPaging} zone={zone} />}
    </section>
  );
}
