/**
 * A stop (SIGTERM, SIGINT) behind a load balancer: /readyz turned 503 at the moment the listener
 * closed, so the balancer had no time to stop sending, and a request that still came got Fastify's
 * `{"error":"Service Unavailable"}` without Retry-After. Now /readyz turns 503 first while the server
 * serves on for FIREBREAK_SHUTDOWN_DRAIN_MS (within FIREBREAK_SHUTDOWN_TIMEOUT_MS), then it closes,
 * and a request refused while closing is problem+json with Retry-After, as every 503.
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, it } from "node:test";
import { startTestFirebreak } from "../support/firebreak-harness.js";
import { waitFor } from "../support/wait-for.js";

/** Everything the server sends on `socket` until it closes it. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => resolve(text));
  });
}

/** The HTTP/1.1 answers in `text`, in order: status, lower-case headers, body. */
function parseAnswers(
  text: string,
): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const answers: Array<{ status: number; headers: Record<string, string>; body: string }> = [];
  let rest = text;
  while (rest.startsWith("HTTP/1.1 ")) {
    const headEnd = rest.indexOf("\r\n\r\n");
    const [statusLine = "", ...headerLines] = rest.slice(0, headEnd).split("\r\n");
    const headers = Object.fromEntries(
      headerLines.map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length = Number(headers["content-length"] ?? 0);
    const bodyStart = headEnd + 4;
    answers.push({
      status: Number(statusLine.split(" ")[1]),
      headers,
      body: Buffer.from(rest.slice(bodyStart)).subarray(0, length).toString("utf8"),
    });
    rest = Buffer.from(rest.slice(bodyStart)).subarray(length).toString("utf8");
  }
  return answers;
}

describe("stopping behind a load balancer", () => {
  it("/readyz turns 503 first while the API serves on for the drain, then the listener closes", async () => {
    const fb = await startTestFirebreak({ listen: true, env: { FIREBREAK_SHUTDOWN_DRAIN_MS: "800" } });
    try {
      const base = fb.baseUrl as string;
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const startedMs = performance.now();
      const stopping = fb.running.stop();
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), { status: "error", checks: { process: "shutting down" } });
      // Still serving meanwhile: probes, and the API itself.
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const status = await fetch(`${base}/api/v1/status`);
      assert.equal(status.status, 200);
      assert.equal(((await status.json()) as { name: string }).name, "firebreak");
      await stopping;
      const tookMs = performance.now() - startedMs;
      assert.ok(tookMs >= 750, `the drain lasted ${Math.round(tookMs)} ms`);
      await assert.rejects(fetch(`${base}/healthz`), "closed after the drain");
    } finally {
      await fb.close();
    }
  });

  it("the drain counts within FIREBREAK_SHUTDOWN_TIMEOUT_MS", async () => {
    const fb = await startTestFirebreak({
      listen: true,
      env: { FIREBREAK_SHUTDOWN_DRAIN_MS: "60000", FIREBREAK_SHUTDOWN_TIMEOUT_MS: "500" },
    });
    const startedMs = performance.now();
    await fb.close();
    const tookMs = performance.now() - startedMs;
    assert.ok(tookMs >= 450 && tookMs < 5_000, `stopped in ${Math.round(tookMs)} ms`);
  });

  it("an engine-role process has nothing to drain: it stops at once", async () => {
    const fb = await startTestFirebreak({
      listen: true,
      env: { FIREBREAK_ROLE: "engine", FIREBREAK_SHUTDOWN_DRAIN_MS: "60000" },
    });
    const startedMs = performance.now();
    await fb.close();
    const tookMs = performance.now() - startedMs;
    assert.ok(tookMs < 5_000, `stopped in ${Math.round(tookMs)} ms`);
  });

  it("a request that arrives while the server closes gets a problem+json 503 with Retry-After", async () => {
    const fb = await startTestFirebreak({ listen: true });
    try {
      const { port } = new URL(fb.baseUrl as string);
      const socket = connect(Number(port), "127.0.0.1");
      const received = readUntilClosed(socket);
      // A first request whose body is still coming holds the connection open across the close.
      const body = JSON.stringify({ email: "nobody@example.com", password: "not the password" });
      const routed = new Promise((resolve) => fb.http.server.once("request", resolve));
      socket.write(
        "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: firebreak\r\nContent-Type: application/json\r\n" +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await routed;
      const stopping = fb.running.stop();
      // Fastify's preClose hooks have run once the listener no longer listens.
      await waitFor(() => !fb.http.server.listening, { timeoutMs: 5_000, intervalMs: 5, what: "close" });
      socket.write(`${body.slice(10)}GET /api/v1/status HTTP/1.1\r\nHost: firebreak\r\n\r\n`);
      const answers = parseAnswers(await received);
      await stopping;
      assert.equal(answers.length, 2, JSON.stringify(answers));
      const refused = answers[1]!;
      assert.equal(refused.status, 503);
      assert.match(refused.headers["content-type"] ?? "", /^application\/problem\+json/);
      assert.equal(refused.headers["retry-after"], "5");
      assert.equal(refused.headers.connection, "close");
      const problem = JSON.parse(refused.body) as Record<string, unknown>;
      assert.equal(problem.code, "UNAVAILABLE");
      assert.equal(problem.status, 503);
      assert.equal(problem.type, "urn:firebreak:problem:unavailable");
      assert.match(String(problem.detail), /shutting down; try again/);
      assert.equal(problem.instance, "/api/v1/status");
    } finally {
      await fb.close();
    }
  });
});
