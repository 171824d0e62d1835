import { checkEmail } from "../../core/auth/credentials.js";
import { oneOf } from "../arguments.js";
import {
  EXIT,
  noPositionals,
  print,
  shown,
  table,
  type CliRuntime,
  type Command,
  type LocalApiKey,
} from "../command.js";
import { UsageError } from "../usage-error.js";

const SERVE_ROLES = ["all", "api", "engine"];
const API_KEY_ROLES = ["admin", "responder", "viewer"];

/**
 * serve's own arguments are checked here, not only by the configuration, so that a bad one is a usage
 * error (exit 2). Port 0 would listen on a port nobody is told about.
 */
function serveArguments(role: string | undefined, port: string | undefined) {
  const serveRole = role === undefined ? undefined : oneOf("role", role, SERVE_ROLES);
  const number = port !== undefined && /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (port !== undefined && !(number >= 1 && number <= 65535))
    throw new UsageError(`--port must be a whole number from 1 to 65535, got "${port}"`);
  return { role: serveRole, port: port === undefined ? undefined : String(number) };
}

function apiKeyTable(database: string, keys: readonly LocalApiKey[]): string {
  if (keys.length === 0)
    return `No API keys in ${shown(database)} yet: firebreak apikey create --role ROLE --name NAME`;
  const rows = keys.map((k) => [
    k.id,
    k.name,
    k.role,
    `${k.prefix}…`,
    k.createdAt,
    k.lastUsedAt ?? "never",
    k.revokedAt ? `revoked ${k.revokedAt}` : "active",
  ]);
  return `API keys in ${shown(database)}:\n${table([["ID", "NAME", "ROLE", "KEY", "CREATED", "LAST USED", "STATE"], ...rows])}`;
}

/** What `apikey create` says beside the key: where it went, and whom it acts for. */
function createdNotice(created: Awaited<ReturnType<CliRuntime["createApiKey"]>>): string {
  const { name, role } = created.apiKey;
  const actsFor =
    created.actsFor === null
      ? "it acts for no person, so triage, fix and tasks refuse it (make one with --user EMAIL for that)"
      : `it acts for ${shown(created.actsFor)}`;
  return `API key "${shown(name)}" (${role}) created in ${shown(created.database)}; ${actsFor}. It is shown only this once.\n`;
}

/** --user: an email, checked as the server checks one, so that a typo is a usage error. */
function userEmail(value: unknown): string {
  const typed = typeof value === "string" ? value.trim() : "";
  if (checkEmail(typed).length > 0)
    throw new UsageError(`--user must be a user's email, such as ada@example.com, got "${String(value)}"`);
  return typed;
}

