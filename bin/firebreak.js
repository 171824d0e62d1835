#!/usr/bin/env node
// The `firebreak` command. It runs the build in dist/; `npm install` makes it (npm run build remakes it).
import { existsSync } from "node:fs";

const entry = new URL("../dist/server/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("firebreak: the build is missing; run `npm run build` in the Firebreak folder first\n");
  process.exit(1);
}
await import(entry.href);
