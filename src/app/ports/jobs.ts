/**
 * Every future action is a row in the jobs table, written in the caller's transaction.
 * Kinds are `entity.verb`; a changed payload shape gets a new kind (`x.y.v2`), never an edit.
 */
export interface JobPayloads {
  /** Deletes expired sessions and sign-in links, then re-arms itself. */
  "sessions.purge": Record<string, never>;
  /** Moves an unacknowledged incident to its next escalation step. Fenced by the incident's escalation version. */
  "escalation.advance": {
    incidentId: string;
    version: number;
    /** When it was due, so a late run can say so (handlers are not told run_at); older timers lack it. */
    dueAtMs?: number;
  };
  /** Sends one delivery (a message to one person's contact method or to a shared channel). */
  "notification.send": { deliveryId: string };
  /** Resolves an Alertmanager API v2 alert that was not refreshed before its endsAt (before 0.2; still run). */
  "alert.expire": { alertId: string; expiresAtMs: number };
  /** Resolves a service's firing alerts whose endsAt passed unrefreshed, then re-arms for the next one. */
  "alerts.expire-due": { serviceId: string };
  /** When a service's maintenance ends: alerts it held back and that still fire now page. */
  "maintenance.release": { serviceId: string };
  /** Raises the heartbeat's alert when no check-in came after `checkInAtMs` within interval + grace. */
  "heartbeat.check": { integrationId: string; checkInAtMs: number | null; clockFromMs?: number };
  /**
   * Plans the shift-start and handoff notices of the schedule's handoff at `handoffAtMs` (null: none
   * within 8 days; look again), then re-arms for the next. Fenced by holding its job key.
   */
  "schedule.handoff": { scheduleId: string; handoffAtMs: number | null };
  /** Sends one message about a schedule to one contact method or shared channel. */
  "schedule.notice": ScheduleNoticePayload;
  /** Plans the schedule's "who is on call" summary of the 7 days from `weekStartMs`, then re-arms a week on. */
  "schedule.weekly-summary": { scheduleId: string; weekStartMs: number };
  /** Raises or resolves the schedule's gap alerts for the days ahead, then re-arms a day on. */
  "schedule.gap-check": { scheduleId: string };
  /** Hourly safety net: arms the three schedule jobs above for every schedule that lacks them. */
  "schedule.rearm-all": Record<string, never>;
  /** The end of the watch after fix #fixNumber: quiet → ask the handler to resolve. Fenced by fixNumber. */
  "response.watch-end": { incidentId: string; fixNumber: number };
  /** An alert joined the open incident: a regression if the incident is in its watch after a fix. */
  "response.alert-fired": { incidentId: string; firedAtMs: number };
  /** Reminds the owner of a hotfix's proper fix, then re-arms; stops once it is closed. */
  "response.follow-up-reminder": { incidentId: string; fixNumber: number };
  /** Reminds the handler and comms lead to post a public update, then re-arms; stops once one is posted. */
  "response.public-update-reminder": { incidentId: string };
  /** Sends one message about an incident's response to a contact method, shared channel or email list. */
  "response.notice": ResponseNoticePayload;
  /** Opens the incident's channel: a Slack channel of its own, or a thread in the shared channel. */
  "response.channel-open": { incidentId: string };
  /** Invites these people (by their linked Slack member ids) to the incident's Slack channel. */
  "response.channel-invite": { incidentId: string; userIds: string[] };
  /** Posts one key event to the incident's channel. */
  "response.channel-post": { incidentId: string; text: string; idempotencyKey: string };
  /** Hands a posted public update to the status publisher. */
  "response.public-update-publish": { incidentId: string; updateId: string };
  /** Fans a status-page update out: one `status.notify-subscriber` job per confirmed subscriber. */
  "status.notify-subscribers": StatusNotice;
  /** Sends one status-page update to one subscriber (email or webhook); retried on its own. */
  "status.notify-subscriber": StatusNotice & { subscriberId: string };
  /** Sends a new subscriber the double opt-in confirmation mail. */
  "status.confirm-subscriber": { subscriberId: string };
  /** Moves a maintenance to in_progress at its start or completed at its end. Fenced by the instant it was armed for. */
  "status.maintenance-transition": { maintenanceId: string; to: "in_progress" | "completed"; atMs: number };
  /** Makes the services' maintenance windows match the maintenance (paging is held while it runs). */
  "status.maintenance-paging": { maintenanceId: string };
  /** The incident resolved at `resolvedAtMs`: its status-page incidents still open are resolved too. */
  "status.resolve-with-incident": { incidentId: string; resolvedAtMs: number };
}

/** Which status-page update a notification is about. */
export interface StatusNotice {
  readonly pageId: string;
  readonly kind: "incident" | "maintenance";
  readonly itemId: string;
  readonly updateId: string;
}

/** A message about an incident's response (a prompt, a reminder, a call-in, an internal update). */
export interface ResponseNoticePayload {
  readonly incidentId: string;
  /** Sent with every attempt, so a receiver that deduplicates shows it once. */
  readonly idempotencyKey: string;
  readonly to:
    | {
        readonly kind: "contact-method";
        readonly userId: string;
        readonly contactMethodId: string;
        /** A later step of a call-in: not sent once the person has joined the response. */
        readonly unlessJoined?: boolean;
      }
    | { readonly kind: "channel"; readonly channelId: string }
    /** An email channel's SMTP settings, sent to these addresses instead of the channel's own. */
    | { readonly kind: "email"; readonly channelId: string; readonly addresses: readonly string[] };
  readonly title: string;
  readonly details: ReadonlyArray<{ readonly label: string; readonly value: string }>;
}

/**
 * A schedule notice (not about an incident, so no delivery row): the text is fixed when planned; the
 * receiver's settings are read when it is sent.
 */
