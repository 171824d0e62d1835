import { readFileSync } from "node:fs";
import path from "node:path";
import type { StoreLocation } from "../store/open-database.js";
import { DEFAULT_PG_TIMEOUTS, redactUrl } from "../store/open-database.js";
import { fromProblems, smtpUrlProblems } from "../notifiers/email/email-notifier.js";
import { Secret } from "./secret.js";

export type ProcessRole = "all" | "api" | "engine";

export interface Config {
  readonly host: string;
  /** The API and console's port (FIREBREAK_PORT; --port in the api and all roles). */
  readonly port: number;
  /**
   * The engine role's port, for /healthz, /readyz and /metrics (FIREBREAK_ENGINE_PORT; --port in
   * that role): apart from FIREBREAK_PORT, so an api and an engine sharing one env file both start.
   */
  readonly enginePort: number;
  readonly publicUrl: string;
  /** FIREBREAK_PUBLIC_URL was not set: publicUrl is this machine's localhost, which no one else reaches. */
  readonly publicUrlIsDefault?: boolean;
  readonly dataDir: string;
  readonly store: StoreLocation;
  /** The PostgreSQL URL, kept wrapped so it never prints; `store` holds the revealed copy. */
  readonly databaseUrl: Secret | undefined;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  readonly role: ProcessRole;
  readonly adminEmail: string | undefined;
  readonly adminPassword: Secret | undefined;
  /** Signs acknowledge/resolve links; when unset, a random key is made once and kept in the database. */
  readonly secretKey: Secret | undefined;
  /** The Slack app's signing secret: checks the requests of its Acknowledge/Resolve buttons. */
  readonly slackSigningSecret: Secret | undefined;
  /** The Slack app's bot token: with it, each triaged incident gets a Slack channel of its own. */
  readonly slackBotToken: Secret | undefined;
  /** Slack's Web API base (tests point it at a fake). */
  readonly slackApiBaseUrl: string;
  readonly bodyLimitBytes: number;
  readonly trustProxyHops: number;
  readonly shutdownTimeoutMs: number;
  /** On a stop, how long /readyz says 503 while the API still serves, before it closes (within shutdownTimeoutMs). */
  readonly shutdownDrainMs: number;
  readonly engine: {
    readonly concurrency: number;
    readonly pollMs: number;
    readonly leaseMs: number;
    readonly watchdogOverdueMs: number;
    readonly watchdogIntervalMs: number;
  };
  readonly schedules: {
    /** How many days ahead on-call gaps are looked for and raised as alerts. */
    readonly gapLookaheadDays: number;
  };
  readonly notifications: {
    /** The SMTP server email notifications go through, unless a channel names its own. */
    readonly smtpUrl: Secret | undefined;
    /** The From of that mail. */
    readonly emailFrom: string | undefined;
  };
  readonly statusPages: {
    /**
     * The SMTP server of subscriber mail: its own (FIREBREAK_STATUS_SMTP_URL), else the notifications'
     * one; unset: subscriptions are not offered.
     */
    readonly smtpUrl: Secret | undefined;
    /** The From of subscriber mail (FIREBREAK_STATUS_EMAIL_FROM, else FIREBREAK_SMTP_FROM). */
    readonly emailFrom: string | undefined;
  };
}

