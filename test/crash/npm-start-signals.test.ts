/**
 * `npm start` stopped the way `docker stop` (on `CMD npm start`), supervisord, pm2 or `kill <npm pid>`
 * stop it: a signal to npm's own process. The start script's shell stayed between npm and the server
 * and did not pass the signal on, so npm exited and the server ran on as an orphan, still holding the
 * port. Now the server is npm's own child, and npm forwards SIGTERM and SIGINT to it: it drains and stops.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import {
  answers,
  findExecutable,
  freePort,
  startProcess,
  waitUntilServing,
} from "../support/child-processes.js";
import { waitFor } from "../support/wait-for.js";

/** The processes below `pid` (children, grandchildren, …) with their command lines, from ps. */
function descendants(pid: number): Array<{ pid: number; args: string }> {
  const listed = spawnSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" }).stdout;
  const rows = listed
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? "" }));
  const found: Array<{ pid: number; args: string }> = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows)
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push({ pid: row.pid, args: row.args });
        grew = true;
      }
  }
  return found;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const npm = findExecutable("npm");

describe("npm start, stopped by a signal to npm's own process", { skip: !npm && "needs npm on PATH" }, () => {
  const cases = [
    ["SIGTERM", "SIGTERM to npm"],
    ["SIGINT", "SIGINT to npm"],
    // Ctrl-C in a terminal: the whole group gets SIGINT, and npm forwards its own: one stop, not a kill.
    ["SIGINT", "Ctrl-C (SIGINT to npm and the server at once)"],
  ] as const;
  for (const [signal, sent] of cases) {
    it(`${sent} drains and stops the server, which logs that it stopped`, async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-npm-start-"));
      const port = await freePort();
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith("FIREBREAK_")),
      );
      const proc = startProcess("npm start", npm as string, ["start"], {
        env: {
          ...inherited,
          NODE_NO_WARNINGS: "1",
          FIREBREAK_DATA_DIR: dataDir,
          FIREBREAK_PORT: String(port),
          FIREBREAK_HOST: "127.0.0.1",
          FIREBREAK_LOG_LEVEL: "info",
          FIREBREAK_SHUTDOWN_DRAIN_MS: "300",
        },
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      let server: number | undefined;
      try {
        // A stale build is rebuilt first (ensure-built.js), which can take a while on a busy machine.
        await waitUntilServing(proc, `${baseUrl}/readyz`, 240_000);
        // The node process itself, not a shell whose command line ends the same way.
        server = descendants(proc.pid).find(
          (p) => /dist\/server\/main\.js serve$/.test(p.args) && !p.args.includes("ensure-built"),
        )?.pid;
        assert.ok(server, `the server process under npm: ${JSON.stringify(descendants(proc.pid))}`);

        process.kill(proc.pid, signal);
        if (sent.startsWith("Ctrl-C")) process.kill(server, signal);
        await proc.exited;
        await waitFor(() => !isAlive(server as number), {
          timeoutMs: 15_000,
          intervalMs: 50,
          what: "the server process to exit",
        }).catch((err: unknown) => {
          throw new Error(`${(err as Error).message}: it outlived npm\n${proc.output().slice(-3_000)}`);
        });
        assert.equal(await answers(`${baseUrl}/healthz`, 1_000), false, "the port no longer answers");
        const log = proc.output();
        assert.match(log, /shutting down/);
        assert.match(log, /stopped: \d+ jobs? finished while stopping, store closed/);
      } finally {
        // Never leave an orphan behind, whatever failed: stop npm and the server by their own pids.
        if (!proc.hasExited()) await proc.stop("SIGKILL");
        if (server !== undefined && isAlive(server)) process.kill(server, "SIGKILL");
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
