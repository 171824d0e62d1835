import http from "node:http";
import { performance } from "node:perf_hooks";

/** Prometheus-style postable alerts, each distinct (its own label set, so its own fingerprint). */
export function alertBatch(runId: string, from: number, count: number, nowMs: number): object[] {
  return Array.from({ length: count }, (_, i) => ({
    labels: {
      alertname: "BenchAlert",
      bench_id: `bench-${runId}-${from + i}`,
      severity: "critical",
      instance: `host-${(from + i) % 97}:9100`,
    },
    annotations: { summary: `bench-${runId}-${from + i} latency above threshold` },
    startsAt: new Date(nowMs).toISOString(),
    endsAt: new Date(nowMs + 15 * 60_000).toISOString(),
    generatorURL: "http://prometheus.bench/graph",
  }));
}

/**
 * The load generator posts with `node:http` over kept-alive sockets. Under Node's `fetch` the client
 * set the pace at batch 1 (about 2,000-3,000 requests/s, whoever answered), and the server under test
 * used two to three times the CPU per request it uses under this client (not explained).
 */
const agents = new Map<number, http.Agent>();
const agentFor = (sockets: number) => {
  let agent = agents.get(sockets);
  if (!agent) agents.set(sockets, (agent = new http.Agent({ keepAlive: true, maxSockets: sockets })));
  return agent;
};

function post(url: string, body: object[], sockets: number): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent: agentFor(sockets),
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.once("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}`)),
        );
        res.once("error", reject);
      },
    );
    req.once("error", reject);
    req.end(payload);
  });
}

/** Sends `total` distinct alerts in batches with `concurrency` requests in flight; alerts per second. */
export async function throughput(
  url: string,
  runId: string,
  total: number,
  batchSize: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const from = next;
        const count = Math.min(batchSize, total - from);
        next += count;
        await post(url, alertBatch(runId, from, count, Date.now()), concurrency);
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Paced sends never wait for a free socket: up to 256 are in flight before the sender waits. */
const PACED_SOCKETS = 257;

/** Sends one alert at a time at `ratePerSecond` for `seconds`; returns the send instants by alert id. */
export async function paced(
  url: string,
  runId: string,
  ratePerSecond: number,
  seconds: number,
): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  const total = Math.round(ratePerSecond * seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sent.set(`${runId}-${i}`, performance.now());
    inFlight.push(post(url, alertBatch(runId, i, 1, Date.now()), PACED_SOCKETS));
    if (inFlight.length > 256) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return sent;
}

export function latencies(
  sent: Map<string, number>,
  arrivals: Map<string, number>,
): { p50: number; p99: number; missing: number } {
  const values: number[] = [];
  let missing = 0;
  for (const [id, at] of sent) {
    const arrived = arrivals.get(id);
    if (arrived === undefined) missing++;
    else values.push(arrived - at);
  }
  values.sort((a, b) => a - b);
  const pick = (p: number) =>
    values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
  return { p50: pick(50), p99: pick(99), missing };
}
