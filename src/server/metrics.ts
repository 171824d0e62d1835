import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JobStore } from "../app/ports/jobs.js";
import type { Clock } from "../app/ports/clock.js";
import type { EngineEvents } from "../engine/events.js";
import type { HttpMetrics } from "../http/build-http-app.js";

/** Firebreak's own Prometheus metrics: HTTP, the job queue, and the process. */
export function createMetrics(): HttpMetrics & {
  registry: Registry;
  watchEngine: (events: EngineEvents) => void;
  watchQueue: (jobs: JobStore, clock: Clock, overdue: () => number) => void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: "firebreak_jobs_finished_total",
    help: "Job runs by kind and outcome (succeeded, retried, failed, lease_lost)",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "firebreak_job_duration_seconds",
    help: "Duration of successful job runs by kind",
    labelNames: ["kind"] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
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
    watchQueue(jobs, clock, overdue) {
      new Gauge({
        name: "firebreak_jobs",
        help: "Jobs in the queue by state (queued, running, failed)",
        labelNames: ["state"] as const,
        registers: [registry],
        async collect() {
          const { queued, running, failed } = await jobs.counts(clock.now());
          for (const [state, n] of Object.entries({ queued, running, failed })) this.labels(state).set(n);
        },
      });
      new Gauge({
        name: "firebreak_jobs_urgent_waiting",
        help: "Urgent jobs (pages, escalation timers, call-ins) due and not yet taken by any engine",
        registers: [registry],
        async collect() {
          this.set((await jobs.counts(clock.now())).urgentWaiting);
        },
      });
      new Gauge({
        name: "firebreak_jobs_overdue",
        help: "Jobs overdue at the watchdog's last check",
        registers: [registry],
        collect() {
          this.set(overdue());
        },
      });
    },
  };
}
