import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Checkpoints the WAL from a worker thread with a connection of its own. SQLite's automatic
 * checkpoint runs inside the commit that crosses 1,000 pages: it copies them into the database
 * file and fsyncs it twice, on the event loop. A PASSIVE checkpoint never blocks the writer, and
 * the writer starts the WAL over once a checkpoint has copied all of it, so the WAL stays small.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driverPath, intervalMs },
    });
    // It only keeps the WAL short; a failure costs disk space, never data, and the main
    // connection checkpoints on close.
    this.worker.on("error", () => undefined);
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
  }

  async stop(): Promise<void> {
    // Held while it stops, or a process with nothing else to do would exit mid-await.
    this.worker.ref();
    this.worker.postMessage("stop");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}

const CHECKPOINT_INTERVAL_MS = 200;

// Plain CommonJS, so that it runs the same from dist/ and from source through tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
db.pragma("wal_autocheckpoint = 0");
const checkpoint = db.prepare("pragma wal_checkpoint(PASSIVE)");
const timer = setInterval(() => {
  try { checkpoint.run(); } catch { /* busy or closing: the next round tries again */ }
}, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
