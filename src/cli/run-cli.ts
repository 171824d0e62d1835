import { parseArgs, type ParseArgsConfig } from "node:util";
import { RemoteError } from "./api-client.js";
import { EXIT, type CliIo, type CliRuntime, type Command } from "./command.js";
import { LOCAL_COMMANDS } from "./commands/local-commands.js";
import { REMOTE_COMMANDS } from "./commands/remote-commands.js";
import { SCHEDULE_COMMANDS } from "./commands/schedule-commands.js";
import { RESPONSE_COMMANDS } from "./commands/response-commands.js";
import { UsageError } from "./usage-error.js";

export { EXIT, type CliIo, type CliRuntime } from "./command.js";

const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

const COMMANDS: Record<string, Command> = {
  ...LOCAL_COMMANDS,
  ...REMOTE_COMMANDS,
  ...SCHEDULE_COMMANDS,
  ...RESPONSE_COMMANDS,
};

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
    if (topic !== undefined && !command) {
      io.stderr(
        `firebreak help: unknown command "${topic}"\nRun "firebreak --help" for the list of commands.\n`,
      );
      return EXIT.usage;
    }
    io.stdout(command ? `${command.usage}\n` : overview());
    return EXIT.ok;
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
      parsed = parseArgs({
        args: [...rest],
        options: { ...COMMON_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ""));
    }
    if (parsed.values.help) {
      io.stdout(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(
      parsed.values as Record<string, string | boolean | undefined>,
      parsed.positionals,
      io,
      runtime,
    );
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
