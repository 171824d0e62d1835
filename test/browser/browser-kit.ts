// What the browser tests share: where Chromium is, building the console when it is stale (once,
// even when several test files start at the same time), launching a headless browser, and the steps
// every console test takes (a tab, the first-admin link, signing in, creating records over the API).
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

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

/** A 390 px phone, as the console's small-screen checks use it. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  colorScheme: "light",
  locale: "en-GB",
};

/** A tab in a context of its own that records uncaught page errors in `pageErrors`. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions,
  pageErrors: string[],
): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (err) => pageErrors.push(err.message));
  return page;
}

export interface ConsoleUser {
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

/** Opens the one-time first-admin link the server printed at start. */
export async function openFirstAdminLink(page: Page, fb: TestFirebreak): Promise<void> {
  const link = fb.running.firstAdmin;
  assert.equal(link.kind, "sign-in-link");
  await page.goto(`${fb.baseUrl}/welcome#token=${link.token}`);
}

/** Fills in and sends the first-admin form; what follows is the caller's to check. */
export async function submitFirstAdminForm(page: Page, admin: ConsoleUser): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(admin.email);
  await page.getByLabel("Name", { exact: true }).fill(admin.name);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
}

/** Becomes the first admin through the link and waits for Home to greet them. */
export async function claimFirstAdmin(page: Page, fb: TestFirebreak, admin: ConsoleUser): Promise<void> {
  await openFirstAdminLink(page, fb);
  await submitFirstAdminForm(page, admin);
  await page.getByRole("heading", { level: 1, name: `Welcome, ${admin.name}` }).waitFor();
}

/** Opens `url` without a session and signs in on the sign-in page it shows. */
export async function signInAt(
  page: Page,
  url: string,
  user: Pick<ConsoleUser, "email" | "password">,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** POSTs JSON to the API with an API key, expects 201 Created, and returns the created record. */
export function apiCreator(baseUrl: string, key: string) {
  return async (url: string, body: unknown): Promise<{ id: string; number?: number }> => {
    const res = await fetch(`${baseUrl}${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, 201, `${url}: ${text}`);
    return JSON.parse(text) as { id: string; number?: number };
  };
}

/** A browser suite: skipped where there is no Chromium, except in CI, where that is a failure. */
export function describeInBrowser(name: string, suite: () => void): void {
  if (missingBrowser && process.env.CI === "true") {
    describe(name, () => {
      it("has a Chromium to run in", () =>
        assert.fail(`browser tests must run in CI, but there is ${missingBrowser}`));
    });
  } else {
    describe(name, { skip: missingBrowser ?? false }, suite);
  }
}

/** Builds the console when stale and starts a Firebreak listening on a port, as a browser needs. */
export async function startConsoleFirebreak(): Promise<{ fb: TestFirebreak; baseUrl: string }> {
  ensureConsoleBuilt();
  const fb = await startTestFirebreak({ listen: true });
  assert.ok(fb.baseUrl, "the harness should listen");
  return { fb, baseUrl: fb.baseUrl };
}
