import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, listeningPort, loadConfig, printableConfig } from "./config.js";

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe("configuration", () => {
  it("defaults to SQLite under ./data on port 8080", () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, "http://localhost:8080");
    assert.equal(config.store.kind, "sqlite");
    assert.equal(config.store.kind === "sqlite" && path.basename(config.store.file), "firebreak.db");
    assert.equal(config.role, "all");
  });

  const invalid: Array<[name: string, env: Record<string, string>, problem: RegExp]> = [
    [
      "a port that is not a number",
      { FIREBREAK_PORT: "abc" },
      /FIREBREAK_PORT must be a whole number from 0 to 65535, got "abc"/,
    ],
    ["a port out of range", { FIREBREAK_PORT: "70000" }, /FIREBREAK_PORT/],
    [
      "an engine port that is not a number",
      { FIREBREAK_ENGINE_PORT: "metrics" },
      /FIREBREAK_ENGINE_PORT must be a whole number from 0 to 65535, got "metrics"/,
    ],
    [
      "a database URL that is not PostgreSQL",
      { FIREBREAK_DATABASE_URL: "mysql://root:pw@db/x" },
      /must start with postgres:\/\//,
    ],
    [
      "a PostgreSQL connect timeout of 0 (waiting forever)",
      { FIREBREAK_DATABASE_URL: "postgres://db/x", FIREBREAK_PG_CONNECT_TIMEOUT_MS: "0" },
      /FIREBREAK_PG_CONNECT_TIMEOUT_MS must be a whole number from 100 to 600000, got "0"/,
    ],
    [
      "a PostgreSQL query timeout that is not a number of milliseconds",
      { FIREBREAK_DATABASE_URL: "postgres://db/x", FIREBREAK_PG_QUERY_TIMEOUT_MS: "30s" },
      /FIREBREAK_PG_QUERY_TIMEOUT_MS must be a whole number/,
    ],
    ["an unknown log level", { FIREBREAK_LOG_LEVEL: "loud" }, /FIREBREAK_LOG_LEVEL must be one of/],
    ["an unknown role", { FIREBREAK_ROLE: "worker" }, /FIREBREAK_ROLE must be one of all, api, engine/],
    ["an admin email without a password", { FIREBREAK_ADMIN_EMAIL: "a@example.com" }, /go together/],
    ["a public URL that is not http(s)", { FIREBREAK_PUBLIC_URL: "ftp://x" }, /FIREBREAK_PUBLIC_URL/],
    [
      "a public URL with a password",
      { FIREBREAK_PUBLIC_URL: "https://admin:hunter2@firebreak.example.com" },
      /FIREBREAK_PUBLIC_URL must not hold a user name or password: links in messages would carry them/,
    ],
    [
      "a public URL with a query",
      { FIREBREAK_PUBLIC_URL: "https://firebreak.example.com/?token=abc" },
      /FIREBREAK_PUBLIC_URL must not have a query or fragment/,
    ],
    [
      "a Slack API URL with a password",
      { FIREBREAK_SLACK_API_BASE_URL: "http://u:hunter2@127.0.0.1:9/api" },
      /FIREBREAK_SLACK_API_BASE_URL must not hold a user name or password/,
    ],
    [
      "a secret given twice",
      { FIREBREAK_ADMIN_PASSWORD: "x", FIREBREAK_ADMIN_PASSWORD_FILE: "/nope" },
      /not both/,
    ],
    [
      "a secret file that does not exist",
      { FIREBREAK_ADMIN_EMAIL: "a@b.co", FIREBREAK_ADMIN_PASSWORD_FILE: "/nonexistent/pw" },
      /cannot read \/nonexistent\/pw/,
    ],
  ];
  for (const [name, env, problem] of invalid) {
    it(`refuses ${name}, naming the setting`, () => {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => problem.test(p)),
        problems.join("\n"),
      );
      assert.ok(!problems.join("\n").includes("hunter2"), "a password is never repeated");
    });
  }

  it("does not repeat a password in a URL that is not http(s)", () => {
    const problems = problemsOf({ FIREBREAK_PUBLIC_URL: "ftp://admin:hunter2@files.example.com" });
    assert.ok(!problems.join("\n").includes("hunter2"), problems.join("\n"));
    assert.match(problems.join("\n"), /FIREBREAK_PUBLIC_URL must be an http\(s\) URL/);
  });

  it("bounds every wait on PostgreSQL by default, and takes other bounds (0: no limit) from the environment", () => {
    const defaults = loadConfig({ FIREBREAK_DATABASE_URL: "postgres://db/x" }).store;
    assert.deepEqual(defaults.kind === "postgres" && defaults.timeouts, {
      connectMs: 10_000,
      queryMs: 30_000,
      idleInTransactionMs: 60_000,
    });
    const set = loadConfig({
      FIREBREAK_DATABASE_URL: "postgres://db/x",
      FIREBREAK_PG_CONNECT_TIMEOUT_MS: "2500",
      FIREBREAK_PG_QUERY_TIMEOUT_MS: "0",
      FIREBREAK_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: "120000",
    });
    assert.deepEqual(set.store.kind === "postgres" && set.store.timeouts, {
      connectMs: 2_500,
      queryMs: 0,
      idleInTransactionMs: 120_000,
    });
    assert.deepEqual((printableConfig(set).store as { timeouts: unknown }).timeouts, {
      connectMs: 2_500,
      queryMs: 0,
      idleInTransactionMs: 120_000,
    });
  });

  describe("the port of each role", () => {
    // One env file for an api and an engine process on one host: each must get a port of its own.
    const sharedEnv = { FIREBREAK_PORT: "9000" };

    it("gives an engine FIREBREAK_ENGINE_PORT (default 8081), never FIREBREAK_PORT", () => {
      assert.deepEqual(listeningPort(loadConfig({}, { role: "engine" })), {
        port: 8081,
        setting: "FIREBREAK_ENGINE_PORT",
      });
      const api = loadConfig(sharedEnv, { role: "api" });
      const engine = loadConfig(sharedEnv, { role: "engine" });
      assert.deepEqual(listeningPort(api), { port: 9000, setting: "FIREBREAK_PORT" });
      assert.deepEqual(listeningPort(engine), { port: 8081, setting: "FIREBREAK_ENGINE_PORT" });
      const set = loadConfig({ ...sharedEnv, FIREBREAK_ENGINE_PORT: "9100", FIREBREAK_ROLE: "engine" });
      assert.equal(listeningPort(set).port, 9100);
      assert.equal(listeningPort(loadConfig({ ...sharedEnv, FIREBREAK_ENGINE_PORT: "9100" })).port, 9000);
    });

    it("lets --port set the port of the role being started, and links keep FIREBREAK_PORT's", () => {
      const engine = loadConfig(sharedEnv, { role: "engine", port: "9200" });
      assert.deepEqual(listeningPort(engine), { port: 9200, setting: "FIREBREAK_ENGINE_PORT" });
      // The engine's messages link to the API, which is not on the engine's own port.
      assert.equal(engine.port, 9000);
      assert.equal(engine.publicUrl, "http://localhost:9000");
      const api = loadConfig(sharedEnv, { role: "api", port: "9300" });
      assert.deepEqual(listeningPort(api), { port: 9300, setting: "FIREBREAK_PORT" });
      assert.equal(api.enginePort, 8081);
      assert.equal(api.publicUrl, "http://localhost:9300");
    });

    it("names --port when the bad port came from it", () => {
      assert.throws(
        () => loadConfig({}, { role: "engine", port: "x" }),
        /--port must be a whole number from 0 to 65535, got "x"/,
      );
    });

    it("prints both ports with --print-config", () => {
      const printed = printableConfig(loadConfig({ ...sharedEnv, FIREBREAK_ENGINE_PORT: "9100" }));
      assert.equal(printed.port, 9000);
      assert.equal(printed.enginePort, 9100);
    });
  });

  it("reports every problem at once", () => {
    assert.equal(problemsOf({ FIREBREAK_PORT: "x", FIREBREAK_LOG_LEVEL: "y" }).length, 2);
  });

  it("reads secrets from *_FILE and never prints them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "firebreak-config-"));
    writeFileSync(path.join(dir, "pw"), "s3cret-password\n");
    writeFileSync(path.join(dir, "db"), "postgres://firebreak:hunter2@127.0.0.1:5432/firebreak\n");
    const config = loadConfig({
      FIREBREAK_ADMIN_EMAIL: "ops@example.com",
      FIREBREAK_ADMIN_PASSWORD_FILE: path.join(dir, "pw"),
      FIREBREAK_DATABASE_URL_FILE: path.join(dir, "db"),
    });
    assert.equal(config.adminPassword?.reveal(), "s3cret-password");
    assert.equal(config.store.kind, "postgres");
    const printed = JSON.stringify(printableConfig(config));
    assert.ok(!printed.includes("s3cret-password") && !printed.includes("hunter2"), printed);
    assert.match(printed, /<secret>/);
    assert.equal(String(config.adminPassword), "<secret>");
  });

  it("never prints a password given as a query parameter of the database URL (the pg driver takes one)", () => {
    const config = loadConfig({
      FIREBREAK_DATABASE_URL:
        "postgres://firebreak:hunter2@127.0.0.1:5432/fb?sslmode=disable&password=PGSECRET2&sslpassword=keypass",
    });
    const printed = JSON.stringify(printableConfig(config));
    for (const secret of ["hunter2", "PGSECRET2", "keypass"]) assert.ok(!printed.includes(secret), printed);
    assert.ok(
      printed.includes(
        "postgres://firebreak:<secret>@127.0.0.1:5432/fb?sslmode=disable&password=<secret>&sslpassword=<secret>",
      ),
      printed,
    );
  });

  it("takes a JSON file of the same keys, with the environment winning", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "firebreak-config-"));
    const file = path.join(dir, "firebreak.json");
    writeFileSync(file, JSON.stringify({ FIREBREAK_PORT: 9090, FIREBREAK_LOG_LEVEL: "debug" }));
    const config = loadConfig({ FIREBREAK_CONFIG_FILE: file, FIREBREAK_LOG_LEVEL: "warn" });
    assert.equal(config.port, 9090);
    assert.equal(config.logLevel, "warn");
    writeFileSync(file, JSON.stringify({ FIREBREAK_PROT: 1 }));
    assert.ok(
      problemsOf({ FIREBREAK_CONFIG_FILE: file }).some((p) => p.includes("unknown key FIREBREAK_PROT")),
    );
  });
});
