import { createServer, type Server } from "node:http";
import { performance } from "node:perf_hooks";

/**
 * The receiver both Firebreak and Alertmanager notify. It notes when each bench alert's notification
 * arrives, by the alert id found in the body (Firebreak: incident title; Alertmanager: label `bench_id`).
 */
export class NotificationReceiver {
  readonly arrivals = new Map<string, number>();
  requests = 0;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const at = performance.now();
        this.requests++;
        const text = Buffer.concat(chunks).toString("utf8");
        for (const match of text.matchAll(/bench-([a-z0-9]+-\d+)/g))
          if (!this.arrivals.has(match[1]!)) this.arrivals.set(match[1]!, at);
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
