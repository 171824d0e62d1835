#!/usr/bin/env node
// `npm start` runs this first: it builds the server and the console when the build is missing or
// older than the sources, so a fresh clone or a `git pull` needs no separate build step.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");
const stamp = path.join(root, "dist", ".build-stamp");

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestSourceMs(path.join(root, "src")),
  statSync(path.join(root, "package.json")).mtimeMs,
);
const built =
  existsSync(stamp) && existsSync(path.join(root, "dist", "server", "main.js")) ? statSync(stamp).mtimeMs : 0;
if (built < sources) {
  process.stderr.write("Building Firebreak (server and console)…\n");
  execSync("npm run build", { cwd: root, stdio: "inherit" });
}
