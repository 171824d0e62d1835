// Home: what is on fire and who is on call first (people open it at 3 am), then who you are, what
// Firebreak can do today, and the first steps that are real.
import type { ReactNode } from "react";
import { alerting } from "../alerting-api";
import { api, type ApiKey, type User } from "../api";
import { useLoad } from "../data";
import { Page } from "../layout";
import { Link } from "../router";
import { ROLE_HELP, ROLE_LABEL, useUser } from "../session";
import { loadServiceReadiness, serviceStep } from "./home-service-step";
import { OnCallNow } from "./home-on-call";
import { OpenIncidents } from "./home-open-incidents";
import { browserTimeZone } from "./schedule-time";

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
      <OpenIncidents />
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
