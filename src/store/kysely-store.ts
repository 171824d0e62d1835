import { sql, type Kysely } from "kysely";
import { AppError } from "../core/errors.js";
import type { Database } from "./schema.js";
import type { EnqueueSignal, JobStore } from "../app/ports/jobs.js";
import type { CredentialSubject, Tx, UnitOfWork } from "../app/ports/store.js";
import { credentialSubjectOf, transactionCredentialChanges } from "./credential-changes.js";
import { JOBS_NOTIFY_CHANNEL, URGENT_NOTIFY_PAYLOAD, jobStore, transactionJobQueue } from "./job-store.js";
import { pendingMigrations } from "./migrate.js";
import type { DatabaseHandle } from "./open-database.js";
import { alertRepository } from "./repositories/alerts.js";
import { apiKeyRepository } from "./repositories/api-keys.js";
import { auditLogRepository } from "./repositories/audit-log.js";
import { changeEventRepository } from "./repositories/change-events.js";
import { channelRepository } from "./repositories/channels.js";
import { contactMethodRepository } from "./repositories/contact-methods.js";
import { deliveryRepository } from "./repositories/deliveries.js";
import { escalationPolicyRepository } from "./repositories/escalation-policies.js";
import { incidentRepository } from "./repositories/incidents.js";
import { integrationRepository } from "./repositories/integrations.js";
import { maintenanceRepository } from "./repositories/maintenance.js";
import { serviceRepository } from "./repositories/services.js";
import { sessionRepository, signInLinkRepository } from "./repositories/sessions.js";
import { settingsRepository } from "./repositories/settings.js";
import { teamRepository } from "./repositories/teams.js";
import { timelineRepository } from "./repositories/timeline.js";
import { userRepository } from "./repositories/users.js";
import { calendarFeedRepository } from "./repositories/calendar-feeds.js";
import { scheduleOverrideRepository } from "./repositories/schedule-overrides.js";
import { scheduleRepository } from "./repositories/schedules.js";
import { shiftTradeRepository } from "./repositories/shift-trades.js";
import { fixFollowUpRepository, incidentFixRepository } from "./repositories/incident-fixes.js";
import { incidentResponseRepository } from "./repositories/incident-responses.js";
import { incidentTaskRepository } from "./repositories/incident-tasks.js";
import { publicUpdateRepository } from "./repositories/public-updates.js";
import { serviceResponseSettingsRepository, vendorRepository } from "./repositories/response-directory.js";
import { statusIncidentRepository, statusMaintenanceRepository } from "./repositories/status-incidents.js";
import { statusComponentRepository, statusPageRepository } from "./repositories/status-pages.js";
import { statusSubscriberRepository } from "./repositories/status-subscribers.js";

/**
 * The store: a unit of work over Kysely, the engine's job table, and readiness checks.
 * Runners in this process hear about new jobs right after commit, and streams about ended
 * credentials; other instances hear NOTIFY.
 */
export class KyselyStore implements UnitOfWork {
  readonly jobs: JobStore;
  private readonly enqueueListeners = new Set<(signal: EnqueueSignal) => void>();
  private readonly credentialListeners = new Set<(subject: CredentialSubject | undefined) => void>();
  private stopListening: (() => Promise<void>) | undefined;
  private migrated = false;
  private readTx: Tx | undefined;
  /** Why the last unit of work could not be written (disk full, I/O error), until one commits again. */
  private writeFailure: { readonly reason: string; readonly atMs: number } | undefined;

  constructor(
    readonly handle: DatabaseHandle,
    /**
     * Stamps a job's created_at and a failed write's time; the caller's clock keeps the store free
     * of `new Date()`.
     */
    private readonly now: () => Date,
  ) {
    this.jobs = jobStore(
      handle.db,
      handle.caps,
      (listener) => {
        this.enqueueListeners.add(listener);
        return () => this.enqueueListeners.delete(listener);
      },
      handle.engineDb,
    );
  }

