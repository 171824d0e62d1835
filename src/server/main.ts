import { existsSync } from "node:fs";
import { runCli, type CliRuntime } from "../cli/run-cli.js";
import { createApiKey } from "../app/api-keys/create-api-key.js";
import { listApiKeys } from "../app/api-keys/list-api-keys.js";
import { revokeApiKey } from "../app/api-keys/revoke-api-key.js";
import { listUsers } from "../app/users/list-users.js";
import type { LocalApiKey } from "../cli/command.js";
import { enabledPersonByEmail } from "../cli/people.js";
import type { PublicApiKey } from "../core/auth/records.js";
import { AppError, notFound } from "../core/errors.js";
import { systemActor } from "../core/auth/actor.js";
import { normalizeEmail } from "../core/auth/credentials.js";
import type { Role } from "../core/auth/roles.js";
import { pendingMigrations } from "../store/migrate.js";
import { MIGRATION_NAMES } from "../store/migrations/index.js";
import { openDatabase } from "../store/open-database.js";
import type { Logger } from "../app/ports/logger.js";
import { loadConfig, printableConfig, type Config } from "./config.js";
import { openStore, startFirebreak, type RunningFirebreak } from "./firebreak.js";
import { createLogger } from "./logger.js";
import { systemClock } from "./system-clock.js";
import { VERSION } from "./version.js";

const out = (text: string) => void process.stdout.write(text);
const err = (text: string) => void process.stderr.write(text);

function configOrExit(overrides: { role?: string | undefined; port?: string | undefined } = {}): Config {
  return loadConfig(process.env, {
    ...(overrides.role !== undefined && { role: overrides.role }),
    ...(overrides.port !== undefined && { port: overrides.port }),
  });
}

/**
 * Whether the configured database exists and is Firebreak's, and how to name it (as `serve` does:
 * `sqlite:/abs/path` or the PostgreSQL URL without its password). Creates nothing: a SQLite file is
 * looked for, not opened; a PostgreSQL database is asked for its migrations.
 */
