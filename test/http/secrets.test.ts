import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import type { Api } from "../../src/http/api-instance.js";
import { ConfigError, loadConfig, printableConfig } from "../../src/server/config.js";
import { startFirebreak, type RunningFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";

describe("secrets never reach the logs", () => {
  const ADMIN_EMAIL = "root@example.com";
  const ADMIN_PASSWORD = "configured-admin-password-7f3a";
  const WRONG_PASSWORD = "a-wrong-guess-password-91c2";
  const NEW_USER_PASSWORD = "new-user-password-5d8e";
  const lines: string[] = [];
  const secrets: Record<string, string> = {};
  let dataDir: string;
  let running: RunningFirebreak;
  let http: Api;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-logs-"));
    const config = loadConfig({
      FIREBREAK_DATA_DIR: dataDir,
      FIREBREAK_LOG_LEVEL: "debug",
      FIREBREAK_SQLITE_SYNCHRONOUS: "normal",
      FIREBREAK_ADMIN_EMAIL: ADMIN_EMAIL,
      FIREBREAK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    assert.equal(config.logLevel, "debug");
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    running = await startFirebreak(config, { logger: createLogger(config, destination), listen: false });
    http = running.http as Api;

    // A failed sign-in, then a good one.
    const failed = await http.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { email: ADMIN_EMAIL, password: WRONG_PASSWORD },
    });
    assert.equal(failed.statusCode, 401);
    const signedIn = await http.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const sessionCookie = signedIn.cookies.find((c) => c.name === "firebreak_session")?.value;
    assert.ok(sessionCookie);
    secrets.sessionCookie = sessionCookie;
    secrets.csrfToken = (signedIn.json() as { csrfToken: string }).csrfToken;
    const asSession = { cookie: `firebreak_session=${sessionCookie}`, "x-csrf-token": secrets.csrfToken };

    // An API key made through the session, then used in every way a client might send it.
    const created = await http.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: asSession,
      payload: { name: "ci", role: "admin" },
    });
    assert.equal(created.statusCode, 201, created.body);
    secrets.apiKey = (created.json() as { key: string }).key;
    const asKey = { authorization: `Bearer ${secrets.apiKey}` };
    assert.equal(
      (await http.inject({ method: "GET", url: "/api/v1/users", headers: asKey })).statusCode,
      200,
    );
    await http.inject({ method: "GET", url: `/api/v1/teams?token=${secrets.apiKey}`, headers: asKey });
    await http.inject({ method: "GET", url: "/api/v1/no-such-route", headers: asKey });

    // Requests that fail with a password in the body: validation, malformed JSON, a good creation.
    await http.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: asKey,
      payload: { email: "bad email", name: "N", role: "viewer", password: NEW_USER_PASSWORD },
    });
    await http.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { ...asKey, "content-type": "application/json" },
      payload: `{"email":"x@example.com","password":"${NEW_USER_PASSWORD}"`,
    });
    const user = await http.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: asKey,
      payload: { email: "new@example.com", name: "New", role: "viewer", password: NEW_USER_PASSWORD },
    });
    assert.equal(user.statusCode, 201, user.body);
    const changed = await http.inject({
      method: "POST",
      url: "/api/v1/me/password",
      headers: asSession,
      payload: { currentPassword: ADMIN_PASSWORD, newPassword: `${ADMIN_PASSWORD}-2` },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    const out = await http.inject({ method: "POST", url: "/api/v1/auth/sign-out", headers: asSession });
    assert.equal(out.statusCode, 204);
    // The cookie, now stale, sent once more.
    await http.inject({
      method: "GET",
      url: "/api/v1/auth/session",
      headers: { cookie: `firebreak_session=${sessionCookie}` },
    });
  });

  after(async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("logs the requests (so the check below looks at real log lines)", () => {
    const text = lines.join("");
    assert.ok(lines.length >= 10, `expected request logs, got ${lines.length} lines`);
    assert.match(text, /"url":"\/api\/v1\/users"/);
    assert.match(text, /"url":"\/api\/v1\/auth\/sign-in"/);
    assert.match(text, /sign-in failed/);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), "every log line is JSON");
  });

  it("never logs a password, the API key, the session cookie or the CSRF token", () => {
    const text = lines.join("");
    const forbidden = {
      adminPassword: ADMIN_PASSWORD,
      wrongPassword: WRONG_PASSWORD,
      newUserPassword: NEW_USER_PASSWORD,
      apiKey: secrets.apiKey,
      apiKeyBody: secrets.apiKey?.slice(4),
      sessionCookie: secrets.sessionCookie,
      csrfToken: secrets.csrfToken,
    };
    for (const [what, value] of Object.entries(forbidden)) {
      assert.ok(value && value.length > 10, `${what} was captured`);
      assert.ok(!text.includes(value), `the logs contain the ${what}`);
    }
  });

  it("cuts a secret query parameter from the logged URL", () => {
    assert.match(lines.join(""), /"url":"\/api\/v1\/teams\?token=<secret>"/);
  });
});

describe("printed configuration hides secrets", () => {
  const DB_PASSWORD = "hunter2-db-password";
  const ADMIN_PASSWORD = "admin-password-hunter3";
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "firebreak-config-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("shows <secret> for the database password and the admin password", () => {
    const config = loadConfig({
      FIREBREAK_DATABASE_URL: `postgres://firebreak:${DB_PASSWORD}@db.internal:5432/firebreak`,
      FIREBREAK_ADMIN_EMAIL: "root@example.com",
      FIREBREAK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    const printable = printableConfig(config);
    const text = JSON.stringify(printable);
    assert.ok(!text.includes(DB_PASSWORD), "the database password is printed");
    assert.ok(!text.includes(ADMIN_PASSWORD), "the admin password is printed");
    assert.equal(printable.databaseUrl, "<secret>");
    assert.equal(printable.adminPassword, "<secret>");
    const store = printable.store as { kind: string; url: string };
    assert.equal(store.kind, "postgres");
    const shown = new URL(store.url);
    assert.equal(decodeURIComponent(shown.password), "<secret>");
    assert.equal(shown.hostname, "db.internal", "the rest of the URL stays readable");
    assert.equal(shown.username, "firebreak");
  });

  it("hides secrets read from *_FILE settings too", () => {
    const file = path.join(dir, "admin-password");
    writeFileSync(file, `${ADMIN_PASSWORD}\n`);
    const config = loadConfig({
      FIREBREAK_ADMIN_EMAIL: "root@example.com",
      FIREBREAK_ADMIN_PASSWORD_FILE: file,
    });
    assert.equal(config.adminPassword?.reveal(), ADMIN_PASSWORD);
    assert.equal(printableConfig(config).adminPassword, "<secret>");
    assert.ok(!JSON.stringify(printableConfig(config)).includes(ADMIN_PASSWORD));
    assert.ok(!inspect(config.adminPassword).includes(ADMIN_PASSWORD));
  });

  it("keeps the database password out of a configuration error", () => {
    assert.throws(
      () => loadConfig({ FIREBREAK_DATABASE_URL: `mysql://firebreak:${DB_PASSWORD}@db.internal/firebreak` }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /FIREBREAK_DATABASE_URL/);
        assert.ok(!err.message.includes(DB_PASSWORD));
        return true;
      },
    );
  });
});
