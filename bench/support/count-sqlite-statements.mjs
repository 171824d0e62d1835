// A preload for bench/support/ingest-e2e.ts (FIREBREAK_BENCH_PRELOAD): counts and times every SQLite
// statement the server runs, and on each SIGUSR2 (before a batch size and after its drain) appends the
// counts since the last signal to FIREBREAK_BENCH_COUNTS_FILE (default /tmp/firebreak-statements.txt).
// The number of `commit` rows against the alerts sent says how many requests shared a transaction.
// Plain JavaScript: the server may run from dist/ under plain node.
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";

const out = process.env.FIREBREAK_BENCH_COUNTS_FILE ?? "/tmp/firebreak-statements.txt";
const require = createRequire(import.meta.url);
const Database = require("better-sqlite3");
const probe = new Database(":memory:");
const statementPrototype = Object.getPrototypeOf(probe.prepare("select 1"));
probe.close();

/** SQL text (first 90 characters) → [runs, microseconds]. */
const counts = new Map();
for (const method of ["run", "all", "get"]) {
  const original = statementPrototype[method];
  statementPrototype[method] = function timed(...args) {
    const started = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const micros = Number(process.hrtime.bigint() - started) / 1000;
      const key = this.source.slice(0, 90);
      const row = counts.get(key) ?? [0, 0];
      row[0] += 1;
      row[1] += micros;
      counts.set(key, row);
    }
  };
}

process.on("SIGUSR2", () => {
  if (counts.size === 0) return;
  const rows = [...counts].sort((a, b) => b[1][1] - a[1][1]).slice(0, 30);
  const lines = rows.map(([sql, [runs, micros]]) => `${runs}\t${micros.toFixed(0)} µs\t${sql}`);
  appendFileSync(out, `--- ${new Date().toISOString()}\n${lines.join("\n")}\n`);
  counts.clear();
});
