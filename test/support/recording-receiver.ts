/**
 * A webhook receiver on 127.0.0.1 that records every request (path, Idempotency-Key, body) and answers
 * 200, the way a real receiver that deduplicates by key would. It can answer slowly, fail the first
 * attempt of each key, or hold responses (the request has arrived, the sender has not heard back): the
 * moment a crash makes a sender send again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ReceivedRequest {
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly body: string;
  readonly at: number;
}

export interface RecordingReceiver {
  readonly url: string;
  readonly received: readonly ReceivedRequest[];
  /** Requests per idempotency key, in arrival order. */
  byKey(): Map<string, ReceivedRequest[]>;
  /** Requests that arrived and were not answered yet (held). */
  heldCount(): number;
  /** While true, requests are recorded but not answered until `release()`. */
  hold(on: boolean): void;
  /** Answers every held request (its sender may be gone; that is fine). */
  release(): void;
  close(): Promise<void>;
}

export async function startRecordingReceiver(
  options: { delayMs?: () => number; failFirstAttemptStatus?: number } = {},
): Promise<RecordingReceiver> {
  const received: ReceivedRequest[] = [];
  const seenKeys = new Set<string>();
  const held: ServerResponse[] = [];
  let holding = false;

  const release = () => {
    for (const res of held.splice(0)) answer(res, 200);
  };
  const answer = (res: ServerResponse, status: number) => {
    if (res.writableEnded || res.destroyed) return;
    res
      .writeHead(status, { "content-type": "application/json" })
      .end(status < 300 ? '{"ok":true}' : '{"error":"try again"}');
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const header = req.headers["idempotency-key"];
      const idempotencyKey = typeof header === "string" ? header : undefined;
      received.push({
        path: req.url ?? "",
        idempotencyKey,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      const firstAttempt = idempotencyKey !== undefined && !seenKeys.has(idempotencyKey);
      if (idempotencyKey !== undefined) seenKeys.add(idempotencyKey);
      if (options.failFirstAttemptStatus !== undefined && firstAttempt)
        return answer(res, options.failFirstAttemptStatus);
      if (holding) {
        held.push(res);
        return;
      }
      const delay = options.delayMs?.() ?? 0;
      if (delay > 0) setTimeout(() => answer(res, 200), delay);
      else answer(res, 200);
    });
    req.on("error", () => undefined);
    res.on("error", () => undefined);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    byKey() {
      const map = new Map<string, ReceivedRequest[]>();
      for (const r of received) {
        const key = r.idempotencyKey ?? "(none)";
        map.set(key, [...(map.get(key) ?? []), r]);
      }
      return map;
    },
    heldCount: () => held.length,
    hold(on) {
      holding = on;
    },
    release,
    close() {
      release();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
