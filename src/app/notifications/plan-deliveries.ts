import type { AuditActor } from "../../core/audit/audit-entry.js";
import type { Delivery, Service } from "../../core/alerts/records.js";
import type { EscalationTarget } from "../../core/escalation/policy.js";
import type { Incident } from "../../core/incidents/incident.js";
import { planPersonNotifications } from "../../core/notifications/plan-person-notifications.js";
import { newTimeOrderedId } from "../time-ordered-id.js";
import type { Tx } from "../ports/store.js";
import { onCallUserId } from "../schedules/on-call-person.js";

type DeliveryEvent = Delivery["event"];

/** A page's idempotency key; it also records the escalation version and delay the page was planned with. */
const pageKey = (incident: Incident, personId: string, contactMethodId: string, delayMs: number) =>
  `page:${incident.id}:v${incident.escalationVersion}:${personId}:${contactMethodId}:${delayMs}`;

/**
 * What a person's page was planned with, read back from its key (deliveries have no columns for it);
 * null for any other delivery.
 */
export function pagePlanOf(delivery: Delivery): { escalationVersion: number; dueAt: Date } | null {
  const parsed = /^page:[^:]*:v(\d+):.*:(\d+)$/.exec(delivery.idempotencyKey);
  if (!parsed) return null;
  return {
    escalationVersion: Number(parsed[1]),
    dueAt: new Date(delivery.createdAt.getTime() + Number(parsed[2])),
  };
}

/**
 * The people behind targets at `at`: users as they are, teams as their members, schedules as whoever
 * is on call in them at `at` (nobody in a gap); disabled users are skipped.
 */
export async function peopleFor(
  tx: Tx,
  targets: readonly EscalationTarget[],
  at: Date,
): Promise<Array<{ id: string; name: string }>> {
  const people = new Map<string, string>();
  const add = async (userId: string) => {
    const user = await tx.users.findById(userId);
    if (user && !user.disabledAt) people.set(user.id, user.name);
  };
  for (const target of targets) {
    if (target.kind === "user") await add(target.userId);
    else if (target.kind === "team") {
      for (const member of await tx.teams.listMembers(target.teamId)) await add(member.userId);
    } else {
      const userId = await onCallUserId(tx, target.scheduleId, at);
      if (userId !== null) await add(userId);
    }
  }
  return [...people].map(([id, name]) => ({ id, name }));
}

/**
 * When a page at `now` would reach the person, by which contact method: their rules on their methods.
 * Empty: nothing reaches them (whyPageMissesPerson words it for the on-call read).
 */
export async function personPagePlan(tx: Tx, personId: string, now: Date) {
  const methods = await tx.contactMethods.listForUser(personId);
  const rules = await tx.contactMethods.listRules(personId);
  return planPersonNotifications(
    rules,
    methods.map((m) => m.id),
    now,
  );
}

/**
 * Plans the messages that page people: one delivery per contact method and rule, each a
 * `notification.send` job at its time. Idempotent per escalation version, so a timer that runs twice
 * plans nothing new. Returns the names of the people paged and of those who cannot be reached.
 */
export async function pagePeople(
  tx: Tx,
  incident: Incident,
  people: ReadonlyArray<{ id: string; name: string }>,
  event: DeliveryEvent,
  now: Date,
): Promise<{ paged: string[]; unreachable: string[] }> {
  const paged: string[] = [];
  const unreachable: string[] = [];
  for (const person of people) {
    const plan = await personPagePlan(tx, person.id, now);
    if (plan.length === 0) {
      unreachable.push(person.name);
      continue;
    }
    paged.push(person.name);
    await noteFirstRuleLater(tx, incident, person.name, plan[0]!.at, now);
    for (const step of plan) {
      const delayMs = step.at.getTime() - now.getTime();
      const delivery: Delivery = {
        id: newTimeOrderedId(now),
        incidentId: incident.id,
        event,
        recipientKind: "user",
        recipientId: person.id,
        contactMethodId: step.contactMethodId,
        channelId: null,
        idempotencyKey: pageKey(incident, person.id, step.contactMethodId, delayMs),
        status: "pending",
        attempts: 0,
        lastError: null,
        externalId: null,
        createdAt: now,
        sentAt: null,
      };
      if (await tx.deliveries.insertIfAbsent(delivery)) {
        await tx.jobs.enqueue(
          "notification.send",
          { deliveryId: delivery.id },
          { runAt: step.at, maxAttempts: 12, urgent: true },
        );
      }
    }
  }
  return { paged, unreachable };
}

/**
 * A person whose earliest notification rule waits (a rule at 5 min and none at 0) counts as paged,
 * but nothing reaches them until then, perhaps after the step's timeout: the timeline says so.
 */
async function noteFirstRuleLater(tx: Tx, incident: Incident, name: string, firstAt: Date, now: Date) {
  const minutes = Math.round((firstAt.getTime() - now.getTime()) / 60_000);
  if (minutes < 1) return;
  await tx.timeline.append({
    incidentId: incident.id,
    at: now,
    kind: "notification.first-rule-later",
    actor: SYSTEM_TIMELINE_ACTOR,
    message: `${name}'s first notification rule is at ${minutes} min: nothing reaches them before then`,
    data: { name, firstAt: firstAt.toISOString() },
  });
}

/** Tells the service's shared channel about an incident event (page- and notify-level incidents only). */
export async function tellChannel(
  tx: Tx,
  service: Service,
  incident: Incident,
  event: DeliveryEvent,
  now: Date,
): Promise<void> {
  if (!service.channelId || incident.level === "ticket") return;
  const delivery: Delivery = {
    id: newTimeOrderedId(now),
    incidentId: incident.id,
    event,
    recipientKind: "channel",
    recipientId: service.channelId,
    contactMethodId: null,
    channelId: service.channelId,
    idempotencyKey: `channel:${incident.id}:${event}:v${incident.escalationVersion}`,
    status: "pending",
    attempts: 0,
    lastError: null,
    externalId: null,
    createdAt: now,
    sentAt: null,
  };
  if (await tx.deliveries.insertIfAbsent(delivery)) {
    await tx.jobs.enqueue("notification.send", { deliveryId: delivery.id }, { runAt: now, maxAttempts: 12 });
  }
}

export const SYSTEM_TIMELINE_ACTOR: AuditActor = { kind: "system", id: "system", label: "Firebreak" };
