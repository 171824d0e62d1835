import { parseArgs, type ParseArgsConfig } from "node:util";
import { callApi, remoteTarget, RemoteError } from "./api-client.js";
import { UsageError } from "./usage-error.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
}

/** What the CLI needs from the composition root; the CLI itself never opens a database. */
export interface CliRuntime {
  readonly version: string;
  /** Runs the server until it is told to stop; resolves to the exit code. */
  serve(options: { role?: string | undefined; port?: string | undefined; printConfig: boolean }): Promise<number>;
  migrate(): Promise<{ applied: string[]; database: string }>;
  createApiKey(input: { name: string; role: string }): Promise<{ key: string; apiKey: { id: string; name: string; role: string; prefix: string } }>;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const REMOTE_OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[], io: CliIo, runtime: CliRuntime): Promise<number>;
}

const print = (io: CliIo, json: boolean, value: unknown, human: string) => io.stdout(json ? `${JSON.stringify(value)}\n` : `${human}\n`);

const COMMANDS: Record<string, Command> = {
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
        role: values.role as string | undefined,
        port: values.port as string | undefined,
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
    summary: "Create an API key on the local database (apikey create --role R --name N)",
    usage: `firebreak apikey create --role admin|responder|viewer --name NAME [--json]

Run it where the server's database is (same FIREBREAK_DATA_DIR or FIREBREAK_DATABASE_URL).
The key is printed once; only its hash is stored.`,
    options: { role: { type: "string" }, name: { type: "string" } },
    async run(values, positionals, io, runtime) {
      if (positionals[0] !== "create" || positionals.length !== 1) {
        throw new UsageError(`expected "apikey create", got "apikey ${positionals.join(" ")}"`.trimEnd());
      }
      const role = values.role as string | undefined;
      const name = values.name as string | undefined;
      if (!role || !["admin", "responder", "viewer"].includes(role)) {
        throw new UsageError(`--role must be admin, responder or viewer${role ? `, got "${role}"` : ""}`);
      }
      if (!name || name.trim() === "") throw new UsageError("--name is required");
      const created = await runtime.createApiKey({ name, role });
      print(
        io,
        values.json === true,
        { key: created.key, id: created.apiKey.id, name: created.apiKey.name, role: created.apiKey.role },
        created.key,
      );
      if (values.json !== true) io.stderr(`API key "${created.apiKey.name}" (${created.apiKey.role}) created. It is shown only this once.\n`);
      return EXIT.ok;
    },
  },
  whoami: {
    summary: "Show who an API key is, on a running server",
    usage: `firebreak whoami [--url URL] [--api-key KEY] [--json]

  --url      the server (FIREBREAK_URL; default http://localhost:8080)
  --api-key  the key (FIREBREAK_API_KEY)`,
    options: { ...REMOTE_OPTIONS },
    async run(values, positionals, io) {
      noPositionals(positionals);
      const target = remoteTarget(values as { url?: string; "api-key"?: string }, io.env);
      const session = (await callApi(target, "GET", "/api/v1/auth/session")) as { actor: { label: string; role: string; kind: string } };
      print(io, values.json === true, session, `${session.actor.label} (${session.actor.kind}, role ${session.actor.role})`);
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

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Firebreak: self-hosted incident management.

Usage: firebreak <command> [options]

Commands:
${lines.join("\n")}

Every command takes --help. Commands that talk to a server take --url and --api-key
(or FIREBREAK_URL and FIREBREAK_API_KEY); --json prints machine-readable output.
Exit codes: 0 ok, 1 failure, 2 usage error.
`;
}

/** Parses the command line, runs one command, and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, runtime: CliRuntime): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS[topic];
    io.stdout(command ? `${command.usage}\n` : overview());
    return topic !== undefined && !command ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") return COMMANDS.version!.run({}, [], io, runtime);
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`firebreak: unknown command "${name}"\nRun "firebreak --help" for the list of commands.\n`);
    return EXIT.usage;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ""));
    }
    if (parsed.values.help) {
      io.stdout(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, io, runtime);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`firebreak ${name}: ${err.message}\nRun "firebreak ${name} --help" for usage.\n`);
      return EXIT.usage;
    }
    const message = err instanceof RemoteError || err instanceof Error ? err.message : String(err);
    io.stderr(`firebreak ${name}: ${message}\n`);
    return EXIT.failure;
  }
}
