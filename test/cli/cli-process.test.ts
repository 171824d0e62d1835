import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { CliRuntime } from "../../src/cli/run-cli.js";
import { createFreshDatabase, describeOnPostgres, type FreshDatabase } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";
import { firebreak, spawnFirebreak, type ProcessResult } from "./firebreak-process.js";

describe("the real firebreak process", () => {
  describe("apikey create on a data directory, then a server on the same directory", () => {
    let dataDir: string;
    let fb: TestFirebreak | undefined;
    let created: ProcessResult;

    let refused: ProcessResult;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
      const env = { FIREBREAK_DATA_DIR: dataDir, FIREBREAK_SQLITE_SYNCHRONOUS: "normal" };
      refused = await firebreak(["apikey", "create", "--role", "admin", "--name", "ci"], env);
      // Before the server's first start, on purpose: the README's automated install.
      created = await firebreak(
        ["apikey", "create", "--role", "admin", "--name", "ci", "--create-database", "--json"],
        env,
      );
    });
    after(async () => {
      await fb?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("refuses to make a new database without --create-database, naming the one it looked for", () => {
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.stdout, "", "no key printed");
      const file = path.join(dataDir, "firebreak.db");
      assert.equal(
        refused.stderr,
        `firebreak apikey: no Firebreak database at sqlite:${file}: run it where the server's database is ` +
          "(with the server's FIREBREAK_DATA_DIR or FIREBREAK_DATABASE_URL), or add --create-database " +
          "to make it there before the server's first start\n",
      );
    });

    it("prints the new key as JSON and exits 0, naming the database it made", () => {
      assert.equal(created.code, 0, created.stderr);
      const printed = JSON.parse(created.stdout) as {
        key: string;
        id: string;
        name: string;
        role: string;
        actsFor: string | null;
        database: string;
      };
      assert.match(printed.key, /^fbk_[A-Za-z0-9_-]{40,}$/);
      assert.equal(printed.name, "ci");
      assert.equal(printed.role, "admin");
      assert.equal(printed.actsFor, null);
      assert.equal(printed.database, `sqlite:${path.join(dataDir, "firebreak.db")}`);
    });

    it("makes a key that authenticates against a server started on the same data directory", async () => {
      const { key } = JSON.parse(created.stdout) as { key: string };
      fb = await startTestFirebreak({ env: { FIREBREAK_DATA_DIR: dataDir }, listen: true });

      const injected = await fb.http.inject({
        method: "GET",
        url: "/api/v1/auth/session",
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(injected.statusCode, 200, injected.body);
      assert.deepEqual(injected.json().actor, {
        kind: "api_key",
        id: JSON.parse(created.stdout).id,
        role: "admin",
        label: "API key ci",
      });

      // And over the network, through the CLI's own client.
      assert.ok(fb.baseUrl, "the server listens");
      const unused = (): never => {
        throw new Error("whoami must not use the local runtime");
      };
      const runtime: CliRuntime = {
        version: "test",
        serve: unused,
        migrate: unused,
        createApiKey: unused,
        listApiKeys: unused,
        revokeApiKey: unused,
      };
      const { code, stdout, stderr } = await runCliCaptured(
        ["whoami", "--url", fb.baseUrl, "--api-key", key, "--json"],
        {},
        runtime,
      );
      assert.equal(code, 0, stderr);
      assert.equal((JSON.parse(stdout) as { actor: { label: string } }).actor.label, "API key ci");

      const wrong = await fb.http.inject({
        method: "GET",
        url: "/api/v1/auth/session",
        headers: { authorization: `Bearer ${key}x` },
      });
      assert.equal(wrong.statusCode, 401, "a different key does not authenticate");
    });

    it("lists the key without its secret, and revokes it by name: the running server refuses it at once", async () => {
      const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
      const env = { FIREBREAK_DATA_DIR: dataDir, FIREBREAK_SQLITE_SYNCHRONOUS: "normal" };
      const listed = await firebreak(["apikey", "list", "--json"], env);
      assert.equal(listed.code, 0, listed.stderr);
      assert.doesNotMatch(listed.stdout, new RegExp(key.slice(12)));
      const [row] = JSON.parse(listed.stdout) as Array<{
        id: string;
        name: string;
        revokedAt: string | null;
      }>;
      assert.deepEqual([row?.id, row?.name, row?.revokedAt], [id, "ci", null]);

      const revoked = await firebreak(["apikey", "revoke", "ci", "--json"], env);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match((JSON.parse(revoked.stdout) as { revokedAt: string }).revokedAt, /^\d{4}-/);
      assert.ok(fb, "the server of the test before is running");
      const refused = await fb.http.inject({
        method: "GET",
        url: "/api/v1/auth/session",
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(refused.statusCode, 401);

      const again = await firebreak(["apikey", "revoke", "nosuch", "--json"], env);
      assert.equal(again.code, 1);
      assert.equal((JSON.parse(again.stderr) as { error: { code: string } }).error.code, "NOT_FOUND");

      // Without --json, each says which database it used.
      const database = `sqlite:${path.join(dataDir, "firebreak.db")}`;
      const text = await firebreak(["apikey", "list"], env);
      assert.equal(text.code, 0, text.stderr);
      assert.equal(text.stdout.split("\n")[0], `API keys in ${database}:`);
      const made = await firebreak(["apikey", "create", "--role", "viewer", "--name", "wall"], env);
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /^fbk_\S+\n$/);
      assert.ok(
        made.stderr.startsWith(`API key "wall" (viewer) created in ${database}; it acts for no person`),
      );
      const gone = await firebreak(["apikey", "revoke", "wall"], env);
      assert.match(
        gone.stdout,
        new RegExp(`\\) in ${database.replace(/[./\\]/g, "\\$&")}: it no longer works`),
      );
    });

    it("--user makes a key that acts for that person: incident work takes it, not a key of nobody's", async () => {
      assert.ok(fb, "the server of the tests before is running");
      const env = { FIREBREAK_DATA_DIR: dataDir, FIREBREAK_SQLITE_SYNCHRONOUS: "normal" };
      const ada = await fb.user("admin", "ada@example.com");
      const made = await firebreak(
        ["apikey", "create", "--role", "admin", "--name", "laptop", "--user", "Ada@Example.com"],
        env,
      );
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stderr, /; it acts for ada@example\.com\. It is shown only this once\./);
      const asAda = await fb.http.inject({
        method: "GET",
        url: "/api/v1/me/tasks",
        headers: { authorization: `Bearer ${made.stdout.trim()}` },
      });
      assert.equal(asAda.statusCode, 200, asAda.body);
      const keys = (await fb.running.deps.uow.read((tx) => tx.apiKeys.list())).filter(
        (k) => k.name === "laptop",
      );
      assert.deepEqual(
        keys.map((k) => k.createdBy),
        [ada.id],
      );

      const nobodys = await fb.apiKey("admin");
      const refused = await fb.http.inject({
        method: "GET",
        url: "/api/v1/me/tasks",
        headers: { authorization: `Bearer ${nobodys}` },
      });
      assert.equal(refused.statusCode, 403);

      // A person the database does not hold, and more power than the person has, are refused.
      const unknown = await firebreak(
        ["apikey", "create", "--role", "admin", "--name", "x", "--user", "nobody@example.com"],
        env,
      );
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, "firebreak apikey: 404 nobody with the email nobody@example.com\n");
      const bob = await fb.user("responder", "bob@example.com");
      const stronger = await firebreak(
        ["apikey", "create", "--role", "admin", "--name", "x", "--user", bob.email, "--json"],
        env,
      );
      assert.equal(stronger.code, 1);
      assert.deepEqual(JSON.parse(stronger.stderr), {
        error: {
          code: "VALIDATION",
          detail: "role can be at most responder: bob@example.com is a responder",
          errors: [{ path: "/role", message: "can be at most responder: bob@example.com is a responder" }],
        },
      });
    });
  });

  describe("local commands where there is no database", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("apikey list, revoke and create --user refuse, exit 1, and make nothing", async () => {
      const env = { FIREBREAK_DATA_DIR: path.join(dir, "data") };
      const file = path.join(dir, "data", "firebreak.db");
      for (const argv of [
        ["apikey", "list"],
        ["apikey", "revoke", "ci"],
        [
          "apikey",
          "create",
          "--role",
          "admin",
          "--name",
          "x",
          "--user",
          "ada@example.com",
          "--create-database",
        ],
      ]) {
        const out = await firebreak(argv, env);
        assert.equal(out.code, 1, `${argv.join(" ")}: ${out.stderr}`);
        assert.equal(out.stdout, "");
        assert.ok(
          out.stderr.startsWith(`firebreak apikey: no Firebreak database at sqlite:${file}: run it where`),
          out.stderr,
        );
        assert.equal(out.stderr.split("\n").length, 2, "one line");
      }
      assert.equal(existsSync(path.join(dir, "data")), false, "no folder or file was made");
      const json = await firebreak(["apikey", "list", "--json"], env);
      assert.equal(json.code, 1);
      assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, "NOT_FOUND");
      assert.deepEqual(readdirSync(dir), []);
    });
  });

  describeOnPostgres("apikey on a PostgreSQL database", () => {
    let fresh: FreshDatabase;
    let url: string;
    before(async () => {
      fresh = await createFreshDatabase("postgres", { migrate: false });
      await fresh.handle.close();
      assert.equal(fresh.location.kind, "postgres");
      // Trust authentication takes any password: one to check that it is never printed.
      const withPassword = new URL(fresh.location.kind === "postgres" ? fresh.location.url : "");
      withPassword.password = "s3cret-pw";
      url = withPassword.toString();
    });
    after(() => fresh.drop());

    it("refuses a database without Firebreak's tables, makes them with --create-database, never prints the password", async () => {
      const env = { FIREBREAK_DATABASE_URL: url };
      const shown = url.replace(":s3cret-pw@", ":<secret>@");
      const refused = await firebreak(["apikey", "create", "--role", "admin", "--name", "ci"], env);
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.stdout, "");
      assert.ok(
        refused.stderr.startsWith(`firebreak apikey: no Firebreak database at ${shown}: run it where`),
        refused.stderr,
      );
      assert.match(refused.stderr, /or add --create-database/);

      const created = await firebreak(
        ["apikey", "create", "--role", "admin", "--name", "ci", "--create-database"],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stderr, new RegExp(`created in ${shown.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")};`));
      const listed = await firebreak(["apikey", "list"], env);
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(listed.stdout.split("\n")[0], `API keys in ${shown}:`);
      assert.match(listed.stdout, /\bci\s+admin\b/);
      for (const out of [refused, created, listed]) assert.doesNotMatch(out.stdout + out.stderr, /s3cret-pw/);
    });
  });

  it("serve --role engine on the embedded store runs until SIGTERM, then exits 0, saying it stopped", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
    try {
      const child = spawnFirebreak(["serve", "--role", "engine"], {
        FIREBREAK_DATA_DIR: dataDir,
        // Info: the last line of a stop says it finished.
        FIREBREAK_LOG_LEVEL: "info",
        // Its probes and metrics listen: on any free port, not 8081.
        FIREBREAK_ENGINE_PORT: "0",
      });
      let logs = "";
      child.stdout.on("data", (chunk: Buffer) => (logs += chunk.toString("utf8")));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal })),
      );
      let stderr = "";
      await new Promise<void>((resolve, reject) => {
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString("utf8");
          if (stderr.includes("is running")) resolve();
        });
        void exited.then(() => reject(new Error(`exited before it ran: ${stderr}`)));
      });
      assert.match(
        stderr,
        /\(engine\) is running \(jobs; only \/healthz, \/readyz and \/metrics at http:\/\/127\.0\.0\.1:\d+\)/,
      );
      // Before the fix it exited with 13 the moment its start-up finished; give it that moment.
      const early = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(resolve, 500, "running")),
      ]);
      assert.equal(early, "running", `it exited by itself: ${JSON.stringify(early)} ${stderr}`);
      child.kill("SIGTERM");
      assert.deepEqual(await exited, { code: 0, signal: null });
      // A stop used to end without a word after "shutting down"; now its last line says it finished.
      const messages = logs
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      assert.ok(messages.includes("shutting down"), logs);
      assert.match(messages.at(-1) ?? "", /^stopped: \d+ jobs? finished while stopping, store closed$/, logs);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("serve warns that links point at localhost until FIREBREAK_PUBLIC_URL is set", async () => {
    /** Starts serve, reads stderr until the first-start link (the end of the banner), stops it. */
    const banner = async (extra: Record<string, string>): Promise<string> => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
      try {
        const child = spawnFirebreak(["serve"], {
          FIREBREAK_DATA_DIR: dataDir,
          FIREBREAK_LOG_LEVEL: "warn",
          FIREBREAK_PORT: "0",
          ...extra,
        });
        child.stdout.resume();
        const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
        let stderr = "";
        await new Promise<void>((resolve, reject) => {
          child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString("utf8");
            if (stderr.includes("/welcome#token=")) resolve();
          });
          void exited.then(() => reject(new Error(`exited before it ran: ${stderr}`)));
        });
        child.kill("SIGTERM");
        await exited;
        return stderr;
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    };
    assert.match(
      await banner({}),
      /Links in messages \(acknowledge, resolve\) and the integration snippets use http:\/\/localhost:0,\n {2}which only this machine reaches: set FIREBREAK_PUBLIC_URL/,
    );
    assert.doesNotMatch(
      await banner({ FIREBREAK_PUBLIC_URL: "https://firebreak.example.com" }),
      /FIREBREAK_PUBLIC_URL/,
    );
  });

  describe("configuration", () => {
    it("prints the configuration without the database password for serve --print-config", async () => {
      const result = await firebreak(["serve", "--print-config"], {
        FIREBREAK_DATABASE_URL: "postgres://u:hunter2@127.0.0.1/db",
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!result.stdout.includes("hunter2"), result.stdout);
      assert.ok(!result.stderr.includes("hunter2"), result.stderr);
      const printed = JSON.parse(result.stdout) as {
        databaseUrl: string;
        store: { kind: string; url: string };
      };
      assert.equal(printed.databaseUrl, "<secret>");
      assert.equal(printed.store.kind, "postgres");
      assert.equal(new URL(printed.store.url).hostname, "127.0.0.1");
    });

    it("fails with a message naming FIREBREAK_PORT when it is not a number", async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
      try {
        const result = await firebreak(["serve"], { FIREBREAK_PORT: "abc", FIREBREAK_DATA_DIR: dataDir });
        assert.equal(result.signal, null, "the process exited by itself");
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /FIREBREAK_PORT/);
        assert.match(result.stderr, /"abc"/);
        assert.equal(result.stdout, "");
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("exits 2 for serve --port abc, naming the option and the value", async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-cli-"));
      try {
        const result = await firebreak(["serve", "--port", "abc"], { FIREBREAK_DATA_DIR: dataDir });
        assert.equal(result.signal, null, "the process exited by itself");
        assert.equal(result.code, 2, result.stderr);
        assert.match(
          result.stderr,
          /^firebreak serve: --port must be a whole number from 1 to 65535, got "abc"\n/,
        );
        assert.equal(result.stdout, "");
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("migrate against a database that cannot be reached says so in one line, without the password", async () => {
      const result = await firebreak(["migrate", "--create-database"], {
        FIREBREAK_DATABASE_URL: "postgres://firebreak:s3cret-pw@127.0.0.1:9/firebreak",
      });
      assert.equal(result.signal, null, "the process exited by itself");
      assert.notEqual(result.code, 0);
      assert.match(
        result.stderr,
        /^firebreak migrate: could not migrate the database: connect ECONNREFUSED 127\.0\.0\.1:9\n$/,
      );
      assert.doesNotMatch(result.stderr, /s3cret-pw/);
    });

    it("exits 2 for an unknown command", async () => {
      const result = await firebreak(["frobnicate"], {});
      assert.equal(result.code, 2);
      assert.match(result.stderr, /unknown command "frobnicate"/);
    });

    it("exits 2 with no command at all, the usage on stderr", async () => {
      const result = await firebreak([], {});
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /^Usage: firebreak <command>/m);
    });

    it("says in one line, exit 1 and no stack trace that no server answers, in JSON with --json", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const result = await firebreak(["ack", "INC-1", "--json"], {
        FIREBREAK_URL: dead,
        FIREBREAK_API_KEY: "fbk_not_printed",
      });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, "");
      assert.deepEqual(JSON.parse(result.stderr), {
        error: {
          code: "UNREACHABLE",
          title: "Cannot reach the server",
          detail: `cannot reach Firebreak at ${dead} (ECONNREFUSED)`,
        },
      });
      assert.equal(result.stderr.split("\n").length, 2, "one line");
      const text = await firebreak(["ack", "INC-1"], {
        FIREBREAK_URL: dead,
        FIREBREAK_API_KEY: "fbk_not_printed",
      });
      assert.equal(text.stderr, `firebreak ack: cannot reach Firebreak at ${dead} (ECONNREFUSED)\n`);
    });
  });
});