async function localDatabase(config: Config, logger: Logger): Promise<{ exists: boolean; name: string }> {
  if (config.store.kind === "sqlite")
    return { exists: existsSync(config.store.file), name: `sqlite:${config.store.file}` };
  const handle = openDatabase(config.store, { logger, backgroundCheckpoints: false });
  try {
    const pending = await pendingMigrations(handle);
    return { exists: pending.length < MIGRATION_NAMES.length, name: handle.description };
  } catch (err) {
    throw new Error(`could not read the database ${handle.description}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await handle.close();
  }
}

/**
 * Runs `work` against the local database named by the configuration, then closes it. Unless
 * `mayCreate`, a database that does not exist yet is refused rather than made: run in the wrong
 * folder, `apikey create` would otherwise make a key for a new, empty database no server uses.
 */
async function withLocalStore<T>(
  options: { mayCreate: boolean; refusal: (database: string) => string },
  work: (local: Awaited<ReturnType<typeof openStore>> & { database: string }) => Promise<T>,
): Promise<T> {
  const config = configOrExit();
  // Logs go to stderr so that `--json` output on stdout stays parseable.
  const logger = createLogger(
    { logLevel: config.logLevel === "info" ? "warn" : config.logLevel },
    process.stderr,
  );
  if (!options.mayCreate) {
    const found = await localDatabase(config, logger);
    if (!found.exists) throw new AppError("NOT_FOUND", options.refusal(found.name));
  }
  // A command that runs for a moment needs no checkpointer thread beside it.
  const local = await openStore(config, systemClock, logger, { backgroundCheckpoints: false });
  const { store } = local;
  try {
    return await work({ ...local, database: store.handle.description });
  } finally {
    await store.close();
  }
}

/** Where to run a local command instead; one sentence, after the database's name. */
const WHERE =
  "run it where the server's database is (with the server's FIREBREAK_DATA_DIR or FIREBREAK_DATABASE_URL)";
const noDatabase = (database: string) => `no Firebreak database at ${database}: ${WHERE}`;

const runtime: CliRuntime = {
  version: VERSION,

  async serve(options) {
    const config = configOrExit(options);
    if (options.printConfig) {
      out(`${JSON.stringify(printableConfig(config), null, 2)}\n`);
      return 0;
    }
    const logger = createLogger(config);
    const running = await startFirebreak(config, { logger });
    const storeName = running.store.handle.description;
    const where =
      config.role === "engine"
        ? `(jobs; only /healthz, /readyz and /metrics at ${running.address ?? `port ${config.enginePort}`})`
        : `at ${config.publicUrl}`;
    err(`\nFirebreak ${VERSION} (${config.role}) is running ${where}  [${storeName}]\n`);
    if (config.role !== "engine" && config.publicUrlIsDefault)
      err(
        `\n  Links in messages (acknowledge, resolve) and the integration snippets use ${config.publicUrl},\n` +
          "  which only this machine reaches: set FIREBREAK_PUBLIC_URL to the address your team's phones\n" +
          "  and your alert senders reach Firebreak at.\n",
      );
    if (running.firstAdmin.kind === "sign-in-link") {
      // Printed to the terminal only, never to the log: the link is a credential.
      err(
        `\n  First start: sign in as the first admin with this one-time link (valid until ${running.firstAdmin.expiresAt.toISOString()}):\n\n` +
          `    ${config.publicUrl}/welcome#token=${running.firstAdmin.token}\n\n`,
      );
    }
    // Stay up until a signal whatever handles remain: the engine's timers are unref'd, and Node
    // would otherwise exit (code 13) once nothing else is left to wait for.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    return new Promise<number>((resolve) => {
      let stopping: { signal: string; atMs: number } | undefined;
      const shutdown = (signal: string) => {
        if (stopping) {
          // `npm start` in a terminal: Ctrl-C reaches node from the terminal and again from npm, so a
          // repeat within a second is that echo; a later one is someone who wants out now.
          if (performance.now() - stopping.atMs < REPEATED_SIGNAL_GRACE_MS) return;
          logger.warn(
            { signal },
            `${signal} again while stopping: exiting now, unfinished jobs run again later`,
          );
          resolve(1);
          return;
        }
        stopping = { signal, atMs: performance.now() };
        clearInterval(keepAlive);
        logger.info({ signal }, "shutting down");
        const jobsFinished = countJobsFinished(running.runner);
        const hardExit = setTimeout(() => {
          logger.error({}, "shutdown took too long; exiting");
          resolve(1);
        }, config.shutdownTimeoutMs + 5_000);
        hardExit.unref();
        running.stop().then(
          () => {
            clearTimeout(hardExit);
            const tookMs = Math.round(performance.now() - (stopping?.atMs ?? 0));
            const jobs = jobsFinished.stop();
            logger.info(
              { signal, tookMs, jobsFinished: jobs },
              running.runner
                ? `stopped: ${jobs} ${jobs === 1 ? "job" : "jobs"} finished while stopping, store closed`
                : "stopped: requests finished, store closed",
            );
            resolve(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            resolve(1);
          },
        );
      };
      process.on("SIGTERM", () => shutdown("SIGTERM"));
      process.on("SIGINT", () => shutdown("SIGINT"));
    });
  },

  // As apikey create: run in the wrong folder, migrate would make a database no server uses.
  migrate: (input) =>
    withLocalStore(
      {
        mayCreate: input.createDatabase,
        refusal: (database) =>
          `${noDatabase(database)}, or add --create-database to make it there before the server's first start`,
      },
      async ({ applied, database }) => ({ applied, database }),
    ),

  createApiKey: (input) =>
    withLocalStore(
      {
        mayCreate: input.createDatabase && input.user === undefined,
        refusal: (database) =>
          input.user === undefined
            ? `${noDatabase(database)}, or add --create-database to make it there before the server's first start`
            : // A new database has nobody in it yet for the key to act for.
              `${noDatabase(database)} (a new one would hold no user ${input.user} yet)`,
      },
      async ({ deps, database }) => {
        // As override --user and triage --handler answer: an unknown email is a 404 with the address
        // likely meant, a disabled person named. createApiKey checks again in its transaction.
        if (input.user !== undefined)
          enabledPersonByEmail(input.user, await listUsers(deps, localCaller("create")));
        const created = await createApiKey(deps, localCaller("create"), {
          name: input.name,
          role: input.role as Role,
          ...(input.user !== undefined && { actsForEmail: input.user }),
        });
        return {
          key: created.token,
          apiKey: created.apiKey,
          database,
          actsFor: input.user === undefined ? null : normalizeEmail(input.user),
        };
      },
    ),

  listApiKeys: () =>
    withLocalStore({ mayCreate: false, refusal: noDatabase }, async ({ deps, database }) => ({
      database,
      keys: (await listApiKeys(deps, localCaller("list"))).map(localApiKey),
    })),

  revokeApiKey: (ref) =>
    withLocalStore({ mayCreate: false, refusal: noDatabase }, async ({ deps, database }) => {
      const caller = localCaller("revoke");
      const keys = await listApiKeys(deps, caller);
      const byId = keys.find((k) => k.id === ref);
      const named = keys.filter((k) => k.name === ref && !k.revokedAt);
      if (!byId && named.length > 1)
        throw new AppError(
          "CONFLICT",
          `${named.length} API keys are named ${ref}: give the id (firebreak apikey list)`,
        );
      const key = byId ?? named[0];
      if (!key) throw notFound("API key", ref);
      return { database, apiKey: localApiKey(await revokeApiKey(deps, caller, key.id)) };
    }),
};

/** A second stop signal this soon after the first is the same stop, echoed (see serve). */
const REPEATED_SIGNAL_GRACE_MS = 1_000;

/** Counts the jobs the engine finishes (done, to retry, or failed) from now until `stop()`. */
function countJobsFinished(runner: RunningFirebreak["runner"]): { stop(): number } {
  let finished = 0;
  const count = () => void finished++;
  const unsubscribe = runner
    ? [
        runner.events.on("job:succeeded", count),
        runner.events.on("job:retried", count),
        runner.events.on("job:failed", count),
      ]
    : [];
  return {
    stop() {
      for (const off of unsubscribe) off();
      return finished;
    },
  };
}

const localCaller = (verb: string) => ({ actor: systemActor(`firebreak apikey ${verb}`), requestId: null });

const localApiKey = (k: PublicApiKey): LocalApiKey => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

process.exitCode = await runCli(
  process.argv.slice(2),
  { stdout: out, stderr: err, env: process.env },
  runtime,
);
// Let output drain and the loop end by itself; an idle socket or timer left behind must not keep us alive.
setTimeout(() => process.exit(), 2_000).unref();