/** One row per setting: the README's configuration table is this list. */
export const SETTINGS = [
  ["FIREBREAK_PORT", "8080", "HTTP port of the API and console (roles all and api)"],
  [
    "FIREBREAK_ENGINE_PORT",
    "8081",
    "HTTP port of an engine-role process's /healthz, /readyz and /metrics, apart from FIREBREAK_PORT so an api and an engine process on one host can share their settings",
  ],
  ["FIREBREAK_HOST", "127.0.0.1", "Address to listen on; 0.0.0.0 to accept connections from other machines"],
  [
    "FIREBREAK_PUBLIC_URL",
    "http://localhost:$PORT",
    "The URL people reach Firebreak at (links in messages, cookies)",
  ],
  ["FIREBREAK_DATA_DIR", "./data", "Folder of the embedded SQLite database"],
  [
    "FIREBREAK_DATABASE_URL",
    "(unset: SQLite)",
    "postgres://… to use PostgreSQL; also FIREBREAK_DATABASE_URL_FILE",
  ],
  ["FIREBREAK_DB_POOL_SIZE", "10", "PostgreSQL connections per instance"],
  [
    "FIREBREAK_PG_CONNECT_TIMEOUT_MS",
    "10000",
    "PostgreSQL: longest wait to open a connection or for a free one of the pool; then 503 with Retry-After",
  ],
  [
    "FIREBREAK_PG_QUERY_TIMEOUT_MS",
    "30000",
    "PostgreSQL: the server cancels a statement running this long (statement_timeout), and Firebreak stops waiting for an answer 1 s later (a hung server; that connection is dropped); then 503. 0: no limit (a long migration)",
  ],
  [
    "FIREBREAK_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    "60000",
    "PostgreSQL: the server ends a session idle inside a transaction this long, freeing its locks (an instance that hung or lost its network); 0: no limit",
  ],
  [
    "FIREBREAK_SQLITE_SYNCHRONOUS",
    "full",
    "full (every commit survives power loss) or normal (survives a crash of the process)",
  ],
  ["FIREBREAK_LOG_LEVEL", "info", "fatal, error, warn, info, debug, trace or silent"],
  [
    "FIREBREAK_ROLE",
    "all",
    "all, api (HTTP only) or engine (jobs, with only /healthz, /readyz and /metrics on FIREBREAK_ENGINE_PORT); --role overrides",
  ],
  [
    "FIREBREAK_ADMIN_EMAIL",
    "(unset)",
    "With a password: the first admin on an empty database, for automated installs",
  ],
  ["FIREBREAK_ADMIN_PASSWORD", "(unset)", "The first admin's password; also FIREBREAK_ADMIN_PASSWORD_FILE"],
  [
    "FIREBREAK_SECRET_KEY",
    "(generated, kept in the database)",
    "Key that signs acknowledge/resolve links in messages; also FIREBREAK_SECRET_KEY_FILE",
  ],
  [
    "FIREBREAK_SLACK_SIGNING_SECRET",
    "(unset: Slack buttons and `/firebreak` off)",
    "The Slack app's signing secret, for its Acknowledge/Resolve buttons at /slack/interactions and its `/firebreak` slash command (Request URL /slack/commands: triage, ack, resolve, oncall, help); also FIREBREAK_SLACK_SIGNING_SECRET_FILE",
  ],
  [
    "FIREBREAK_SLACK_BOT_TOKEN",
    "(unset: no incident channels)",
    "The Slack app's bot token (channels:manage, channels:write.invites, chat:write; channels:read and channels:history let a retry find a channel or message whose answer was lost): each triaged incident gets a channel of its own; also FIREBREAK_SLACK_BOT_TOKEN_FILE",
  ],
  ["FIREBREAK_SLACK_API_BASE_URL", "https://slack.com/api", "Slack's Web API base URL"],
  [
    "FIREBREAK_BODY_LIMIT_BYTES",
    "1048576",
    "Largest request body of the API and console (413 above it); alert ingestion takes up to 5 MiB",
  ],
  [
    "FIREBREAK_TRUST_PROXY_HOPS",
    "0",
    "Reverse proxies in front of Firebreak whose X-Forwarded-* headers to trust",
  ],
  ["FIREBREAK_SHUTDOWN_TIMEOUT_MS", "10000", "How long a stop waits for requests and jobs in flight"],
  [
    "FIREBREAK_SHUTDOWN_DRAIN_MS",
    "5000",
    "On SIGTERM or SIGINT, how long /readyz answers 503 while requests are still served, so a load balancer stops sending before the server closes; part of FIREBREAK_SHUTDOWN_TIMEOUT_MS; 0: close at once",
  ],
  ["FIREBREAK_ENGINE_CONCURRENCY", "64", "Jobs one instance runs at once"],
  ["FIREBREAK_ENGINE_POLL_MS", "1000", "Longest wait between looks at the job queue"],
  [
    "FIREBREAK_JOB_LEASE_MS",
    "60000",
    "How long a claimed job is held unless renewed (its runner renews it every third while the job runs) before another instance may take it",
  ],
  ["FIREBREAK_WATCHDOG_OVERDUE_MS", "300000", "A job this late is reported as overdue"],
  [
    "FIREBREAK_SCHEDULE_GAP_LOOKAHEAD_DAYS",
    "7",
    "How many days ahead a stretch nobody is on call for raises an alert (notify level) on the services paging through the schedule",
  ],
  [
    "FIREBREAK_SMTP_URL",
    "(unset: email needs its own server)",
    "SMTP server that email notifications (pages, notices, tests) go through, so a person's email contact method is just an address: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465, options ?requireTLS=true, ?ignoreTLS=true, ?tls.rejectUnauthorized=false; a channel that names its own SMTP server keeps using it; also FIREBREAK_SMTP_URL_FILE",
  ],
  [
    "FIREBREAK_SMTP_FROM",
    "(unset)",
    "From address of that mail, e.g. Firebreak <firebreak@example.com>; needed with FIREBREAK_SMTP_URL",
  ],
  [
    "FIREBREAK_STATUS_SMTP_URL",
    "(unset: FIREBREAK_SMTP_URL, else no subscriptions)",
    "SMTP server of status-page subscriber mail (double opt-in, updates), when it is not FIREBREAK_SMTP_URL's: smtp://user:pass@host:587 or smtps://…:465; also FIREBREAK_STATUS_SMTP_URL_FILE. With either set, status pages offer email subscriptions",
  ],
  [
    "FIREBREAK_STATUS_EMAIL_FROM",
    "(unset: FIREBREAK_SMTP_FROM)",
    "From address of status-page mail, e.g. Acme status <status@example.com>; needed when the status mail has an SMTP server and FIREBREAK_SMTP_FROM is unset",
  ],
  ["FIREBREAK_CONFIG_FILE", "(unset)", "A JSON file of these same keys; environment variables win over it"],
] as const;

