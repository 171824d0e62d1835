import { oneOf } from "../arguments.js";
import { EXIT, noPositionals, print, table, type Command, type LocalApiKey } from "../command.js";
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

function apiKeyTable(keys: readonly LocalApiKey[]): string {
  if (keys.length === 0) return "No API keys yet: firebreak apikey create --role ROLE --name NAME";
  const rows = keys.map((k) => [
    k.id,
    k.name,
    k.role,
    `${k.prefix}…`,
    k.createdAt,
    k.lastUsedAt ?? "never",
    k.revokedAt ? `revoked ${k.revokedAt}` : "active",
  ]);
  return table([["ID", "NAME", "ROLE", "KEY", "CREATED", "LAST USED", "STATE"], ...rows]);
}

/** Commands that work where the server's database is: serve, migrate, apikey create|list|revoke, version. */
export const LOCAL_COMMANDS: Record<string, Command> = {
  serve: {
    summary: "Run the Firebreak server (HTTP API, console and job engine)",
    usage: `firebreak serve [--role all|api|engine] [--port N] [--print-config]

  --role          all (default), api (HTTP only) or engine (jobs only); overrides FIREBREAK_ROLE
  --port          port to listen on; overrides FIREBREAK_PORT
  --print-config  print the effective configuration (secrets as <secret>) and exit`,
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
    usage: "firebreak migrate [--json]",
    options: {},
    async run(values, positionals, io, runtime) {
      noPositionals(positionals);
      const result = await runtime.migrate();
      const human =
        result.applied.length === 0
          ? `${result.database}: up to date`
          : `${result.database}: applied ${result.applied.join(", ")}`;
      print(io, values.json === true, result, human);
      return EXIT.ok;
    },
  },
  apikey: {
    summary: "Create, list or revoke API keys on the local database (apikey create --role R --name N)",
    usage: `firebreak apikey create --role admin|responder|viewer --name NAME [--json]
firebreak apikey list [--json]
firebreak apikey revoke ID|NAME [--json]

Run it where the server's database is (same FIREBREAK_DATA_DIR or FIREBREAK_DATABASE_URL).
The key is printed once; only its hash is stored. A revoked key stops working at once; on
PostgreSQL the streams opened with it end at once too, on SQLite at their next heartbeat (15 s).`,
    options: { role: { type: "string" }, name: { type: "string" } },
    async run(values, positionals, io, runtime) {
      const [sub, ...rest] = positionals;
      const json = values.json === true;
      if (sub === "list") {
        noPositionals(rest);
        const keys = await runtime.listApiKeys();
        print(io, json, keys, apiKeyTable(keys));
        return EXIT.ok;
      }
      if (sub === "revoke") {
        if (rest.length !== 1) throw new UsageError("expected one key: apikey revoke ID|NAME");
        const revoked = await runtime.revokeApiKey(rest[0] as string);
        print(io, json, revoked, `Revoked API key "${revoked.name}" (${revoked.id}): it no longer works.`);
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
      const created = await runtime.createApiKey({ name, role });
      print(
        io,
        json,
        { key: created.key, id: created.apiKey.id, name: created.apiKey.name, role: created.apiKey.role },
        created.key,
      );
      if (!json)
        io.stderr(
          `API key "${created.apiKey.name}" (${created.apiKey.role}) created. It is shown only this once.\n`,
        );
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
