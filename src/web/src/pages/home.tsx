// Home: who you are, what Firebreak can do today, and the first steps that are real.
import type { ReactNode } from "react";
import { alerting } from "../alerting-api";
import { api, type ApiKey, type User } from "../api";
import { useLoad } from "../data";
import { Page } from "../layout";
import { Link } from "../router";
import { schedules, type OnCallEntry } from "../schedules-api";
import { ROLE_HELP, ROLE_LABEL, useUser } from "../session";
import { LoadState } from "../widgets";
import { loadServiceReadiness, serviceStep } from "./home-service-step";
import { browserTimeZone, formatWhen } from "./schedule-time";
import { personStyle } from "./schedule-timeline";

interface Step {
  key: string;
  done: boolean;
  title: ReactNode;
  detail: ReactNode;
  /** What is still missing, a line each (a step may look started and not be done). */
  gaps?: readonly ReactNode[] | undefined;
}

function Checklist({ steps }: { steps: readonly Step[] }) {
  return (
    <ol className="checklist">
      {steps.map((step) => (
        <li key={step.key} className={step.done ? "done" : undefined}>
          <span className="check" aria-hidden="true">
            {step.done ? "✓" : ""}
          </span>
          <div>
            <p className="check-title">
              <span className="visually-hidden">{step.done ? "Done: " : "To do: "}</span>
              {step.title}
            </p>
            <p className="check-detail">{step.detail}</p>
            {step.gaps?.map((gap, i) => (
              <p key={i} className="check-detail check-gap">
                {gap}
              </p>
            ))}
          </div>
        </li>
      ))}
    </ol>
  );
}

