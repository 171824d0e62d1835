// The ceiling that HTTP alone sets on ingest: a Fastify route (the server's framework) that reads the
// JSON body of `/api/v2/alerts` and answers 200, stores nothing, driven by the alerts bench's own load
// generator on the same cores. If Firebreak's ingest is far below it, the time goes to Firebreak's
// own work, not to the protocol or the client.
//   npx tsx bench/support/http-floor.ts
import Fastify from "fastify";
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { throughput } from "./load.js";

const CLOCK_TICKS_PER_SECOND = 100;
const cpuMicros = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
};

if (process.argv[2] === "serve") {
  const app = Fastify({ logger: false });
  app.post("/api/v2/alerts", async (request, reply) => {
    if (!Array.isArray(request.body)) return reply.code(400).send("body is not a list of alerts");
    return reply.code(200).send("");
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  process.send?.(address);
} else {
  const child = fork(process.argv[1]!, ["serve"], { execArgv: ["--import", "tsx"] });
  try {
    const address = await new Promise<string>((resolve) => child.once("message", (m) => resolve(String(m))));
    const url = `${address}/api/v2/alerts`;
    await throughput(url, "warm", 5_000, 1, 16);
    for (const batch of [1, 10, 100]) {
      const total = { 1: 20_000, 10: 100_000, 100: 200_000 }[batch]!;
      const cpu0 = cpuMicros(child.pid!);
      const client0 = process.cpuUsage();
      const rate = await throughput(url, `floor-b${batch}`, total, batch, 16);
      const requests = total / batch;
      const client = process.cpuUsage(client0);
      console.log(
        `no-op Fastify route, batch ${batch}: ${Math.round(rate)} alerts/s (${Math.round(rate / batch)} requests/s); server CPU ${((cpuMicros(child.pid!) - cpu0) / requests).toFixed(0)} µs/request, load generator ${((client.user + client.system) / requests).toFixed(0)} µs/request`,
      );
    }
  } finally {
    child.kill();
  }
}
