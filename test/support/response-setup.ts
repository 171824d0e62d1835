/**
 * A whole Firebreak with a fake clock for incident-response tests: three responders (Ada, Bob, Cy),
 * each with a webhook contact method, a two-step policy (Ada, then Bob), a service with an Alertmanager
 * integration, and helpers to open incidents, act as someone, and run the due jobs.
 */
import { createHash } from "node:crypto";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Role } from "../../src/core/auth/roles.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import type { DialectName } from "./dialects.js";
import { FakeClock } from "./fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "./firebreak-harness.js";
import { RecordingSender } from "./recording-sender.js";

export const setupCaller: Caller = { actor: systemActor("response test"), requestId: null };

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly caller: Caller;
}

export interface ResponseScenario {
  readonly fb: TestFirebreak;
  readonly clock: FakeClock;
  readonly sender: RecordingSender;
  readonly ada: Person;
  readonly bob: Person;
  readonly cy: Person;
  readonly serviceId: string;
  readonly integrationKey: string;
  /** Runs every job due now (and what they enqueue for now). */
  run(): Promise<void>;
  advance(ms: number): Promise<void>;
  /** Fires an Alertmanager alert (its own group) and returns the incident it opened. */
  openIncident(alertname: string, startsAt?: Date): Promise<Incident>;
  /** Fires another alert into the same group (same alertname, another fingerprint). */
  fireAgain(alertname: string, fingerprint: string, startsAt: Date): Promise<void>;
  /** Messages sent to a person (by their display name) whose title matches. */
  sentTo(name: string, title: RegExp): string[];
  person(role: Role, name: string): Promise<Person>;
  close(): Promise<void>;
}

/** Alertmanager fingerprints are 16 hex digits; other text would be replaced by a hash of the labels. */
export const fingerprintOf = (text: string): string =>
  createHash("sha256").update(text).digest("hex").slice(0, 16);

export const alertmanagerBody = (alertname: string, fingerprint: string, startsAt: Date) => ({
  version: "4",
  groupKey: `{}/{team="checkout"}:{alertname="${alertname}"}`,
  truncatedAlerts: 0,
  status: "firing",
  receiver: "firebreak",
  groupLabels: { alertname },
  commonLabels: { alertname, severity: "critical" },
  commonAnnotations: { summary: `${alertname} on checkout` },
  externalURL: "http://alertmanager.example.net",
  alerts: [
    {
      status: "firing",
      labels: { alertname, instance: "checkout-1:9100", severity: "critical" },
      annotations: { summary: `${alertname} on checkout` },
      startsAt: startsAt.toISOString(),
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.net/graph",
      fingerprint: fingerprintOf(fingerprint),
    },
  ],
});

export async function startResponseScenario(
  dialect: DialectName,
  options: {
    env?: Record<string, string>;
    listen?: boolean;
    /** The service's shared channel (kind and settings). */
    sharedChannel?: { kind: string; config: Record<string, unknown> };
  } = {},
): Promise<ResponseScenario> {
  const clock = new FakeClock();
  const sender = new RecordingSender();
  const fb = await startTestFirebreak({
    dialect,
    clock,
    sender,
    startEngine: false,
    ...(options.env && { env: options.env }),
    ...(options.listen && { listen: true }),
  });
  const person = async (role: Role, name: string): Promise<Person> => {
    const email = `${name.toLowerCase()}-${dialect}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const created = await fb.user(role, email);
    await fb.running.deps.uow.run((tx) => tx.users.update(created.id, { name }));
    await addContactMethod(fb.running.deps, setupCaller, {
      userId: created.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    return {
      ...created,
      name,
      caller: { actor: { kind: "user", id: created.id, role, label: email }, requestId: null },
    };
  };
  const ada = await person("responder", "Ada");
  const bob = await person("responder", "Bob");
  const cy = await person("responder", "Cy");
  const policy = await createEscalationPolicy(fb.running.deps, setupCaller, {
    name: "Checkout primary",
    steps: [
      { delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] },
      { delayMinutes: 10, targets: [{ kind: "user", userId: bob.id }] },
    ],
    repeatCount: 0,
  });
  const channel =
    options.sharedChannel &&
    (await createChannel(fb.running.deps, setupCaller, {
      name: "#checkout-alerts",
      ...options.sharedChannel,
    }));
  const service = await createService(fb.running.deps, setupCaller, {
    name: `checkout-${dialect}`,
    escalationPolicyId: policy.id,
    ...(channel && { channelId: channel.id }),
  });
  const { id: integrationId, key: integrationKey } = await createIntegration(fb.running.deps, setupCaller, {
    serviceId: service.id,
    kind: "alertmanager",
  });
  const post = async (body: object) => {
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${integrationKey}`,
      payload: body,
    });
    if (res.statusCode !== 200) throw new Error(`alert refused: ${res.statusCode} ${res.body}`);
  };
  const run = async () => {
    await fb.running.runner!.runDueOnce({ now: clock.now() });
  };
  return {
    fb,
    clock,
    sender,
    ada,
    bob,
    cy,
    serviceId: service.id,
    integrationKey,
    run,
    async advance(ms) {
      clock.advance(ms);
      await run();
    },
    async openIncident(alertname, startsAt = clock.now()) {
      await post(alertmanagerBody(alertname, `fp-${alertname}`, startsAt));
      await run();
      const alert = await fb.running.deps.uow.run((tx) =>
        tx.alerts.findFiringOfIntegration(integrationId, fingerprintOf(`fp-${alertname}`)),
      );
      const incident =
        alert?.incidentId &&
        (await fb.running.deps.uow.run((tx) => tx.incidents.findById(alert.incidentId!)));
      if (!incident) throw new Error(`no incident for ${alertname}`);
      return incident;
    },
    async fireAgain(alertname, fingerprint, startsAt) {
      await post(alertmanagerBody(alertname, fingerprint, startsAt));
    },
    sentTo(name, title) {
      return sender.sent
        .filter((s) => s.message.recipientName === name && title.test(s.message.title))
        .map((s) => s.message.title);
    },
    person,
    close: () => fb.close(),
  };
}
