import { runCli, type CliRuntime } from "../../src/cli/run-cli.js";

/** What one in-process run of the CLI printed and the exit code it returned. */
export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `firebreak ARGV` in this process with `env` as its environment, capturing stdout and stderr.
 * The default runtime is empty: remote commands never touch it, so a local one called by mistake throws.
 */
export async function runCliCaptured(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  runtime: CliRuntime = {} as CliRuntime,
): Promise<CliOutcome> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    argv,
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env },
    runtime,
  );
  return { code, stdout, stderr };
}
