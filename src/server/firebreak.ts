import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger as PinoLogger } from "pino";
import { LoginAttempts } from "../app/auth/login-attempts.js";
import { DEFAULT_AUTH_SETTINGS, type AppDeps } from "../app/deps.js";
import { armSessionPurge } from "../app/maintenance/purge-expired-sessions.js";
import type { Clock } from "../app/ports/clock.js";
import type { Logger } from "../app/ports/logger.js";
import { ensureFirstAdmin, type FirstAdminOutcome } from "../app/setup/ensure-first-admin.js";
import { EngineEvents } from "../engine/events.js";
import { HandlerRegistry } from "../engine/handler-registry.js";
import { sessionsPurgeHandler } from "../engine/handlers/sessions-purge.js";
import { registerAlertingHandlers } from "../engine/handlers/alerting-handlers.js";
import { registerScheduleHandlers } from "../engine/handlers/schedule-handlers.js";
import { registerResponseHandlers } from "../engine/handlers/response-handlers.js";
import { registerStatusHandlers } from "../engine/handlers/status-handlers.js";
import { PublicStatusPages } from "../app/status/public-status-pages.js";
import { statusPagePublisher } from "../app/status/publish-public-update.js";
import type { StatusDeps } from "../app/status/status-deps.js";
import { createStatusEmailSender } from "../notifiers/email/status-email-sender.js";
import { statusSubscriberChannels } from "../notifiers/webhook/status-webhook-sender.js";
import type { StatusPublisher } from "../app/ports/status-publisher.js";
import { slackIncidentChannels } from "../notifiers/slack/slack-incident-channel.js";
import { armScheduleRearmAll } from "../app/schedules/arm-schedule-jobs.js";
import type { AlertingDeps } from "../app/alerting-deps.js";
import { randomBytes } from "node:crypto";
import { notificationWiring, slackVerifier } from "./notification-wiring.js";
import type { NotificationSender } from "../app/ports/notifications.js";
import { JobRunner } from "../engine/job-runner.js";
import { Watchdog } from "../engine/watchdog.js";
import type { Api } from "../http/api-instance.js";
import { buildHttpApp, buildOperationsApp } from "../http/build-http-app.js";
import { KyselyStore } from "../store/kysely-store.js";
import { migrateToLatest } from "../store/migrate.js";
import { openDatabase, type OpenOptions } from "../store/open-database.js";
import { listeningPort, type Config } from "./config.js";
import { readJobFigures } from "./job-figures.js";
import { createMetrics, METRICS_DATABASE_READ_TIMEOUT_MS } from "./metrics.js";
import { systemClock } from "./system-clock.js";
import { PACKAGE_ROOT, VERSION } from "./version.js";

export interface FirebreakOptions {
  readonly clock?: Clock;
  /** Replaces the real notifiers (scenario tests count what would have been sent). */
  readonly sender?: NotificationSender;
  readonly logger: PinoLogger;
  /** Whether to listen on the configured port; tests use `http.inject` instead. */
  readonly listen?: boolean;
  /** Whether the engine's loop and watchdog run; scenario tests drive `runner.runDueOnce()` instead. */
  readonly startEngine?: boolean;
  /** Where public updates go; by default the status pages whose components are linked to the incident's service. */
  readonly statusPublisher?: StatusPublisher;
}

export interface RunningFirebreak {
  readonly config: Config;
  readonly deps: AlertingDeps;
  readonly store: KyselyStore;
  /** The API and console; in the engine role only /healthz, /readyz and /metrics. */
  readonly http: Api | undefined;
  readonly runner: JobRunner | undefined;
  readonly watchdog: Watchdog | undefined;
  readonly firstAdmin: FirstAdminOutcome;
  /** The address the HTTP server listens on, when it does. */
  readonly address: string | undefined;
  stop(): Promise<void>;
}

