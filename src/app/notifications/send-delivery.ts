import type { User } from "../../core/auth/records.js";
import type { ContactMethod, Delivery, NotificationChannel, Service } from "../../core/alerts/records.js";
import type { Incident } from "../../core/incidents/incident.js";
import type { AlertingDeps } from "../alerting-deps.js";
import { GroupCommit } from "../group-commit.js";
import type { NotificationSender } from "../ports/notifications.js";
import type { IncidentAlerts } from "../ports/alerting-store.js";
import type { Tx, UnitOfWork } from "../ports/store.js";
import { buildIncidentMessage } from "./build-incident-message.js";
import { pagePlanOf } from "./plan-deliveries.js";
import {
  incidentIfStillPaging,
  isPage,
  lastPageEndAt,
  markPagesSkipped,
  whyPageNotWanted,
} from "./page-still-wanted.js";
import { wasNotAttempted, willRetry, type AttemptInfo } from "../../core/jobs/retry-decision.js";
import { deliveredNote } from "../../core/incidents/late-runs.js";

/** A message names the first few alerts (their labels and links) and counts the rest. */
const MESSAGE_ALERTS = 5;
const NO_ALERTS: IncidentAlerts = { first: [], total: 0, firing: 0 };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

type Loaded = {
  delivery: Delivery;
  incident: Incident;
  service: Service;
  target: ContactMethod | NotificationChannel | undefined;
  recipient: User | undefined;
  previousExternalId: string | null;
  alerts: IncidentAlerts;
};

/** What sending a delivery needs, by delivery id; undefined: nothing to send (done, gone, or skipped now). */
export type DeliveryLoader = (deliveryId: string) => Promise<Loaded | undefined>;

/**
 * Loads several deliveries with a handful of reads (no transaction: see UnitOfWork.read), then marks
 * the pages that came due after an acknowledgement as skipped (nobody needs waking).
 */
async function loadForSending(
  deps: AlertingDeps,
  deliveryIds: readonly string[],
): Promise<Map<string, Loaded | undefined>> {
  const { result, skipped } = await deps.uow.read((tx) => readForSending(tx, deliveryIds));
  await markPagesSkipped(deps, skipped);
  return result;
}

async function readForSending(
  tx: Tx,
  deliveryIds: readonly string[],
): Promise<{
  result: Map<string, Loaded | undefined>;
  skipped: Array<{ delivery: Delivery; reason: string }>;
}> {
  const result = new Map<string, Loaded | undefined>();
  const skipped: Array<{ delivery: Delivery; reason: string }> = [];
  const pending = (await tx.deliveries.findByIds(deliveryIds)).filter((d) => d.status === "pending");
  const incidentIds = [...new Set(pending.map((d) => d.incidentId))];
  const incidents = new Map((await tx.incidents.findByIds(incidentIds)).map((i) => [i.id, i]));
  const alertsOf = await tx.alerts.summarizeForIncidents(incidentIds, MESSAGE_ALERTS);
  const externalIds = pending.some((d) => d.channelId)
    ? await tx.deliveries.findLastExternalIds(incidentIds)
    : new Map<string, string>();
  const remembered = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!remembered.has(key)) remembered.set(key, read());
    return remembered.get(key) as Promise<T>;
  };
  for (const delivery of pending) {
    const incident = incidents.get(delivery.incidentId);
    const service =
      incident &&
      (await once(`service ${incident.serviceId}`, () => tx.services.findById(incident.serviceId)));
    if (!incident || !service) continue;
    if (isPage(delivery)) {
      const lastEndedAt = (id: string) => once(`page ended ${id}`, () => lastPageEndAt(tx)(id));
      const reason = await whyPageNotWanted(delivery, incident, lastEndedAt);
      if (reason !== undefined) {
        skipped.push({ delivery, reason });
        continue;
      }
    }
    const target =
      delivery.recipientKind === "user"
        ? await once(`method ${delivery.contactMethodId}`, () =>
            tx.contactMethods.findById(delivery.contactMethodId ?? ""),
          )
        : await once(`channel ${delivery.channelId}`, () => tx.channels.findById(delivery.channelId ?? ""));
    const recipient =
      delivery.recipientKind === "user"
        ? await once(`user ${delivery.recipientId}`, () => tx.users.findById(delivery.recipientId))
        : undefined;
    result.set(delivery.id, {
      delivery,
      incident,
      service,
      target,
      recipient,
      previousExternalId: delivery.channelId
        ? (externalIds.get(`${incident.id} ${delivery.channelId}`) ?? null)
        : null,
      alerts: alertsOf.get(incident.id) ?? NO_ALERTS,
    });
  }
  return { result, skipped };
}

const loadAlone =
  (deps: AlertingDeps): DeliveryLoader =>
  async (deliveryId) =>
    (await loadForSending(deps, [deliveryId])).get(deliveryId);