interface Counts {
  users?: readonly User[];
  keys?: readonly ApiKey[];
  services: Step;
  policies?: readonly unknown[];
  methods?: readonly unknown[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function reachMe(methods: readonly unknown[] | undefined): Step {
  const count = methods?.length ?? 0;
  return {
    key: "reach",
    done: count > 0,
    title: <Link to="/settings/notifications">Tell Firebreak how to reach you</Link>,
    detail:
      count > 0
        ? `${plural(count, "contact method", "contact methods")}. Send yourself a test to be sure.`
        : "Slack, email, Teams, Discord, ntfy or a webhook: where your pages go.",
  };
}

function adminSteps({ users, keys, services, policies, methods }: Counts): Step[] {
  const others = users ? users.filter((u) => !u.disabledAt).length - 1 : 0;
  const activeKeys = keys ? keys.filter((k) => !k.revokedAt).length : 0;
  const policyCount = policies?.length ?? 0;
  return [
    { key: "admin", done: true, title: "Set up the admin account", detail: "That is you." },
    {
      key: "team",
      done: others > 0,
      title: <Link to="/settings/users">Add your teammates</Link>,
      detail:
        others > 0
          ? `${others} other ${others === 1 ? "person has" : "people have"} an account.`
          : "Give each person their own account and the role they need.",
    },
    reachMe(methods),
    {
      key: "policy",
      done: policyCount > 0,
      title: <Link to="/on-call/escalation-policies">Set up an escalation policy</Link>,
      detail:
        policyCount > 0
          ? `${plural(policyCount, "policy", "policies")}.`
          : "Who is paged first, and who next when nobody acknowledges.",
    },
    services,
    {
      key: "keys",
      done: activeKeys > 0,
      title: <Link to="/settings/api-keys">Create an API key</Link>,
      detail:
        activeKeys > 0
          ? `${activeKeys} active ${activeKeys === 1 ? "key" : "keys"}.`
          : "For scripts, CI jobs and the firebreak command line. Give each one the smallest role that works.",
    },
  ];
}

function memberSteps({ methods }: Counts, canAct: boolean): Step[] {
  return [
    { key: "account", done: true, title: "Sign in to Firebreak", detail: "That is done." },
    reachMe(methods),
    {
      key: "password",
      done: false,
      title: <Link to="/settings/account">Choose your own password</Link>,
      detail: "If an admin set your first password, replace it with one only you know.",
    },
    {
      key: "incidents",
      done: false,
      title: <Link to="/incidents">See what is open</Link>,
      detail: canAct
        ? "Incidents update live; acknowledge with one tap, or press a on the incident page."
        : "Incidents update live as alerts arrive and people respond.",
    },
  ];
}

/** Who is on call now on every schedule, each with when their shift ends (in the reader's zone). */
function OnCallNow({ zone }: { zone: string }) {
  const onCall = useLoad(() => schedules.onCall());
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
  return (
    <section className="panel" aria-labelledby="on-call-now">
      <h2 id="on-call-now">Who is on call now</h2>
      <p className="muted">Times in {zone}.</p>
      <LoadState what="who is on call" loading={onCall.loading && !onCall.data} error={onCall.error} />
      {onCall.data && groups.length === 0 && disabled.length === 0 && (
        <p className="empty">
          No schedule has anyone on call. <Link to="/schedules">Schedules</Link>
        </p>
      )}
      {groups.length + disabled.length > 0 && (
        <ul className="oncall-list">
          {groups.map(([id, group]) => (
            <li key={id}>
              <Link to={`/schedules/${encodeURIComponent(id)}`} className="oncall-schedule">
                {group.name}
              </Link>
              <span>
                {group.entries.map((e, i) => (
                  <span key={`${e.userId}-${i}`} className="oncall-name">
                    {i > 0 && ", "}
                    <span className="person-dot" style={personStyle(e.userId)} aria-hidden="true" />
                    <strong>{e.userName}</strong>
                    {e.end && <span className="muted"> until {formatWhen(e.end, zone)}</span>}
                  </span>
                ))}
              </span>
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
    </section>
  );
}

export function HomePage() {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const users = useLoad(() => (isAdmin ? api.listUsers() : Promise.resolve(undefined)));
  const keys = useLoad(() => (isAdmin ? api.listApiKeys() : Promise.resolve(undefined)));
  const services = useLoad(() => (isAdmin ? loadServiceReadiness() : Promise.resolve(undefined)));
  const policies = useLoad(() => (isAdmin ? alerting.listPolicies() : Promise.resolve(undefined)));
  const methods = useLoad(alerting.listContactMethods);
  const counts: Counts = {
    users: users.data,
    keys: keys.data,
    services: serviceStep(services.data, services.error),
    policies: policies.data,
    methods: methods.data,
  };
  const steps = isAdmin ? adminSteps(counts) : memberSteps(counts, user.role === "responder");
  const article = user.role === "admin" ? "an" : "a";

  return (
    <Page
      heading={`Welcome, ${user.name}`}
      title="Home"
      lead={
        <>
          You are signed in as {article} <strong>{ROLE_LABEL[user.role].toLowerCase()}</strong>: you{" "}
          {ROLE_HELP[user.role]}.
        </>
      }
    >
      <OnCallNow zone={(user as { timeZone?: string | null }).timeZone || browserTimeZone()} />
      <div className="grid-2">
        <section className="panel" aria-labelledby="getting-started">
          <h2 id="getting-started">Getting started</h2>
          <Checklist steps={steps} />
        </section>
        <section className="panel" aria-labelledby="today">
          <h2 id="today">What works today</h2>
          <p>
            Firebreak receives alerts from Alertmanager, Prometheus, Grafana, tools that speak the PagerDuty
            Events API, JSON webhooks and heartbeats. It groups them into{" "}
            <Link to="/incidents">incidents</Link> and <strong>pages people</strong> through escalation
            policies by Slack, email, Teams, Discord, ntfy or webhook. Acknowledge, resolve and escalate here,
            in Slack, or from the link in the message.
          </p>
          <p>
            <Link to="/schedules">On-call schedules</Link> hand the pager round in rotations, with overrides,
            swaps, covers and follow-the-sun shifts; an escalation step pages whoever is on call.{" "}
            <Link to="/status-pages">Status pages</Link> tell your customers what is down and when it is
            fixed. Still to come: post-mortems and team health.
          </p>
          <ul className="link-list">
            <li>
              <a href="/docs">API documentation</a>
            </li>
            <li>
              <a href="/openapi.json">OpenAPI document (JSON)</a>
            </li>
          </ul>
        </section>
      </div>
    </Page>
  );
}
