// What the browser tests share: where Chromium is, building the console when it is stale (once,
// even when several test files start at the same time), and launching a headless browser.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CHROMIUM = process.env.FIREBREAK_CHROMIUM ?? "/usr/bin/chromium";
/**
 * Screenshots go to docs/screenshots only when asked (`FIREBREAK_UPDATE_SCREENSHOTS=1 npm test`), so an
 * ordinary test run leaves the work tree clean; otherwise to a temporary folder.
 */
export const SCREENSHOTS =
  process.env.FIREBREAK_UPDATE_SCREENSHOTS === "1"
    ? path.join(ROOT, "docs", "screenshots")
    : path.join(tmpdir(), "firebreak-screenshots");

/** Why the browser tests cannot run here, or undefined when they can. */
export const missingBrowser = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM}; install it or set FIREBREAK_CHROMIUM to its path`;

/** Newest modification time of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const isStale = (): boolean => {
  const built = path.join(ROOT, "dist", "web", "index.html");
  return !existsSync(built) || statSync(built).mtimeMs < newestMtime(path.join(ROOT, "src", "web"));
};

/** Blocks the thread for `ms`: only while another process holds the build lock. */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The server serves dist/web; build the console first when it is missing or older than its sources.
 * A lock directory keeps two test files from building into the same folder at once.
 */
export function ensureConsoleBuilt(): void {
  if (!isStale()) return;
  const lock = path.join(ROOT, "dist", ".web-build-lock");
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than the deadline was left by a crash.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`the console build lock ${lock} was not released`);
      block(250);
    }
  }
  try {
    if (isStale()) execSync("npm run build:web", { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
