import { terminalText } from "../core/clean-text.js";
import { isAppError } from "../core/errors.js";
import { RemoteError } from "./api-client.js";
import { EXIT, type CliIo } from "./command.js";
import { UsageError } from "./usage-error.js";

/**
 * How a failed command tells its caller: a line of text for people, or with --json one JSON object on
 * stderr for scripts (stdout stays empty, so `… --json | jq` never parses an error as a result).
 */
export interface ErrorJson {
  readonly error: {
    /** The HTTP status the server answered; absent when no server answered (usage, unreachable). */
    readonly status?: number;
    /** The problem's code (CONFLICT, VALIDATION, …), or USAGE, UNREACHABLE, NOT_FIREBREAK, FAILED. */
    readonly code: string;
    readonly title?: string;
    readonly detail: string;
    readonly errors?: readonly { readonly path: string; readonly message: string }[];
    readonly requestId?: string;
    readonly hint?: string;
  };
}

/** Where a usage error sends people: the command's own help, or the list of commands. */
const usageHint = (command: string | undefined): string =>
  command === undefined
    ? 'run "firebreak --help" for the list of commands'
    : `run "firebreak ${command} --help" for usage`;

/** The JSON a script reads for any thrown value; `command` is the command's name for the usage hint. */
export function errorJson(err: unknown, command: string | undefined): ErrorJson {
  if (err instanceof UsageError)
    return { error: { code: "USAGE", title: "Usage error", detail: err.message, hint: usageHint(command) } };
  if (err instanceof RemoteError) {
    const status = err.status === undefined ? {} : { status: err.status };
    return { error: { ...status, ...err.problem } };
  }
  if (isAppError(err))
    return {
      error: {
        code: err.code,
        detail: err.message,
        ...(err.fields.length > 0 && { errors: err.fields }),
      },
    };
  return { error: { code: "FAILED", detail: err instanceof Error ? err.message : String(err) } };
}

/**
 * Prints a failed command's error and returns its exit code: 2 for a usage error, else 1. `command`
 * is undefined when no command was recognised.
 */
export function reportError(io: CliIo, err: unknown, command: string | undefined, json: boolean): number {
  const exit = err instanceof UsageError ? EXIT.usage : EXIT.failure;
  if (json) {
    io.stderr(`${JSON.stringify(errorJson(err, command))}\n`);
    return exit;
  }
  const who = command === undefined ? "firebreak" : `firebreak ${command}`;
  // Messages quote what the server said and what was typed: one line each, controls shown, not obeyed.
  // A list of problems keeps one line per problem, each of them cleaned the same way.
  const listed = problemList(err);
  const message = listed
    ? [listed.heading, ...listed.problems.map((p) => `  - ${p}`)].map(terminalText).join("\n")
    : terminalText(err instanceof Error ? err.message : String(err));
  if (err instanceof UsageError) {
    const hint = usageHint(command);
    io.stderr(`${who}: ${message}\n${hint.charAt(0).toUpperCase()}${hint.slice(1)}.\n`);
  } else io.stderr(`${who}: ${message}\n`);
  return exit;
}

/**
 * An error that lists its problems (the server's ConfigError: every bad setting at once), as a
 * heading and the problems; the heading is its message's first line. Undefined for any other error.
 */
function problemList(err: unknown): { heading: string; problems: readonly string[] } | undefined {
  if (!(err instanceof Error) || !("problems" in err)) return undefined;
  const { problems } = err;
  if (!Array.isArray(problems) || problems.length === 0) return undefined;
  if (!problems.every((p): p is string => typeof p === "string")) return undefined;
  return { heading: err.message.split("\n", 1)[0] ?? "", problems };
}

/** Whether the command line asks for --json, before any `--` that ends the options. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}
