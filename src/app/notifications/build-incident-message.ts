import type { Delivery, Service } from "../../core/alerts/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { IncidentAlerts } from "../ports/alerting-store.js";
import { signActionLink } from "./action-links.js";
import { alertFacts, type Fact } from "./alert-facts.js";
import { pagePlanOf } from "./plan-deliveries.js";

/** What a channel renders for one delivery: a person gets signed acknowledge/resolve links; a channel does not. */
export function buildIncidentMessage(
  deps: AlertingDeps,
  input: {
    incident: Incident;
    service: Service;
    /** The first few alerts, and counts of all. */
    alerts: IncidentAlerts;
    delivery: Delivery;
    recipientName: string | null;
    now: Date;
  },
): IncidentMessage {
  const { incident, service, alerts, delivery } = input;
  const forPerson = delivery.recipientKind === "user" && incident.state !== "resolved";
  // From when the rule is due, not the attempt: every retry sends the same bytes, and a rule's
  // delay (up to a day) does not eat into the link's life.
  const dueAt = pagePlanOf(delivery)?.dueAt ?? delivery.createdAt;
  const link = (action: "acknowledge" | "resolve") =>
    `${deps.publicUrl}/actions/${signActionLink(deps.linkSecret, {
      incidentId: incident.id,
      action,
      userId: delivery.recipientId,
      expiresAt: new Date(dueAt.getTime() + deps.actionLinkTtlMs),
      issuedAt: delivery.createdAt,
    })}`;
  // A channel is told "escalated" only when the policy ran out (a person's "escalated" is their page):
  // the channel reads why before anything else.
  const ranOut: Fact | null =
    delivery.recipientKind === "channel" && delivery.event === "escalated" && incident.escalation
      ? {
          label: "Escalation",
          value: `Nobody acknowledged: every step of ${incident.escalation.policyName} was tried`,
        }
      : null;
  // Severity and the first alert's facts: what a responder needs before opening the console.
  const facts = alertFacts(alerts.first[0], incident.title, [
    ...(ranOut ? [ranOut] : []),
    { label: "Alerts", value: `${alerts.firing} firing of ${alerts.total}` },
    ...(incident.escalation ? [{ label: "Escalation policy", value: incident.escalation.policyName }] : []),
  ]);
  // Passed as a lead row so alertFacts counts it against the bound, then moved ahead of the severity.
  const details = ranOut ? [ranOut, ...facts.filter((f) => f !== ranOut)] : facts;
  return {
    incidentId: incident.id,
    incidentNumber: incident.number,
    event: delivery.event,
    title: incident.title,
    state: incident.state,
    level: incident.level,
    serviceName: service.name,
    openedAt: incident.openedAt,
    recipientName: input.recipientName,
    incidentUrl: `${deps.publicUrl}/incidents/${incident.number}`,
    acknowledgeUrl: forPerson && incident.state === "triggered" ? link("acknowledge") : null,
    resolveUrl: forPerson ? link("resolve") : null,
    details,
    links: alerts.first.flatMap((a) => a.links).slice(0, 5),
  };
}
