/**
 * Real processes for interop and crash tests: the `firebreak serve` entry point, Prometheus,
 * Alertmanager. Everything listens on 127.0.0.1. Each process's output is kept (bounded) so a failing
 * test can show it; every process a test starts is stopped by its own pid.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { waitFor } from "./wait-for.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = path.join(REPO_ROOT, "src", "server", "main.ts");
const IN_CI = process.env.CI === "true";
const MAX_KEPT_OUTPUT = 200_000;

/** A port nobody listens on right now: bind port 0 on 127.0.0.1, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The absolute path of an executable on PATH (or as given), or undefined. */
export function findExecutable(name: string): string | undefined {
  if (name.includes("/")) return existsSync(name) ? name : undefined;
  const found = spawnSync("sh", ["-c", `command -v ${JSON.stringify(name)}`], { encoding: "utf8" });
  const location = found.stdout.trim();
  return found.status === 0 && location !== "" ? location : undefined;
}

/**
 * Declares `suite` when the peer binaries exist. Without them: under CI=true a failing test says which
 * are missing; elsewhere the suite is skipped and the reason printed.
 */
export function describeWithBinaries(
  title: string,
  binaries: Readonly<Record<string, string>>,
  suite: (paths: Record<string, string>) => void,
): void {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, executable] of Object.entries(binaries)) {
    const found = findExecutable(
      process.env[`FIREBREAK_TEST_${name.toUpperCase().replaceAll("-", "_")}_BIN`] ?? executable,
    );
    if (found) paths[name] = found;
    else missing.push(executable);
  }
  if (missing.length === 0) {
    describe(title, () => suite(paths));
    return;
  }
  const reason = `needs ${missing.join(", ")} on PATH (Debian: apt-get install prometheus prometheus-alertmanager)`;
  if (IN_CI) {
    describe(title, () => {
      it("has its peer binaries (required when CI=true)", () => {
        throw new Error(`missing peer binaries: ${reason}`);
      });
    });
    return;
  }
  process.stderr.write(`\n# SKIPPED "${title}": ${reason}\n`);
  describe(title, { skip: reason }, () => undefined);
}

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** stdout and stderr so far, interleaved, at most the last 200 kB. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** Sends the signal (SIGTERM by default) and waits for the exit, SIGKILL after `graceMs`. */
  stop(
    signal?: NodeJS.Signals,
    graceMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > MAX_KEPT_OUTPUT) output = output.slice(-MAX_KEPT_OUTPUT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.on("error", (err) => {
      output += `\n[spawn error: ${err.message}]\n`;
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  return {
    name,
    child,
    pid,
    output: () => output,
    exited,
    hasExited: () => done,
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (done) return exited;
      child.kill(signal);
      const timer = setTimeout(() => {
        if (!done) child.kill("SIGKILL");
      }, graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** GET url; true when it answers 2xx. Never throws (a refused connection is "not yet"). */
export async function answers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Waits until `url` answers 2xx; fails early (with the output) if the process exits first. */
export async function waitUntilServing(proc: RunningProcess, url: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      if (proc.hasExited()) throw new ProcessExitedError(proc);
      return answers(url);
    },
    { timeoutMs, intervalMs: 100, what: `${proc.name} to answer ${url}` },
  ).catch((err: unknown) => {
    if (err instanceof ProcessExitedError) throw err;
    throw new Error(`${(err as Error).message}\n--- ${proc.name} output ---\n${proc.output().slice(-5_000)}`);
  });
}

class ProcessExitedError extends Error {
  constructor(proc: RunningProcess) {
    super(`${proc.name} exited before it was ready\n--- output ---\n${proc.output().slice(-5_000)}`);
  }
}

export interface FirebreakProcess extends RunningProcess {
  readonly baseUrl: string;
  readonly port: number;
}

/** The environment of a Firebreak child: the caller's, less its FIREBREAK_* variables, plus `env`. */
function firebreakEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("FIREBREAK_")),
  );
  return {
    ...inherited,
    NODE_NO_WARNINGS: "1",
    FIREBREAK_HOST: "127.0.0.1",
    FIREBREAK_LOG_LEVEL: "warn",
    // No load balancer to drain: a SIGTERM closes at once.
    FIREBREAK_SHUTDOWN_DRAIN_MS: "0",
    ...env,
  };
}

/**
 * `node --import tsx src/server/main.ts serve` with only the given FIREBREAK_* variables, waiting until
 * /readyz answers. The inherited environment keeps PATH and the like, never FIREBREAK_* of the caller.
 */
export async function startFirebreakProcess(
  env: Record<string, string>,
  options: { port?: number; name?: string } = {},
): Promise<FirebreakProcess> {
  const port = options.port ?? (await freePort());
  const proc = startProcess(
    options.name ?? "firebreak",
    process.execPath,
    ["--import", "tsx", MAIN, "serve"],
    { env: firebreakEnv({ ...env, FIREBREAK_PORT: String(port) }) },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilServing(proc, `${baseUrl}/readyz`);
  return { ...proc, baseUrl, port };
}

/**
 * `serve --role engine`, on a port of its own (FIREBREAK_ENGINE_PORT, so `env` may hold the api's
 * FIREBREAK_PORT too): ready once its /readyz (all it serves, with /healthz and /metrics) answers.
 */
export async function startFirebreakEngineProcess(
  env: Record<string, string>,
  options: { port?: number; name?: string } = {},
): Promise<FirebreakProcess> {
  const port = options.port ?? (await freePort());
  const proc = startProcess(
    options.name ?? "firebreak engine",
    process.execPath,
    ["--import", "tsx", MAIN, "serve", "--role", "engine"],
    { env: firebreakEnv({ ...env, FIREBREAK_ENGINE_PORT: String(port) }) },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilServing(proc, `${baseUrl}/readyz`);
  return { ...proc, baseUrl, port };
}

/** Runs a short-lived `firebreak` command (apikey create, migrate, …) to its end. */
export async function runFirebreakCommand(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const proc = startProcess(
    `firebreak ${args.join(" ")}`,
    process.execPath,
    ["--import", "tsx", MAIN, ...args],
    {
      env: firebreakEnv(env),
    },
  );
  const { code } = await proc.exited;
  return { code, output: proc.output() };
}
