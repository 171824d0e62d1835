#!/usr/bin/env node
// Runs the test files with Node's own runner (TypeScript through tsx).
//   node scripts/run-tests.js              every test: unit, store, engine, http, cli, browser
//   node scripts/run-tests.js --only unit  the pure tests beside the code in src/
//   node scripts/run-tests.js test/engine  the files under the given paths
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const onlyUnit = args[0] === "--only" && args[1] === "unit";
const roots = onlyUnit ? ["src"] : args.length > 0 ? args : ["src", "test"];

function collect(entry, found) {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) {
    console.error(`run-tests: no such path ${entry}`);
    process.exit(2);
  }
  if (stat.isFile()) {
    if (/\.test\.tsx?$/.test(entry)) found.push(entry);
    return found;
  }
  for (const name of readdirSync(entry).sort()) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    collect(path.join(entry, name), found);
  }
  return found;
}

const files = roots.flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error(`run-tests: no test files under ${roots.join(", ")}`);
  process.exit(1);
}
// The timeout only catches a hang: each file runs in a process of its own and counts as one test, and
// the crash and escalation scenario files take 50–95 s on a loaded 2-core machine.
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit", env: { ...process.env, NODE_NO_WARNINGS: "1" } },
);
process.exit(result.status ?? 1);
