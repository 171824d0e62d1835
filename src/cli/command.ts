import type { ParseArgsConfig } from "node:util";
import { terminalText } from "../core/clean-text.js";
import { remoteTarget, type RemoteTarget } from "./api-client.js";
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
  serve(options: {
    role?: string | undefined;
    port?: string | undefined;
    printConfig: boolean;
  }): Promise<number>;
  /**
   * Migrates the configured database and names it. One that does not exist yet is refused unless
   * `createDatabase`, as for createApiKey: run in the wrong folder it would make a database no server uses.
   */
  migrate(input: { createDatabase: boolean }): Promise<{ applied: string[]; database: string }>;
  /**
   * `database` names the database used (never with a password). A database that does not exist yet
   * is refused unless `createDatabase` (and there is no `user`: a new database has nobody in it).
   */
  createApiKey(input: {
    name: string;
    role: string;
    /** The email of the person the key acts for; without it the key acts for no person. */
    user?: string;
    createDatabase: boolean;
  }): Promise<{
    key: string;
    apiKey: { id: string; name: string; role: string; prefix: string };
    database: string;
    /** The email of the person the key acts for, or null. */
    actsFor: string | null;
  }>;
  listApiKeys(): Promise<{ database: string; keys: LocalApiKey[] }>;
  /** By id, or by name when one key that is not revoked has it. */
  revokeApiKey(ref: string): Promise<{ database: string; apiKey: LocalApiKey }>;
}

/** An API key as `apikey list` shows it: never the key itself, only its first characters. */
export interface LocalApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/**
 * 3 is `page`'s "done, but nobody was paged": the incident is open, so a retry would open another,
 * yet a script's `|| call-someone-else` must run, since nobody was woken.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, pagedNobody: 3 } as const;

/** string[] for an option declared `multiple`. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  run(values: OptionValues, positionals: string[], io: CliIo, runtime: CliRuntime): Promise<number>;
}

/** --url and --api-key, for every command that talks to a running server. */
export const REMOTE_OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export const REMOTE_USAGE = `  --url      the server (FIREBREAK_URL; default http://localhost:8080)
  --api-key  an API key (FIREBREAK_API_KEY)
  --json     machine-readable output`;

/**
 * `human` for people, each line as terminalText shows it, so no ESC a server sent reaches the terminal
 * even where a command forgot to clean a name; a line break inside a name can only be caught where it
 * is put in (`shown`, `table`). --json is exact: JSON escapes every control character.
 */
export const print = (io: CliIo, json: boolean, value: unknown, human: string) =>
  io.stdout(json ? `${JSON.stringify(value)}\n` : `${human.split("\n").map(terminalText).join("\n")}\n`);

/** Text a server or a person wrote, as one line on the terminal: controls shown, not obeyed. */
export const shown = (text: string): string => terminalText(text);

export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

/** Fixed-width columns for people, each cell on one line; `--json` is for machines. */
export function table(cells: ReadonlyArray<readonly string[]>): string {
  if (cells.length === 0) return "";
  // A line break or ESC in a name would forge a row or restyle the screen.
  const rows = cells.map((row) => row.map(terminalText));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "))
    .join("\n");
}

/** The server and key a remote command talks to: its --url/--api-key, else FIREBREAK_URL/FIREBREAK_API_KEY. */
export const remoteTargetOf = (values: OptionValues, io: CliIo): RemoteTarget =>
  remoteTarget(values as { url?: string; "api-key"?: string }, io.env);
