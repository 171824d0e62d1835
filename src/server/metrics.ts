import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "../app/ports/logger.js";
import type { EngineEvents } from "../engine/events.js";
import type { HttpMetrics } from "../http/build-http-app.js";
import { causeOf } from "../http/problem.js";
import { sharedReceiverGate, type ReceiverGate } from "../notifiers/receiver-gate.js";
import type { JobFigures } from "./job-figures.js";
import { processNotificationCounter, type NotificationCounter } from "./notification-counters.js";

/** How long a scrape waits for the database's figures before it answers without them. */
export const METRICS_DATABASE_READ_TIMEOUT_MS = 2_000;

export interface FirebreakMetrics extends HttpMetrics {
  readonly registry: Registry;
  watchEngine(events: EngineEvents): void;
  /**
   * The job gauges, read by `read` at each scrape. A read that fails or takes longer than `timeoutMs`
   * leaves them out and sets firebreak_database_up to 0: the rest of the scrape still answers.
   */
  watchDatabase(read: () => Promise<JobFigures>, options: { timeoutMs: number; logger: Logger }): void;
}

const SAME_ON_EVERY_INSTANCE = "read from the database, so the same on every instance: aggregate with max()";

/** Where the process-wide notification figures come from; tests give their own. */
export interface NotificationSources {
  /** The sends' outcomes, counted by the sender this process wired (see notification-wiring.ts). */
  readonly counter?: NotificationCounter;
  /** The breakers of the receivers this process sends to. */
  readonly receiverGate?: ReceiverGate;
}

/** Firebreak's own Prometheus metrics: HTTP, the engine, notifications, the job queue, and the process. */
export function createMetrics(notifications: NotificationSources = {}): FirebreakMetrics {
  const registry = new Registry();
  // The database-backed gauges sit apart, so a scrape whose read failed can leave them all out.
  const databaseRegistry = new Registry();
  collectDefaultMetrics({ register: registry });
  registry.registerMetric(notifications.counter ?? processNotificationCounter);
  const receiverGate = notifications.receiverGate ?? sharedReceiverGate;
  new Gauge({
    name: "firebreak_notification_receivers_held_back",
    help: "Receivers (by scheme, host and port) this process holds sends back from now: they stopped answering lately",
    registers: [registry],
    collect() {
      this.set(receiverGate.heldBackCount());
    },
  });

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: "firebreak_jobs_finished_total",
    help: "Job runs of this instance's engine by kind and outcome (succeeded, retried, failed, lease_lost)",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "firebreak_job_duration_seconds",
    help: "Duration of this instance's successful job runs by kind",
    labelNames: ["kind"] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const databaseUp = new Gauge({
    name: "firebreak_database_up",
    help: `1 when this scrape read the job queue from the database, 0 when the read failed or took over ${METRICS_DATABASE_READ_TIMEOUT_MS / 1000} s (the firebreak_jobs* gauges are then left out)`,
    registers: [registry],
  });
  const jobs = new Gauge({
    name: "firebreak_jobs",
    help: `Jobs in the queue by state (queued, running, failed); ${SAME_ON_EVERY_INSTANCE}`,
    labelNames: ["state"] as const,
    registers: [databaseRegistry],
  });
  const urgentWaiting = new Gauge({
    name: "firebreak_jobs_urgent_waiting",
    help: `Urgent jobs (pages, escalation timers, call-ins) due and not yet taken by any engine; ${SAME_ON_EVERY_INSTANCE}`,
    registers: [databaseRegistry],
  });
  const overdue = new Gauge({
    name: "firebreak_jobs_overdue",
    help: `Jobs due longer than FIREBREAK_WATCHDOG_OVERDUE_MS ago that no engine holds; ${SAME_ON_EVERY_INSTANCE}`,
    registers: [databaseRegistry],
  });

  let readFigures: (() => Promise<JobFigures | undefined>) | undefined;

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      const figures = await readFigures?.();
      if (readFigures) databaseUp.set(figures ? 1 : 0);
      const text = await registry.metrics();
      if (!figures) return text;
      for (const state of ["queued", "running", "failed"] as const) jobs.labels(state).set(figures[state]);
      urgentWaiting.set(figures.urgentWaiting);
      overdue.set(figures.overdue);
      return `${text}${await databaseRegistry.metrics()}`;
    },
    observeRequest(method, route, statusCode, seconds) {
      httpDuration.labels(method, route, String(statusCode)).observe(seconds);
    },
    watchEngine(events) {
      events.on("job:succeeded", ({ job, durationMs }) => {
        jobsFinished.labels(job.kind, "succeeded").inc();
        jobDuration.labels(job.kind).observe(durationMs / 1000);
      });
      events.on("job:retried", ({ job }) => jobsFinished.labels(job.kind, "retried").inc());
      events.on("job:failed", ({ job }) => jobsFinished.labels(job.kind, "failed").inc());
      events.on("job:lease-lost", ({ job }) => jobsFinished.labels(job.kind, "lease_lost").inc());
    },
    watchDatabase(read, options) {
      readFigures = boundedReader(read, options.timeoutMs, options.logger);
    },
  };
}

/**
 * One read at a time, shared by the scrapes that arrive meanwhile (a hung database must not pile up
 * a read per scrape), and each scrape waits for it at most `timeoutMs`. An outage is logged when it
 * starts and when it ends, not at every scrape.
 */
function boundedReader(
  read: () => Promise<JobFigures>,
  timeoutMs: number,
  logger: Logger,
): () => Promise<JobFigures | undefined> {
  let inFlight: Promise<JobFigures> | undefined;
  let failingSince: Date | undefined;
  return async () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the database gave no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const figures = await Promise.race([inFlight, timedOut]);
      if (failingSince) {
        logger.info(
          { failingSince: failingSince.toISOString() },
          "metrics: reading the job queue works again; firebreak_database_up is 1",
        );
        failingSince = undefined;
      }
      return figures;
    } catch (err) {
      if (!failingSince) {
        failingSince = new Date();
        logger.warn(
          { cause: causeOf(err) },
          "metrics: cannot read the job queue; firebreak_database_up is 0 and the job gauges are left out until it works",
        );
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
}
