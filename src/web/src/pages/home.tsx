// Home: who you are, what Firebreak can do today, and the first steps that are real.
import type { ReactNode } from "react";
import { api, type ApiKey, type User } from "../api";
import { useLoad } from "../data";
import { Page } from "../layout";
import { Link } from "../router";
import { ROLE_HELP, ROLE_LABEL, useUser } from "../session";

interface Step {
  key: string;
  done: boolean;
  title: ReactNode;
  detail: ReactNode;
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
          </div>
        </li>
      ))}
    </ol>
  );
}

function adminSteps(users: readonly User[] | undefined, keys: readonly ApiKey[] | undefined): Step[] {
  const others = users ? users.filter((u) => !u.disabledAt).length - 1 : 0;
  const activeKeys = keys ? keys.filter((k) => !k.revokedAt).length : 0;
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
    {
      key: "keys",
      done: activeKeys > 0,
      title: <Link to="/settings/api-keys">Create an API key</Link>,
      detail:
        activeKeys > 0
          ? `${activeKeys} active ${activeKeys === 1 ? "key" : "keys"}.`
          : "For scripts and tools that call the Firebreak API. Give each one the smallest role that works.",
    },
    {
      key: "docs",
      done: false,
      title: <a href="/docs">Explore the API</a>,
      detail: "Interactive documentation of every endpoint, with the OpenAPI document behind it.",
    },
  ];
}

function memberSteps(): Step[] {
  return [
    { key: "account", done: true, title: "Sign in to Firebreak", detail: "That is done." },
    {
      key: "password",
      done: false,
      title: <Link to="/settings/account">Choose your own password</Link>,
      detail: "If an admin set your first password, replace it with one only you know.",
    },
    {
      key: "docs",
      done: false,
      title: <a href="/docs">Explore the API</a>,
      detail:
        "Interactive documentation of every endpoint. Ask an admin for an API key to use it from scripts.",
    },
  ];
}

export function HomePage() {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const users = useLoad(() => (isAdmin ? api.listUsers() : Promise.resolve(undefined)));
  const keys = useLoad(() => (isAdmin ? api.listApiKeys() : Promise.resolve(undefined)));
  const steps = isAdmin ? adminSteps(users.data, keys.data) : memberSteps();
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
      <div className="grid-2">
        <section className="panel" aria-labelledby="getting-started">
          <h2 id="getting-started">Getting started</h2>
          <Checklist steps={steps} />
        </section>
        <section className="panel" aria-labelledby="today">
          <h2 id="today">What works today</h2>
          <p>
            This is an early release of Firebreak. Today it manages accounts, roles and API keys, and serves
            the REST API that everything else will build on.
          </p>
          <p>
            Alerts, on-call, incidents, status pages and post-mortems are coming in later releases; the menu
            shows where they will live. <strong>Firebreak does not page anyone yet</strong>, so keep your
            current paging running.
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
