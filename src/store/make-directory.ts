import { mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * `mkdir -p` that fails instead of spinning. Node's recursive mkdir loops forever (100 % CPU, no
 * output) where a parent exists but refuses children with ENOENT, as /proc does; so each missing
 * directory is made one at a time, from the deepest one that exists, and the first refusal is told.
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!exists(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const each of missing) {
    try {
      mkdirSync(each);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Another process may have made it meanwhile.
      if (code === "EEXIST" && exists(each)) continue;
      throw Object.assign(new Error(`cannot create the directory ${each}: ${(err as Error).message}`), {
        code,
      });
    }
  }
}

function exists(dir: string): boolean {
  try {
    statSync(dir);
    return true;
  } catch {
    return false;
  }
}