/** Commands that work where the server's database is: serve, migrate, apikey create|list|revoke, version. */
export const LOCAL_COMMANDS: Record<string, Command> = {
  serve: {
    summary: "Run the Firebreak server (HTTP API, console and job engine)",
    usage: `firebreak serve [--role all|api|engine] [--port N] [--print-config]

  --role          all (default), api (HTTP only) or engine (jobs only); overrides FIREBREAK_ROLE.
                  An engine serves only /healthz, /readyz and /metrics, on its own port
  --port          port to listen on; overrides FIREBREAK_PORT (FIREBREAK_ENGINE_PORT with
                  --role engine; each process on one host needs a port of its own)
  --print-config  print the effective configuration (secrets as <secret>) and exit

Settings are environment variables (or the same keys in a JSON file named by
FIREBREAK_CONFIG_FILE; the environment wins). The main ones:
  FIREBREAK_PORT          HTTP port of the API and console (default 8080)
  FIREBREAK_ENGINE_PORT   an engine's /healthz, /readyz and /metrics port (default 8081)
  FIREBREAK_HOST          address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
  FIREBREAK_PUBLIC_URL    the URL people reach Firebreak at, for links in messages
                          (default http://localhost:$PORT)
  FIREBREAK_DATA_DIR      folder of the SQLite database (default ./data, from the current folder)
  FIREBREAK_DATABASE_URL  postgres://… to use PostgreSQL instead (default unset: SQLite)
firebreak serve --print-config shows the settings in force, secrets hidden. The README's
"Configuration" section lists them all.`,
    options: { role: { type: "string" }, port: { type: "string" }, "print-config": { type: "boolean" } },
    async run(values, positionals, _io, runtime) {
      noPositionals(positionals);
      return runtime.serve({
        ...serveArguments(values.role as string | undefined, values.port as string | undefined),
        printConfig: values["print-config"] === true,
      });
    },
  },
  migrate: {
    summary: "Apply pending database migrations and exit",
    usage: `firebreak migrate [--create-database] [--json]

Migrates the server's database and names it: sqlite:/path/to/firebreak.db, or the PostgreSQL URL
without its password. It uses FIREBREAK_DATA_DIR (default ./data, from the current folder) or
FIREBREAK_DATABASE_URL, and reads the server's other settings too (firebreak serve --help): run it
with the server's. Like apikey create, it refuses to start a new database where none exists, so
that a run in the wrong folder does not make a database no server uses.

  --create-database  make the database if there is none yet, before the server's first start (the
                     server makes it at its first start too)`,
    options: { "create-database": { type: "boolean" } },
    async run(values, positionals, io, runtime) {
      noPositionals(positionals);
      const result = await runtime.migrate({ createDatabase: values["create-database"] === true });
      const human =
        result.applied.length === 0
          ? `${shown(result.database)}: up to date`
          : `${shown(result.database)}: applied ${result.applied.join(", ")}`;
      print(io, values.json === true, result, human);
      return EXIT.ok;
    },
  },
  apikey: {
    summary: "Create, list or revoke API keys on the local database (apikey create --role R --name N)",
    usage: `firebreak apikey create --role admin|responder|viewer --name NAME [--user EMAIL] [--create-database] [--json]
firebreak apikey list [--json]
firebreak apikey revoke ID|NAME [--json]

Run it where the server's database is: with the server's FIREBREAK_DATA_DIR (default ./data, from
the current folder) or FIREBREAK_DATABASE_URL (settings: firebreak serve --help). It names the
database it used, and refuses to start a new one where none exists, so that a key is never made
for a database no server uses. --user names a person by email: one nobody has is refused with the
address likely meant (NOT_FOUND, exit 1).

  --user             the person the key acts for: an existing user's email. Triage, fix, tasks and
                     the other incident roles need a key that acts for a person; without --user the
                     key acts for no person (fine for setting up services and integrations). Its role
                     can be at most that person's.
  --create-database  make the database if there is none yet, for a key made before the server's
                     first start (the server then uses it; there are no users in it yet)

The key is printed once; only its hash is stored. A revoked key stops working at once; on
PostgreSQL the streams opened with it end at once too, on SQLite at their next heartbeat (15 s).`,
    options: {
      role: { type: "string" },
      name: { type: "string" },
      user: { type: "string" },
      "create-database": { type: "boolean" },
    },
    async run(values, positionals, io, runtime) {
      const [sub, ...rest] = positionals;
      const json = values.json === true;
      if (sub === "list" || sub === "revoke") {
        const onlyForCreate = (["role", "name", "user", "create-database"] as const).find(
          (o) => values[o] !== undefined,
        );
        if (onlyForCreate !== undefined)
          throw new UsageError(`--${onlyForCreate} is only for "apikey create"`);
      }
      if (sub === "list") {
        noPositionals(rest);
        const { database, keys } = await runtime.listApiKeys();
        print(io, json, keys, apiKeyTable(database, keys));
        return EXIT.ok;
      }
      if (sub === "revoke") {
        if (rest.length !== 1) throw new UsageError("expected one key: apikey revoke ID|NAME");
        const { database, apiKey } = await runtime.revokeApiKey(rest[0] as string);
        print(
          io,
          json,
          { ...apiKey, database },
          `Revoked API key "${shown(apiKey.name)}" (${apiKey.id}) in ${shown(database)}: it no longer works.`,
        );
        return EXIT.ok;
      }
      if (sub !== "create" || rest.length > 0) {
        throw new UsageError(
          `expected "apikey create", "apikey list" or "apikey revoke", got "${["apikey", ...positionals].join(" ")}"`,
        );
      }
      const role = oneOf("role", values.role, API_KEY_ROLES);
      const name = values.name as string | undefined;
      if (!name || name.trim() === "") throw new UsageError("--name is required");
      const user = values.user === undefined ? undefined : userEmail(values.user);
      const created = await runtime.createApiKey({
        name,
        role,
        ...(user !== undefined && { user }),
        createDatabase: values["create-database"] === true,
      });
      print(
        io,
        json,
        {
          key: created.key,
          id: created.apiKey.id,
          name: created.apiKey.name,
          role: created.apiKey.role,
          actsFor: created.actsFor,
          database: created.database,
        },
        created.key,
      );
      if (!json) io.stderr(createdNotice(created));
      return EXIT.ok;
    },
  },
  version: {
    summary: "Print the version",
    usage: "firebreak version [--json]",
    options: {},
    async run(values, positionals, io, runtime) {
      noPositionals(positionals);
      print(io, values.json === true, { name: "firebreak", version: runtime.version }, runtime.version);
      return EXIT.ok;
    },
  },
};