  async run<T>(work: (tx: Tx) => Promise<T>, options: { waitForDisk?: boolean } = {}): Promise<T> {
    let enqueued: EnqueueSignal | undefined;
    const announced: CredentialSubject[] = [];
    const result = await this.transaction((trx) =>
      work(
        this.repositories(
          trx,
          transactionJobQueue(trx, this.handle.caps, this.now, (signal) => {
            if (!enqueued?.urgent) enqueued = signal;
          }),
          transactionCredentialChanges(trx, this.handle.caps, (subject) => announced.push(subject)),
        ),
      ),
    );
    // Answer (and wake runners, and tell streams) only once the commit is on disk.
    const onDisk = this.handle.durable();
    const tell = () => {
      if (enqueued) this.notifyEnqueued(enqueued);
      for (const subject of announced) this.notifyCredentialChange(subject);
    };
    if (options.waitForDisk === false) {
      if (enqueued || announced.length > 0) void onDisk.then(tell, tell);
      return result;
    }
    await onDisk;
    tell();
    return result;
  }

  onCredentialChange(listener: (subject: CredentialSubject | undefined) => void): () => void {
    this.credentialListeners.add(listener);
    return () => this.credentialListeners.delete(listener);
  }

  durable(): Promise<void> {
    return this.handle.durable();
  }

