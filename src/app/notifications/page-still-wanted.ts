import type { Delivery } from "../../core/alerts/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { GroupCommit } from "../group-commit.js";
import type { Tx } from "../ports/store.js";
import { pagePlanOf } from "./plan-deliveries.js";

const PAGE_EVENTS: ReadonlySet<Delivery["event"]> = new Set(["triggered", "escalated", "reopened"]);

/**
 * Once one of these happened after a page was planned, its later rules stay stopped even when the
 * incident is triggered again (escalated by hand, reassigned, reopened): they belong to a page that
 * was answered or taken away. An automatic escalation is not here: earlier steps' rules go on.
 */
const ENDS_A_PAGE: readonly string[] = [
  "incident.acknowledged",
  "incident.resolved",
  "incident.reassigned",
  "incident.reopened",
  "incident.retriggered",
];

/** A message that wakes a person. Shared channels' messages report state changes and always go. */
export const isPage = (delivery: Delivery): boolean =>
  delivery.recipientKind === "user" && PAGE_EVENTS.has(delivery.event);

/**
 * Why this page must not go out now (the delivery's record says it), or undefined when it still
 * should: the incident is no longer triggered, or the page was answered or taken away since it was
 * planned. `lastEndedAt` reads the timeline, only when the escalation moved on since the plan.
 */
export async function whyPageNotWanted(
  delivery: Delivery,
  incident: Incident,
  lastEndedAt: (incidentId: string) => Promise<Date | null>,
): Promise<string | undefined> {
  const byState = whyStateStopsPage(incident);
  if (byState !== undefined) return byState;
  if (await pageEnded(delivery, incident, lastEndedAt))
    return `not sent: the page was answered or taken away since it was planned`;
  return undefined;
}

/** Acknowledged or resolved: nobody needs waking. */
const whyStateStopsPage = (incident: Incident): string | undefined =>
  incident.state === "triggered"
    ? undefined
    : `not sent: INC-${incident.number} was ${incident.state} before the page went out`;

/** The timeline's last entry that ends a page, for `whyPageNotWanted`. */
export const lastPageEndAt =
  (tx: Tx) =>
  (incidentId: string): Promise<Date | null> =>
    tx.timeline.lastEntryAt(incidentId, ENDS_A_PAGE);

/**
 * Whether the page this delivery belongs to was acknowledged, resolved or taken away since it was
 * planned. The timeline is read only when the escalation moved on since (the version says so). Only
 * entries strictly later count: the transaction that planned it wrote its own at the same instant.
 */
async function pageEnded(
  delivery: Delivery,
  incident: Incident,
  lastEndedAt: (incidentId: string) => Promise<Date | null>,
): Promise<boolean> {
  const plan = pagePlanOf(delivery);
  if (!plan || plan.escalationVersion >= incident.escalationVersion) return false;
  return ((await lastEndedAt(incident.id))?.getTime() ?? -Infinity) > delivery.createdAt.getTime();
}

/** Marks pages that are not sent as skipped, with why. */
export async function markPagesSkipped(
  deps: AlertingDeps,
  skipped: ReadonlyArray<{ delivery: Delivery; reason: string }>,
): Promise<void> {
  if (skipped.length === 0) return;
  await deps.uow.run(async (tx) => {
    for (const { delivery, reason } of skipped)
      await tx.deliveries.markAttempt(delivery.id, {
        status: "skipped",
        attempts: delivery.attempts,
        lastError: reason,
      });
  });
}

/** Re-reads of pages that go out together share one statement, per database (see GroupCommit). */
const rereads = new WeakMap<AlertingDeps["uow"], GroupCommit<string, Incident | undefined>>();

function rereadIncident(deps: AlertingDeps, incidentId: string): Promise<Incident | undefined> {
  let group = rereads.get(deps.uow);
  if (!group) {
    group = new GroupCommit<string, Incident | undefined>(
      async (ids) => {
        const found = await deps.uow.read((tx) => tx.incidents.findByIds([...new Set(ids)]));
        const byId = new Map(found.map((incident) => [incident.id, incident]));
        return ids.map((id) => byId.get(id));
      },
      (id) => deps.uow.read((tx) => tx.incidents.findById(id)),
      200,
    );
    rereads.set(deps.uow, group);
  }
  return group.submit(incidentId);
}

/**
 * Re-reads the incident right before a page goes out (by primary key, with the pages going out at the
 * same moment): the batch that loaded it may be older than an acknowledgement committed since
 * (another instance's, say). Returns the incident as read now, or undefined once the page was marked
 * skipped. A failed read sends with what was loaded: a page that goes out matters more than one that
 * could have been spared.
 */
export async function incidentIfStillPaging(
  deps: AlertingDeps,
  delivery: Delivery,
  loaded: Incident,
): Promise<Incident | undefined> {
  let incident: Incident;
  try {
    incident = (await rereadIncident(deps, delivery.incidentId)) ?? loaded;
  } catch (err) {
    deps.logger.warn(
      { err, deliveryId: delivery.id, incidentId: delivery.incidentId },
      "could not re-read the incident before paging; sending with the state loaded earlier",
    );
    return loaded;
  }
  const reason = whyStateStopsPage(incident);
  if (reason === undefined) return incident;
  await markPagesSkipped(deps, [{ delivery, reason }]);
  deps.logger.info({ deliveryId: delivery.id, incidentId: delivery.incidentId, reason }, "page skipped");
  return undefined;
}