const DEFAULT_PORT = 8080;
/** FIREBREAK_PORT's default plus one: an engine beside an api with default settings starts too. */
const DEFAULT_ENGINE_PORT = 8081;

/** The port this process listens on, and the setting that names it (for a message about it). */
export function listeningPort(config: Config): {
  port: number;
  setting: "FIREBREAK_PORT" | "FIREBREAK_ENGINE_PORT";
} {
  return config.role === "engine"
    ? { port: config.enginePort, setting: "FIREBREAK_ENGINE_PORT" }
    : { port: config.port, setting: "FIREBREAK_PORT" };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Reads the environment (and the optional JSON file) once, and validates everything at start. */
export function loadConfig(env: Env, overrides: { role?: string; port?: string } = {}): Config {
  const problems: string[] = [];
  const source = { ...readConfigFile(env, problems), ...definedOnly(env) };

  const text = (name: string): string | undefined => {
    const value = source[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const secretText = (name: string): string | undefined => {
    const direct = text(name);
    const file = text(`${name}_FILE`);
    if (direct !== undefined && file !== undefined) problems.push(`set ${name} or ${name}_FILE, not both`);
    if (file === undefined) return direct;
    try {
      return readFileSync(file, "utf8").trim();
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      return undefined;
    }
  };
  const integer = (name: string, fallback: number, min: number, max: number, raw = text(name)): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T, raw = text(name)): T => {
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
    return fallback;
  };

  const role = oneOf(
    "--role / FIREBREAK_ROLE",
    ["all", "api", "engine"] as const,
    "all",
    overrides.role ?? text("FIREBREAK_ROLE"),
  );
  // --port is the port of the role being started: an engine's own, else the API's.
  const portOverride = role === "engine" ? undefined : overrides.port;
  const port = integer(
    portOverride !== undefined ? "--port" : "FIREBREAK_PORT",
    DEFAULT_PORT,
    0,
    65535,
    portOverride ?? text("FIREBREAK_PORT"),
  );
  const enginePortOverride = role === "engine" ? overrides.port : undefined;
  const enginePort = integer(
    enginePortOverride !== undefined ? "--port" : "FIREBREAK_ENGINE_PORT",
    DEFAULT_ENGINE_PORT,
    0,
    65535,
    enginePortOverride ?? text("FIREBREAK_ENGINE_PORT"),
  );
  const publicUrl = (text("FIREBREAK_PUBLIC_URL") ?? `http://localhost:${port}`).replace(/\/+$/, "");
  problems.push(...baseUrlProblems("FIREBREAK_PUBLIC_URL", publicUrl, "links in messages"));
  const dataDir = path.resolve(text("FIREBREAK_DATA_DIR") ?? "./data");
  const databaseUrl = secretText("FIREBREAK_DATABASE_URL");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`FIREBREAK_DATABASE_URL must start with postgres:// (got ${redactUrl(databaseUrl)})`);
  }
  const synchronous = oneOf("FIREBREAK_SQLITE_SYNCHRONOUS", ["full", "normal"] as const, "full");
  const store: StoreLocation =
    databaseUrl !== undefined
      ? {
          kind: "postgres",
          url: databaseUrl,
          poolSize: integer("FIREBREAK_DB_POOL_SIZE", 10, 1, 500),
          timeouts: {
            connectMs: integer(
              "FIREBREAK_PG_CONNECT_TIMEOUT_MS",
              DEFAULT_PG_TIMEOUTS.connectMs,
              100,
              600_000,
            ),
            queryMs: integer("FIREBREAK_PG_QUERY_TIMEOUT_MS", DEFAULT_PG_TIMEOUTS.queryMs, 0, 86_400_000),
            idleInTransactionMs: integer(
              "FIREBREAK_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS",
              DEFAULT_PG_TIMEOUTS.idleInTransactionMs,
              0,
              86_400_000,
            ),
          },
        }
      : { kind: "sqlite", file: path.join(dataDir, "firebreak.db"), synchronous };
  const secretKey = secretText("FIREBREAK_SECRET_KEY");
  if (secretKey !== undefined && secretKey.length < 32)
    problems.push("FIREBREAK_SECRET_KEY must be at least 32 characters");
  const slackSigningSecret = secretText("FIREBREAK_SLACK_SIGNING_SECRET");
  const slackBotToken = secretText("FIREBREAK_SLACK_BOT_TOKEN");
  if (slackBotToken !== undefined && /\s/.test(slackBotToken))
    problems.push("FIREBREAK_SLACK_BOT_TOKEN must not contain spaces");
  const slackApiBaseUrl = (text("FIREBREAK_SLACK_API_BASE_URL") ?? "https://slack.com/api").replace(
    /\/+$/,
    "",
  );
  problems.push(...baseUrlProblems("FIREBREAK_SLACK_API_BASE_URL", slackApiBaseUrl, "calls to Slack"));
  const smtpUrl = secretText("FIREBREAK_SMTP_URL");
  // The notifier's own checks, so a URL that starts can also send; their words never repeat it.
  for (const problem of smtpUrl === undefined ? [] : smtpUrlProblems(smtpUrl))
    problems.push(`FIREBREAK_SMTP_URL ${problem}`);
  const smtpFrom = text("FIREBREAK_SMTP_FROM");
  for (const problem of smtpFrom === undefined ? [] : fromProblems(smtpFrom))
    problems.push(`FIREBREAK_SMTP_FROM ${problem}`);
  if ((smtpUrl === undefined) !== (smtpFrom === undefined))
    problems.push("FIREBREAK_SMTP_URL (or _FILE) and FIREBREAK_SMTP_FROM go together: set both or neither");
  const ownStatusSmtpUrl = secretText("FIREBREAK_STATUS_SMTP_URL");
  if (ownStatusSmtpUrl !== undefined && !/^smtps?:\/\/[^/]+/.test(ownStatusSmtpUrl))
    problems.push("FIREBREAK_STATUS_SMTP_URL must be an smtp:// or smtps:// URL");
  // Status mail has its own settings only where it must differ; each falls back to the notifications'
  // (when those are whole: a half pair has its own problem above).
  const serverSmtp = smtpUrl !== undefined && smtpFrom !== undefined;
  const statusSmtpUrl = ownStatusSmtpUrl ?? (serverSmtp ? smtpUrl : undefined);
  const statusEmailFrom = text("FIREBREAK_STATUS_EMAIL_FROM") ?? (serverSmtp ? smtpFrom : undefined);
  if ((statusSmtpUrl === undefined) !== (statusEmailFrom === undefined))
    problems.push(
      "FIREBREAK_STATUS_SMTP_URL (or _FILE) and FIREBREAK_STATUS_EMAIL_FROM go together: set both or neither",
    );
  const adminEmail = text("FIREBREAK_ADMIN_EMAIL");
  const adminPassword = secretText("FIREBREAK_ADMIN_PASSWORD");
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push(
      "FIREBREAK_ADMIN_EMAIL and FIREBREAK_ADMIN_PASSWORD (or _FILE) go together: set both or neither",
    );
  }

  const config: Config = {
    host: text("FIREBREAK_HOST") ?? "127.0.0.1",
    port,
    enginePort,
    publicUrl,
    publicUrlIsDefault: text("FIREBREAK_PUBLIC_URL") === undefined,
    dataDir,
    store,
    databaseUrl: databaseUrl === undefined ? undefined : new Secret(databaseUrl),
    logLevel: oneOf(
      "FIREBREAK_LOG_LEVEL",
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const,
      "info",
    ),
    role,
    adminEmail,
    adminPassword: adminPassword === undefined ? undefined : new Secret(adminPassword),
    secretKey: secretKey === undefined ? undefined : new Secret(secretKey),
    slackSigningSecret: slackSigningSecret === undefined ? undefined : new Secret(slackSigningSecret),
    slackBotToken: slackBotToken === undefined ? undefined : new Secret(slackBotToken),
    slackApiBaseUrl,
    bodyLimitBytes: integer("FIREBREAK_BODY_LIMIT_BYTES", 1_048_576, 1_024, 64 * 1_048_576),
    trustProxyHops: integer("FIREBREAK_TRUST_PROXY_HOPS", 0, 0, 10),
    shutdownTimeoutMs: integer("FIREBREAK_SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    shutdownDrainMs: integer("FIREBREAK_SHUTDOWN_DRAIN_MS", 5_000, 0, 600_000),
    engine: {
      concurrency: integer("FIREBREAK_ENGINE_CONCURRENCY", 64, 1, 256),
      pollMs: integer("FIREBREAK_ENGINE_POLL_MS", 1_000, 10, 60_000),
      leaseMs: integer("FIREBREAK_JOB_LEASE_MS", 60_000, 1_000, 3_600_000),
      watchdogOverdueMs: integer("FIREBREAK_WATCHDOG_OVERDUE_MS", 300_000, 1_000, 86_400_000),
      watchdogIntervalMs: 60_000,
    },
    schedules: {
      gapLookaheadDays: integer("FIREBREAK_SCHEDULE_GAP_LOOKAHEAD_DAYS", 7, 1, 90),
    },
    notifications: {
      smtpUrl: smtpUrl === undefined ? undefined : new Secret(smtpUrl),
      emailFrom: smtpFrom,
    },
    statusPages: {
      smtpUrl: statusSmtpUrl === undefined ? undefined : new Secret(statusSmtpUrl),
      emailFrom: statusEmailFrom,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * A URL that others are built on by appending paths. Credentials or a query in it would be copied
 * into every link or request (and printed by --print-config), so they are refused, never echoed.
 */
function baseUrlProblems(name: string, value: string, usedFor: string): string[] {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    // not a URL: said below
  }
  if (!parsed || !/^https?:\/\/[^/]+/.test(value)) {
    const shown = parsed ? redactUrl(value) : value.replace(/\/\/[^/@]*@/, "//<secret>@");
    return [`${name} must be an http(s) URL, got "${shown}"`];
  }
  const problems: string[] = [];
  if (parsed.username !== "" || parsed.password !== "")
    problems.push(`${name} must not hold a user name or password: ${usedFor} would carry them`);
  if (parsed.search !== "" || parsed.hash !== "")
    problems.push(`${name} must not have a query or fragment: paths are appended to it for ${usedFor}`);
  return problems;
}

/** The configuration as it may be printed: secrets shown as `<secret>`. */
export function printableConfig(config: Config): Record<string, unknown> {
  const {
    store,
    databaseUrl,
    adminPassword,
    secretKey,
    slackSigningSecret,
    slackBotToken,
    notifications,
    statusPages,
    ...rest
  } = config;
  return {
    ...rest,
    store: store.kind === "postgres" ? { ...store, url: redactUrl(store.url) } : store,
    databaseUrl: databaseUrl ? "<secret>" : undefined,
    adminPassword: adminPassword ? "<secret>" : undefined,
    secretKey: secretKey ? "<secret>" : undefined,
    slackSigningSecret: slackSigningSecret ? "<secret>" : undefined,
    slackBotToken: slackBotToken ? "<secret>" : undefined,
    notifications: {
      smtpUrl: notifications.smtpUrl ? "<secret>" : undefined,
      emailFrom: notifications.emailFrom,
    },
    statusPages: { smtpUrl: statusPages.smtpUrl ? "<secret>" : undefined, emailFrom: statusPages.emailFrom },
  };
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[0].startsWith("FIREBREAK_") && e[1] !== undefined,
    ),
  );
}

function readConfigFile(env: Env, problems: string[]): Record<string, string> {
  const file = env.FIREBREAK_CONFIG_FILE;
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    problems.push(`FIREBREAK_CONFIG_FILE: cannot read ${file} as JSON (${(err as Error).message})`);
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.push(`FIREBREAK_CONFIG_FILE: ${file} must hold a JSON object of FIREBREAK_* keys`);
    return {};
  }
  const known = new Set<string>(SETTINGS.flatMap(([name]) => [name, `${name}_FILE`]));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) problems.push(`FIREBREAK_CONFIG_FILE: unknown key ${key}`);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[key] = String(value);
    else problems.push(`FIREBREAK_CONFIG_FILE: ${key} must be a string or number`);
  }
  return out;
}