/** Sends that start together load together: a few statements for all of them. */
export function groupedDeliveryLoader(deps: AlertingDeps, gather?: () => Promise<void>): DeliveryLoader {
  const group = new GroupCommit<string, Loaded | undefined>(
    async (ids) => {
      const loaded = await loadForSending(deps, ids);
      return ids.map((id) => loaded.get(id));
    },
    loadAlone(deps),
    200,
    () => 1,
    gather,
  );
  return (deliveryId) => group.submit(deliveryId);
}

/**
 * Outcomes decided (sent, or failed for good) whose record could not be written, by delivery id, per
 * database: the job's next run in this process writes the outcome instead of sending again, whichever
 * recorder it is given.
 */
const unrecordedOutcomes = new WeakMap<UnitOfWork, Map<string, Outcome>>();
/** Beyond this many (a very long outage), the oldest is forgotten: its re-send carries its idempotency key. */
const MAX_UNRECORDED_OUTCOMES = 10_000;

/**
 * The outcome is decided; writing it is not done. Retryable, and never one of the job's attempts
 * (see core/jobs/retry-decision.ts), so even a last attempt, however old the job, runs again to write it.
 */
export class OutcomeNotRecordedError extends Error {
  readonly retryable = true;
  readonly recordPending = true;
  constructor(status: Outcome["status"], cause: unknown) {
    const what = status === "sent" ? "sent, but recording it failed" : "failed, and recording that failed";
    super(`${what}: ${messageOf(cause)}`, { cause });
    this.name = "OutcomeNotRecordedError";
  }
}

/**
 * Writes an outcome. A failed write keeps the outcome, to be written by the job's next run: a sent
 * page never turns into a failed one, and a failure is not tried again. A worker that dies before
 * then sends again with the same idempotency key, which the receiver uses to keep one.
 */
async function recordKept(
  deps: AlertingDeps,
  recordOutcome: OutcomeRecorder,
  delivery: Delivery,
  outcome: Outcome,
): Promise<void> {
  try {
    await recordOutcome(delivery, outcome);
  } catch (err) {
    let kept = unrecordedOutcomes.get(deps.uow);
    if (!kept) unrecordedOutcomes.set(deps.uow, (kept = new Map()));
    kept.delete(delivery.id);
    if (kept.size >= MAX_UNRECORDED_OUTCOMES) kept.delete(kept.keys().next().value as string);
    kept.set(delivery.id, outcome);
    throw new OutcomeNotRecordedError(outcome.status, err);
  }
  unrecordedOutcomes.get(deps.uow)?.delete(delivery.id);
}

/**
 * The `notification.send` job. The send happens outside any transaction (it waits on the network);
 * the delivery row fences it: once sent, failed or skipped, a re-run does nothing. The send's outcome
 * is kept apart from its record: a record that fails is written again, never taken for a failed send,
 * so the delivery always ends sent or failed. `recordOutcome` may be any recorder: kept outcomes
 * belong to the database, not to it.
 */
export async function sendDelivery(
  deps: AlertingDeps,
  sender: NotificationSender,
  deliveryId: string,
  attempt: AttemptInfo,
  recordOutcome: OutcomeRecorder = recordOutcomeAlone(deps),
  load: DeliveryLoader = loadAlone(deps),
): Promise<void> {
  const now = deps.clock.now();
  const loaded = await load(deliveryId);
  const kept = unrecordedOutcomes.get(deps.uow);
  const unrecorded = kept?.get(deliveryId);
  if (!loaded) {
    // Recorded or skipped meanwhile (another instance, say): nothing is left to write.
    kept?.delete(deliveryId);
    return;
  }
  const { delivery, target } = loaded;
  if (unrecorded) return recordKept(deps, recordOutcome, delivery, unrecorded);
  const { who, via } = receiverOf(loaded);

  if (!target) {
    await recordKept(deps, recordOutcome, delivery, {
      status: "failed",
      error: "the contact method or channel was removed",
      attempts: delivery.attempts,
      timeline: `Could not notify ${who}: ${via}`,
    });
    return;
  }
  // A disabled account can act on nothing (its links are refused): no later rule reaches it.
  if (delivery.recipientKind === "user" && (!loaded.recipient || loaded.recipient.disabledAt)) {
    await recordKept(deps, recordOutcome, delivery, {
      status: "failed",
      error: "the account is disabled",
      attempts: delivery.attempts,
      timeline: `Could not notify ${who} by ${via}: the account is disabled`,
    });
    return;
  }
  // Right before a page goes out: the batch that loaded it may be older than an acknowledgement.
  const incident = isPage(delivery)
    ? await incidentIfStillPaging(deps, delivery, loaded.incident)
    : loaded.incident;
  if (!incident) return;
  const message = buildIncidentMessage(deps, {
    ...loaded,
    incident,
    recipientName: loaded.recipient?.name ?? null,
    now,
  });
  let externalId: string | null;
  try {
    ({ externalId } = await sender.send(target.kind, target.config, message, {
      idempotencyKey: delivery.idempotencyKey,
      previousExternalId: loaded.previousExternalId,
    }));
  } catch (err) {
    const message = messageOf(err);
    // Anything that does not say it is permanent (a bug, a crash of the sender) is worth another try.
    if (willRetry(err, attempt, deps.clock.now())) {
      // The count and last error are for people to see; the retry does not wait on writing them.
      await deps.uow
        .run((tx) =>
          tx.deliveries.markAttempt(delivery.id, {
            status: "pending",
            // A held-back send was not tried: the count shows the receiver's real attempts.
            attempts: delivery.attempts + (wasNotAttempted(err) ? 0 : 1),
            lastError: message,
          }),
        )
        .catch(() => undefined);
      throw err;
    }
    // Permanent (or out of attempts): on the timeline for people to see; escalation goes on regardless.
    await recordKept(deps, recordOutcome, delivery, {
      status: "failed",
      error: message,
      attempts: delivery.attempts + (wasNotAttempted(err) ? 0 : 1),
      timeline: `Notifying ${who} by ${via} failed: ${message}`,
    });
    return;
  }
  // When it went out, even if the record is written on a later run.
  const sentAt = deps.clock.now();
  const attempts = delivery.attempts + 1;
  // Failed tries leave no entries of their own: the one that got through counts them.
  const note = deliveredNote({
    attempts,
    dueAt: firstDueAt(delivery),
    sentAt,
    lastError: delivery.lastError,
  });
  await recordKept(deps, recordOutcome, delivery, {
    status: "sent",
    attempts,
    externalId,
    timeline: `Notified ${who} by ${via}${note.suffix}`,
    sentAt,
    data: note.data,
  });
}

