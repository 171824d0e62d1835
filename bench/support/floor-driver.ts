// Drives a floor bench (a stripped-down server that shows what one part of ingest costs on its own):
// forks this file's server, warms it, posts distinct alerts at batch 1, 10 and 100 with 16 requests
// in flight (the alerts bench's own load generator), and prints alerts/s and the CPU a request takes
// in the server (from /proc) and in the load generator.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { throughput } from "./load.js";

const CLOCK_TICKS_PER_SECOND = 100;
const cpuMicros = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
};

/** In the parent: runs `script serve` as the server (it must `process.send` its address). */
export async function driveFloor(script: string, path: string, label: string): Promise<void> {
  const child = fork(script, ["serve"], { execArgv: ["--import", "tsx"] });
  try {
    const address = await new Promise<string>((resolve) => child.once("message", (m) => resolve(String(m))));
    await driveUrl(`${address}${path}`, child.pid!, label);
  } finally {
    child.kill("SIGTERM");
  }
}

/** Measures a server already running as process `pid` at `url`. */
export async function driveUrl(url: string, pid: number, label: string): Promise<void> {
  await throughput(url, "warm", 5_000, 1, 16);
  for (const batch of [1, 10, 100]) {
    const total = { 1: 20_000, 10: 100_000, 100: 200_000 }[batch]!;
    const cpu0 = cpuMicros(pid);
    const client0 = process.cpuUsage();
    const rate = await throughput(url, `floor-b${batch}`, total, batch, 16);
    const requests = total / batch;
    const client = process.cpuUsage(client0);
    console.log(
      `${label}, batch ${batch}: ${Math.round(rate)} alerts/s (${Math.round(rate / batch)} requests/s); server CPU ${((cpuMicros(pid) - cpu0) / requests).toFixed(0)} µs/request, load generator ${((client.user + client.system) / requests).toFixed(0)} µs/request`,
    );
  }
}
