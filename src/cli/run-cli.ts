import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT, type CliIo, type CliRuntime, type Command, type OptionValues } from "./command.js";
import { LOCAL_COMMANDS } from "./commands/local-commands.js";
import { REMOTE_COMMANDS } from "./commands/remote-commands.js";
import { SCHEDULE_COMMANDS } from "./commands/schedule-commands.js";
import { RESPONSE_COMMANDS } from "./commands/response-commands.js";
import { reportError, wantsJson } from "./error-output.js";
import { closest, didYouMean } from "./suggest.js";
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
(or FIREBREAK_URL and FIREBREAK_API_KEY); --json prints machine-readable output, and errors
as one JSON object on stderr.
Exit codes: 0 ok, 1 failure, 2 usage error, 3 paged nobody (page opened the incident, but
its escalation policy woke no one: do not retry, call someone).
`;
}

/**
 * `firebreak --json --url U incidents` (kubectl's order) means `firebreak incidents --json --url U`:
 * the options every remote command takes move behind the command. Undefined: no command follows.
 */
function commandFirst(argv: readonly string[]): readonly string[] | undefined {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === "--json" || /^--(url|api-key)=/.test(arg)) i += 1;
    else if (arg === "--url" || arg === "--api-key") i += 2;
    else break;
  }
  if (i === 0) return argv;
  if (i >= argv.length) return undefined;
  return [argv[i]!, ...argv.slice(0, i), ...argv.slice(i + 1)];
}

/**
 * parseArgs' "Unknown option '--sate'", with the option meant, or for a dash-led argument
 * ("-1", "-5xx spiking") how to pass it.
 */
function unknownOption(option: string, args: readonly string[], command: Command, name: string): string {
  const known = Object.keys({ ...COMMON_OPTIONS, ...command.options }).map((o) => `--${o}`);
  if (option.startsWith("--")) return `unknown option ${option}${didYouMean(option, known)}`;
  // "-json" is parsed as -j -s -o -n: it reports "-j", but the whole word is what was typed.
  const typed = args.find((a) => a.startsWith(option) && !a.startsWith("--")) ?? option;
  const meant = closest(`-${typed}`, known);
  if (meant !== undefined) return `unknown option ${typed} (did you mean ${meant}?)`;
  if (/^-[\d.]/.test(typed) || /\s/.test(typed) || typed.length > 2)
    return `unknown option "${typed}": an argument that starts with "-" goes after --, as in: firebreak ${name} [options] -- ${JSON.stringify(typed)}`;
  return `unknown option ${typed}`;
}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * `--limit -1`: parseArgs takes a dash-led word for an option of its own, so a negative number after
 * an option that takes a value is joined to it (`--limit=-1`), for the option's check to refuse by range.
 */
function negativeValuesJoined(args: readonly string[], options: OptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return [...joined, ...args.slice(i)];
    const takesValue = arg.startsWith("--") && options[arg.slice(2)]?.type === "string";
    const next = args[i + 1];
    if (takesValue && next !== undefined && /^-\d+(?:\.\d+)?$/.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else joined.push(arg);
  }
  return joined;
}

/**
 * An option that takes a value, given more than once though not `multiple`: parseArgs keeps the last
 * without a word, so "--limit 10 … --limit 500" would list 500. Booleans repeat harmlessly.
 */
function repeatedOption(
  tokens: ReturnType<typeof parseArgs>["tokens"],
  options: OptionsConfig,
): string | undefined {
  const counts = new Map<string, number>();
  for (const token of tokens ?? []) {
    if (token.kind !== "option" || options[token.name]?.type !== "string" || options[token.name]?.multiple)
      continue;
    counts.set(token.name, (counts.get(token.name) ?? 0) + 1);
  }
  for (const [name, count] of counts)
    if (count > 1) return `--${name} given ${count === 2 ? "twice" : `${count} times`}: give it once`;
  return undefined;
}

/** Parses the command line, runs one command, and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, runtime: CliRuntime): Promise<number> {
  const ordered = commandFirst(argv);
  const json = wantsJson(argv);
  if (ordered === undefined) {
    // Not the options themselves: one of them may be the API key.
    const missing = new UsageError(
      "a command is needed after the options, as in: firebreak --json incidents",
    );
    return reportError(io, missing, undefined, json);
  }
  const [name, ...rest] = ordered;
  // A bare `firebreak` ran nothing: a script that forgot its command must not read that as success.
  if (name === undefined) {
    io.stderr(overview());
    return EXIT.usage;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS[topic];
    if (topic !== undefined && !command) {
      if (json) return reportError(io, new UsageError(`unknown command "${topic}"`), undefined, true);
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
  // "firebreak --verbose incidents": an option, not a command, so say it as one.
  if (!command && name.startsWith("-")) {
    const hint = didYouMean(name, ["--help", "--version", "--json", "--url", "--api-key"]);
    const message = hint
      ? `unknown option ${name}${hint}`
      : `unknown option ${name} before the command: options go after it, as in: firebreak incidents --json`;
    return reportError(io, new UsageError(message), undefined, json);
  }
  if (!command) {
    const hint = didYouMean(name, Object.keys(COMMANDS), true);
    return reportError(io, new UsageError(`unknown command "${name}"${hint}`), undefined, json);
  }
  let parsedJson: boolean | undefined;
  try {
    const options: OptionsConfig = { ...COMMON_OPTIONS, ...command.options };
    let parsed;
    try {
      parsed = parseArgs({
        args: negativeValuesJoined(rest, options),
        options,
        allowPositionals: true,
        strict: true,
        tokens: true,
      });
    } catch (err) {
      const message = (err as Error).message;
      const unknown = /^Unknown option '([^']+)'/.exec(message);
      if (unknown) throw new UsageError(unknownOption(unknown[1]!, rest, command, name));
      // "--state --json" or a trailing "--state": Node's words span three lines and talk of '-XYZ'.
      const noValue = /^Option '(-\w, )?(--[\w-]+)( <value>)?' argument (missing|is ambiguous)/.exec(message);
      if (noValue)
        throw new UsageError(
          `${noValue[2]} needs a value, as in ${noValue[2]} VALUE (or ${noValue[2]}=-VALUE)`,
        );
      throw new UsageError(message.replace(/\. To specify a positional.*$/s, ""));
    }
    parsedJson = parsed.values.json === true;
    if (parsed.values.help) {
      io.stdout(`${command.usage}\n`);
      return EXIT.ok;
    }
    const repeated = repeatedOption(parsed.tokens, options);
    if (repeated !== undefined) throw new UsageError(repeated);
    return await command.run(parsed.values as OptionValues, parsed.positionals, io, runtime);
  } catch (err) {
    // Before the options are parsed, --json is read from the words typed.
    return reportError(io, err, name, parsedJson ?? json);
  }
}