export interface ScheduleNoticePayload {
  readonly scheduleId: string;
  readonly scheduleName: string;
  /** Sent with every attempt, so a receiver that deduplicates shows it once. */
  readonly idempotencyKey: string;
  readonly to:
    | { readonly kind: "contact-method"; readonly userId: string; readonly contactMethodId: string }
    | { readonly kind: "channel"; readonly channelId: string };
  readonly title: string;
  readonly details: ReadonlyArray<{ readonly label: string; readonly value: string }>;
}

export type JobKind = keyof JobPayloads & string;

/**
 * What happens when a job with the same key is waiting:
 * - `replace`: the new payload and run time win (re-arming a timer);
 * - `keep-earliest`: the new payload wins, the earlier of the two run times stays (debouncing).
 * A job with the key that is running right now is left alone and a new one is queued beside it,
 * taking the key (a later run of the old row sees no key: handlers may fence on that).
 */
export type JobKeyMode = "replace" | "keep-earliest";

export interface EnqueueOptions {
  readonly runAt: Date;
  readonly key?: string;
  readonly keyMode?: JobKeyMode;
  readonly maxAttempts?: number;
  /**
   * Wakes a person (a page, an escalation timer). When the engine's ordinary slots are all busy, its
   * reserved slots claim urgent jobs ahead of everything else.
   */
  readonly urgent?: boolean;
}

/** Enqueue inside the current transaction: a rolled-back transaction leaves no job behind. */
export interface JobQueue<P extends object = JobPayloads> {
  enqueue<K extends keyof P & string>(
    kind: K,
    payload: P[K],
    options: EnqueueOptions,
  ): Promise<{ id: string }>;
  /**
   * Several jobs as if enqueued one after another, in fewer statements (multi-row inserts; jobs
   * with the same key merge in memory first).
   */
  enqueueMany(jobs: ReadonlyArray<EnqueueRequest<P>>): Promise<void>;
}

export type EnqueueRequest<P extends object = JobPayloads> = {
  [K in keyof P & string]: { readonly kind: K; readonly payload: P[K]; readonly options: EnqueueOptions };
}[keyof P & string];

export interface JobRecord {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly runAt: Date;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly key: string | null;
  readonly lockedBy: string | null;
  readonly lockedUntil: Date | null;
  readonly lastError: string | null;
  readonly failedAt: Date | null;
  readonly createdAt: Date;
  readonly urgent: boolean;
}

/** What a committed transaction enqueued, as far as the runner cares. */
export interface EnqueueSignal {
  /** At least one of the jobs was urgent. */
  readonly urgent: boolean;
}

export interface JobCounts {
  readonly queued: number;
  readonly running: number;
  readonly failed: number;
  /** Urgent jobs (pages, escalation timers) due and not yet taken: above 0 for long, pages wait. */
  readonly urgentWaiting: number;
}

/** The engine's side of the jobs table. Every method that finishes a job is fenced by `workerId`. */
export interface JobStore {
  /**
   * Leases up to `limit` due jobs (unlocked, or whose lease expired), oldest first, and counts the
   * attempt. `urgentOnly`: only jobs enqueued as urgent.
   */
  claimDue(args: {
    now: Date;
    limit: number;
    leaseMs: number;
    workerId: string;
    urgentOnly?: boolean;
  }): Promise<JobRecord[]>;
  /**
   * Extends, in one statement, the leases this worker still holds to `now + leaseMs`. Each lease is
   * fenced by the worker and the `lockedUntil` it last wrote, so a lease another worker took (or this
   * one claimed again) is left alone. Returns the ids renewed; a missing id is a lost lease.
   */
  renewLeases(args: {
    leases: ReadonlyArray<{ readonly id: string; readonly lockedUntil: Date }>;
    workerId: string;
    now: Date;
    leaseMs: number;
  }): Promise<string[]>;
  /** Deletes a finished job. False when the lease was lost to another worker. */
  complete(args: { id: string; workerId: string }): Promise<boolean>;
  /**
   * Releases the lease and schedules the next attempt. `countAttempt: false` gives back the attempt
   * the claim counted (the work was not tried).
   */
  retry(args: {
    id: string;
    workerId: string;
    runAt: Date;
    error: string;
    countAttempt?: boolean;
  }): Promise<boolean>;
  /** Records a permanent failure; the row stays for people to see. */
  fail(args: { id: string; workerId: string; now: Date; error: string }): Promise<boolean>;
  /** Hands leased jobs back without counting the attempt (graceful shutdown). */
  release(args: { ids: readonly string[]; workerId: string }): Promise<void>;
  /** The workers holding a live lease at `now` (their `workerId`s), to find the ones that died. */
  leaseHolders(now: Date): Promise<string[]>;
  /**
   * Expires at once, in one statement, the live leases of these workers (processes known to be
   * dead): exactly what their leases running out would do, attempts included. Returns how many.
   */
  expireLeasesOf(args: { workerIds: readonly string[]; now: Date }): Promise<number>;
  /** Jobs due for longer than `overdueMs` that nobody holds a live lease on. */
  findOverdue(args: { now: Date; overdueMs: number; limit: number }): Promise<JobRecord[]>;
  /** How many jobs findOverdue would return without its limit (one count, however long the backlog). */
  countOverdue(args: { now: Date; overdueMs: number }): Promise<number>;
  /**
   * `running` counts live leases (locked_until >= now). A holder that died keeps counting until its
   * lease runs out (running holders renew theirs), or until an engine on its host expires it.
   */
  counts(now: Date): Promise<JobCounts>;
  /** Calls `listener` when a job is enqueued here or (on PostgreSQL) by another instance. */
  onEnqueued(listener: (signal: EnqueueSignal) => void): () => void;
}