  /**
   * Reads without BEGIN and COMMIT: two round trips fewer on PostgreSQL, where READ COMMITTED gives a
   * transaction of reads no common snapshot anyway. Each statement sees what was committed when it ran.
   */
  async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // The repositories hold no state of their own: one set over the pool serves every read.
    this.readTx ??= this.repositories(this.handle.db, READ_ONLY_JOB_QUEUE, READ_ONLY_CREDENTIAL_CHANGES);
    try {
      return await work(this.readTx);
    } catch (err) {
      throw this.unavailableError(err) ?? err;
    }
  }

  private repositories(
    trx: Kysely<Database>,
    jobs: Tx["jobs"],
    credentialChanges: Tx["credentialChanges"],
  ): Tx {
    return {
      users: userRepository(trx, this.handle.caps),
      apiKeys: apiKeyRepository(trx),
      sessions: sessionRepository(trx),
      signInLinks: signInLinkRepository(trx),
      teams: teamRepository(trx),
      audit: auditLogRepository(trx),
      services: serviceRepository(trx, this.handle.caps),
      integrations: integrationRepository(trx, this.handle.caps),
      alerts: alertRepository(trx),
      incidents: incidentRepository(trx),
      timeline: timelineRepository(trx),
      escalationPolicies: escalationPolicyRepository(trx),
      contactMethods: contactMethodRepository(trx),
      channels: channelRepository(trx, this.handle.caps),
      deliveries: deliveryRepository(trx),
      changeEvents: changeEventRepository(trx),
      maintenance: maintenanceRepository(trx),
      settings: settingsRepository(trx),
      schedules: scheduleRepository(trx),
      scheduleOverrides: scheduleOverrideRepository(trx),
      shiftTrades: shiftTradeRepository(trx),
      calendarFeeds: calendarFeedRepository(trx),
      incidentResponses: incidentResponseRepository(trx),
      incidentTasks: incidentTaskRepository(trx),
      incidentFixes: incidentFixRepository(trx),
      fixFollowUps: fixFollowUpRepository(trx),
      publicUpdates: publicUpdateRepository(trx),
      vendors: vendorRepository(trx),
      serviceResponseSettings: serviceResponseSettingsRepository(trx),
      statusPages: statusPageRepository(trx),
      statusComponents: statusComponentRepository(trx),
      statusIncidents: statusIncidentRepository(trx),
      statusMaintenances: statusMaintenanceRepository(trx),
      statusSubscribers: statusSubscriberRepository(trx),
      jobs,
      credentialChanges,
    };
  }

  /**
   * A unique-constraint violation (two requests racing to create the same thing) is a CONFLICT; a
   * lock held past the wait, or a database that cannot work now, is UNAVAILABLE (503, try again).
   */
  private async transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      const result = await this.handle.db.transaction().execute(work);
      this.writeFailure = undefined;
      return result;
    } catch (err) {
      // A lost connection shows in readiness's own read; a full disk does not.
      const reason = this.handle.caps.isStorageFailure(err)
        ? this.handle.caps.unavailableReason(err)
        : undefined;
      if (reason !== undefined) this.writeFailure = { reason, atMs: this.now().getTime() };
      if (this.handle.caps.isUniqueViolation(err)) {
        throw new AppError("CONFLICT", "a concurrent change made the same record first; try again", {
          cause: err,
        });
      }
      throw this.unavailableError(err) ?? err;
    }
  }

  /** A database that cannot work now (busy, unreachable, disk full) is a 503 that says why, not a 500. */
  private unavailableError(err: unknown): AppError | undefined {
    if (err instanceof AppError) return undefined;
    const reason = this.handle.caps.isLockTimeout(err)
      ? "the database is busy with another writer"
      : this.handle.caps.unavailableReason(err);
    return reason === undefined
      ? undefined
      : new AppError("UNAVAILABLE", `${reason}; try again`, { cause: err });
  }

  /**
   * Starts hearing other instances' enqueues and credential changes (PostgreSQL LISTEN, one
   * connection for both). A no-op on SQLite.
   */
  async listenForOtherInstances(): Promise<void> {
    if (!this.handle.caps.listenNotify || !this.handle.listen || this.stopListening) return;
    this.stopListening = await this.handle.listen(JOBS_NOTIFY_CHANNEL, (payload) => {
      const subject = payload === undefined ? undefined : credentialSubjectOf(payload);
      if (subject) return this.notifyCredentialChange(subject);
      // No payload: the listener is back after an outage and may have missed an urgent job, or a sign-out.
      if (payload === undefined) this.notifyCredentialChange(undefined);
      this.notifyEnqueued({ urgent: payload === undefined || payload === URGENT_NOTIFY_PAYLOAD });
    });
  }

  /**
   * Readiness: the database answers, every migration this build knows is applied, and no write has
   * been refused for a reason a retry will not cure soon (a full disk answers reads) in the last
   * 30 s, unless one committed since.
   */
  async checkReady(): Promise<{ ok: boolean; detail: string }> {
    try {
      await sql`select 1`.execute(this.handle.db);
      const pending = this.migrated ? [] : await pendingMigrations(this.handle);
      this.migrated = pending.length === 0;
      if (pending.length > 0) return { ok: false, detail: `migrations not applied: ${pending.join(", ")}` };
    } catch (err) {
      return { ok: false, detail: `database unreachable: ${(err as Error).message}` };
    }
    const failure = this.writeFailure;
    const sinceMs = failure === undefined ? Infinity : this.now().getTime() - failure.atMs;
    if (failure === undefined || sinceMs >= WRITE_FAILURE_NOT_READY_MS)
      return { ok: true, detail: "database reachable and migrated" };
    const seconds = Math.max(0, Math.round(sinceMs / 1000));
    return {
      ok: false,
      detail: `writes are failing: ${failure.reason} (a write was refused ${seconds} s ago)`,
    };
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    await this.handle.close();
  }

  private readonly notifyEnqueued = (signal: EnqueueSignal): void => {
    for (const listener of this.enqueueListeners) listener(signal);
  };

  private notifyCredentialChange(subject: CredentialSubject | undefined): void {
    for (const listener of this.credentialListeners) listener(subject);
  }
}

/** How long readiness stays red after a refused write: long enough for a probe to see it, short enough to recover without traffic. */
const WRITE_FAILURE_NOT_READY_MS = 30_000;

/** `read` runs no transaction to enqueue in: a job enqueued there would not commit with anything. */
const refuseEnqueue = () => Promise.reject(new Error("uow.read is for reads: enqueue jobs in uow.run"));
const READ_ONLY_JOB_QUEUE: Tx["jobs"] = { enqueue: refuseEnqueue, enqueueMany: refuseEnqueue };
const READ_ONLY_CREDENTIAL_CHANGES: Tx["credentialChanges"] = {
  announce: () => Promise.reject(new Error("uow.read is for reads: announce credential changes in uow.run")),
};