/**
 * Whom and how, in the timeline's words, as the incident's deliveries list names them: a person by
 * name and their contact method by kind and label, a shared channel by its name and kind.
 */
function receiverOf({ delivery, recipient, target }: Loaded): { who: string; via: string } {
  if (delivery.recipientKind === "channel")
    return target && "name" in target
      ? { who: target.name, via: target.kind }
      : { who: "the service's channel", via: "it was removed" };
  const via =
    target && "label" in target
      ? `${target.kind}${target.label ? ` (${target.label})` : ""}`
      : "a removed contact method";
  return { who: recipient?.name ?? "a removed person", via };
}

/** When the delivery's first try was due: a page's rule may delay it; anything else goes out at once. */
const firstDueAt = (delivery: Delivery): Date => pagePlanOf(delivery)?.dueAt ?? delivery.createdAt;

type Outcome = {
  status: "sent" | "failed";
  attempts: number;
  timeline: string;
  error?: string;
  externalId?: string | null;
  /** When a sent message went out; the clock at the write when absent. */
  sentAt?: Date;
  /** More facts for the timeline entry's data (how late, the last error before it got through). */
  data?: Readonly<Record<string, unknown>>;
};

/** Writes a delivery's outcome (its row and a timeline entry), stamped with its `sentAt` or the clock at the write. */
export type OutcomeRecorder = (delivery: Delivery, outcome: Outcome) => Promise<void>;

/** Several outcomes with two multi-row statements: the deliveries' rows, then their timeline entries. */
async function writeOutcomes(
  tx: Tx,
  entries: ReadonlyArray<{ delivery: Delivery; outcome: Outcome }>,
  now: Date,
): Promise<void> {
  await tx.deliveries.recordAttempts(
    entries.map(({ delivery, outcome }) => ({
      ...delivery,
      status: outcome.status,
      attempts: outcome.attempts,
      lastError: outcome.error ?? null,
      externalId: outcome.externalId ?? null,
      sentAt: outcome.status === "sent" ? (outcome.sentAt ?? now) : null,
    })),
  );
  await tx.timeline.appendMany(
    entries.map(({ delivery, outcome }) => ({
      incidentId: delivery.incidentId,
      at: outcome.sentAt ?? now,
      kind: outcome.status === "sent" ? "notification.sent" : "notification.failed",
      actor: null,
      message: outcome.timeline,
      data: {
        deliveryId: delivery.id,
        event: delivery.event,
        attempts: outcome.attempts,
        ...(outcome.error && { error: outcome.error }),
        ...outcome.data,
      },
    })),
  );
}

const recordOutcomeAlone =
  (deps: AlertingDeps): OutcomeRecorder =>
  (delivery, outcome) =>
    deps.uow.run((tx) => writeOutcomes(tx, [{ delivery, outcome }], deps.clock.now()));

/**
 * Outcomes of concurrent sends share one transaction (one commit for many deliveries); `gather`
 * lets those already on their way join (see GroupCommit).
 */
export function groupedOutcomeRecorder(deps: AlertingDeps, gather?: () => Promise<void>): OutcomeRecorder {
  type Entry = { delivery: Delivery; outcome: Outcome };
  const group = new GroupCommit<Entry, void>(
    (entries) =>
      deps.uow.run(async (tx) => {
        await writeOutcomes(tx, entries, deps.clock.now());
        return entries.map(() => undefined);
      }),
    (e) => recordOutcomeAlone(deps)(e.delivery, e.outcome),
    200,
    () => 1,
    gather,
  );
  return (delivery, outcome) => group.submit({ delivery, outcome });
}