/** Opens the store and migrates it: what every command that works on the local database needs first. */
export async function openStore(
  config: Config,
  clock: Clock,
  logger: Logger,
  options: OpenOptions = {},
): Promise<{ store: KyselyStore; deps: AppDeps; applied: string[] }> {
  const handle = openDatabase(config.store, { logger: logger.child({ component: "store" }), ...options });
  let applied: string[];
  try {
    ({ applied } = await migrateToLatest(handle));
    if (applied.length > 0) logger.info({ applied, database: handle.description }, "applied migrations");
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  const store = new KyselyStore(handle, () => clock.now());
  return { store, deps: { uow: store, clock, logger, auth: DEFAULT_AUTH_SETTINGS }, applied };
}

/** The composition root: config → store → app → engine → http. Nothing else wires. */
export async function startFirebreak(config: Config, options: FirebreakOptions): Promise<RunningFirebreak> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const { store, deps } = await openStore(config, clock, logger);
  let shuttingDown = false;
  const metrics = createMetrics();
  // The queue's figures come from the database at each ask, so every role gives the same ones.
  const jobFigures = (statementTimeoutMs?: number) =>
    readJobFigures(store, clock.now(), config.engine.watchdogOverdueMs, {
      ...(statementTimeoutMs !== undefined && { statementTimeoutMs }),
    });
  metrics.watchDatabase(() => jobFigures(METRICS_DATABASE_READ_TIMEOUT_MS), {
    timeoutMs: METRICS_DATABASE_READ_TIMEOUT_MS,
    logger: logger.child({ component: "metrics" }),
  });
  const events = new EngineEvents();
  let runner: JobRunner | undefined;
  let watchdog: Watchdog | undefined;
  // Email that names no SMTP server of its own goes through the server's (FIREBREAK_SMTP_URL).
  const { catalog: notifierCatalog, sender: notificationSender } = notificationWiring(config.notifications);

  try {
    const alerting: AlertingDeps = {
      ...deps,
      publicUrl: config.publicUrl,
      linkSecret:
        config.secretKey?.reveal() ??
        (await store.run((tx) =>
          tx.settings.setIfAbsent("link_signing_key", randomBytes(32).toString("base64url")),
        )),
      notifiers: notifierCatalog,
      actionLinkTtlMs: 24 * 60 * 60_000,
    };
    const statusEmail =
      config.statusPages.smtpUrl && config.statusPages.emailFrom
        ? createStatusEmailSender({
            smtpUrl: config.statusPages.smtpUrl.reveal(),
            from: config.statusPages.emailFrom,
          })
        : undefined;
    // The public cache hears about changes made in this process at once (others poll its version).
    const statusChanges: { pages?: PublicStatusPages } = {};
    const statusDeps: StatusDeps = {
      ...alerting,
      statusChannels: statusSubscriberChannels(statusEmail),
      statusChanged: (pageId) => statusChanges.pages?.changed(pageId),
    };
    const statusPages = new PublicStatusPages(statusDeps);
    statusChanges.pages = statusPages;
    const firstAdmin = await ensureFirstAdmin(deps, {
      email: config.adminEmail,
      password: config.adminPassword?.reveal(),
    });
    await store.run(async (tx) => {
      await armSessionPurge(tx, clock.now());
      await armScheduleRearmAll(tx, clock.now());
    });

    if (config.role !== "api") {
      const registry = registerResponseHandlers(
        registerScheduleHandlers(
          registerAlertingHandlers(
            new HandlerRegistry().register("sessions.purge", sessionsPurgeHandler(store)),
            alerting,
            options.sender ?? notificationSender,
          ),
          alerting,
          options.sender ?? notificationSender,
          config.schedules,
        ),
        alerting,
        {
          sender: options.sender ?? notificationSender,
          channels: slackIncidentChannels({
            botToken: config.slackBotToken?.reveal(),
            apiBaseUrl: config.slackApiBaseUrl,
          }),
          statusPublisher: options.statusPublisher ?? statusPagePublisher(statusDeps),
        },
      );
      registerStatusHandlers(registry, statusDeps);
      runner = new JobRunner(
        store.jobs,
        registry,
        clock,
        logger.child({ component: "engine" }),
        config.engine,
        events,
      );
      watchdog = new Watchdog(store.jobs, clock, logger.child({ component: "watchdog" }), events, {
        overdueMs: config.engine.watchdogOverdueMs,
        intervalMs: config.engine.watchdogIntervalMs,
      });
      metrics.watchEngine(events);
      if (options.startEngine !== false) {
        await store.listenForOtherInstances();
        runner.start();
        watchdog.start();
      }
    }
    let http: Api;
    let address: string | undefined;
    if (config.role === "engine") {
      // No API and no console, but probes and a scrape target: the engine's own metrics live here.
      http = await buildOperationsApp({
        readiness: () => store.checkReady(),
        isShuttingDown: () => shuttingDown,
        metrics,
        logger: logger.child({ component: "http" }),
      });
    } else {
      // Incident streams hear other instances' sign-outs and revocations on the engine's LISTEN.
      await store.listenForOtherInstances();
      http = await buildHttpApp({
        app: deps,
        alerting,
        sender: options.sender ?? notificationSender,
        verifySlack: config.slackSigningSecret
          ? slackVerifier(config.slackSigningSecret.reveal(), clock)
          : undefined,
        loginAttempts: new LoginAttempts(),
        version: VERSION,
        readiness: () => store.checkReady(),
        isShuttingDown: () => shuttingDown,
        metrics,
        jobCounts: () => jobFigures(),
        logger: logger.child({ component: "http" }),
        webRoot: path.join(PACKAGE_ROOT, "dist", "web"),
        secureCookies: config.publicUrl.startsWith("https://"),
        bodyLimitBytes: config.bodyLimitBytes,
        trustProxyHops: config.trustProxyHops,
        status: {
          status: statusDeps,
          pages: statusPages,
          secureCookies: config.publicUrl.startsWith("https://"),
        },
      });
    }
    if (options.listen !== false) address = await listenOn(http, config);
    else await http.ready();

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        const startedMs = performance.now();
        shuttingDown = true;
        // A load balancer polling /readyz needs a while to stop sending here: the API serves on
        // meanwhile (and the engine runs on), within the shutdown's one deadline.
        const drainMs =
          config.role !== "engine" && address !== undefined
            ? Math.min(config.shutdownDrainMs, config.shutdownTimeoutMs)
            : 0;
        if (drainMs > 0) {
          logger.info(
            { drainMs },
            `shutting down: /readyz answers 503; serving ${drainMs} ms more, then closing`,
          );
          await sleep(drainMs);
        }
        await http.close();
        watchdog?.stop();
        const leftMs = config.shutdownTimeoutMs - (performance.now() - startedMs);
        await runner?.stop({ deadlineMs: Math.max(0, Math.round(leftMs)) });
        await store.close();
        statusEmail?.close();
      })());
    return { config, deps: alerting, store, http, runner, watchdog, firstAdmin, address, stop };
  } catch (err) {
    // An engine already started (the port was taken, say) must not run on over a closed store.
    watchdog?.stop();
    await runner?.stop({ deadlineMs: 0 }).catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}

/** Listens on the role's port; a port another process holds is said with the setting to change. */
async function listenOn(http: Api, config: Config): Promise<string> {
  const { port, setting } = listeningPort(config);
  try {
    return await http.listen({ host: config.host, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    const whose =
      setting === "FIREBREAK_ENGINE_PORT"
        ? " (the engine role's port for /healthz, /readyz and /metrics; FIREBREAK_PORT is the API's)"
        : "";
    throw new Error(
      `port ${port} on ${config.host} is in use by another process (another Firebreak on this host?): give each process a port of its own with --port or ${setting}${whose}`,
      { cause: err },
    );
  }
}
