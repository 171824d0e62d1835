import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { inCliNames } from "../../src/cli/api-client.js";
import { EXIT, type CliRuntime } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";

const FAKE_KEY = {
  id: "key-1",
  name: "deploy bot",
  role: "responder",
  prefix: "fbk_fake_key",
  createdAt: "2026-12-01T09:00:00.000Z",
  lastUsedAt: null,
  revokedAt: null,
};

/** A runtime that records what the CLI asked of it and never touches a database. */
function fakeRuntime(overrides: Partial<CliRuntime> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const runtime: CliRuntime = {
    version: "9.8.7-test",
    async serve(options) {
      calls.push({ method: "serve", input: options });
      return 0;
    },
    async migrate() {
      calls.push({ method: "migrate", input: undefined });
      return { applied: ["0001-foundation"], database: "sqlite:/tmp/test.db" };
    },
    async createApiKey(input) {
      calls.push({ method: "createApiKey", input });
      return {
        key: "fbk_fake_key_for_tests",
        apiKey: { id: "key-1", name: input.name, role: input.role, prefix: "fbk_fake_key" },
        database: "sqlite:/srv/firebreak/data/firebreak.db",
        actsFor: input.user ?? null,
      };
    },
    async listApiKeys() {
      calls.push({ method: "listApiKeys", input: undefined });
      return { database: "sqlite:/srv/firebreak/data/firebreak.db", keys: [FAKE_KEY] };
    },
    async revokeApiKey(ref) {
      calls.push({ method: "revokeApiKey", input: ref });
      return {
        database: "sqlite:/srv/firebreak/data/firebreak.db",
        apiKey: { ...FAKE_KEY, revokedAt: "2026-12-06T21:00:00.000Z" },
      };
    },
    ...overrides,
  };
  return { runtime, calls };
}

/** Most tests here give a runtime and no environment: the runtime comes first. */
const run = (argv: string[], runtime: CliRuntime, env: Record<string, string | undefined> = {}) =>
  runCliCaptured(argv, env, runtime);

describe("the firebreak command line", () => {
  describe("help and usage errors", () => {
    it("prints the command list for --help and exits 0", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["--help"], runtime);
      assert.equal(out.code, EXIT.ok);
      assert.equal(out.code, 0);
      for (const command of ["serve", "migrate", "apikey", "whoami", "version"])
        assert.match(out.stdout, new RegExp(`\\b${command}\\b`));
      assert.match(out.stdout, /Exit codes/);
      assert.equal(out.stderr, "");
      assert.deepEqual(calls, []);
    });

    it("prints the command list on stderr with no arguments and exits 2, as for a usage error", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run([], runtime);
      assert.equal(out.code, EXIT.usage);
      assert.equal(out.stdout, "");
      assert.match(out.stderr, /Usage: firebreak <command>/);
      assert.deepEqual(calls, []);
    });

    it("prints the command list on stdout for `help` and exits 0", async () => {
      const out = await run(["help"], fakeRuntime().runtime);
      assert.equal(out.code, EXIT.ok);
      assert.match(out.stdout, /Usage: firebreak <command>/);
      assert.equal(out.stderr, "");
    });

    it("prints one command's usage for `help apikey` and for `apikey --help`", async () => {
      const { runtime, calls } = fakeRuntime();
      const viaHelp = await run(["help", "apikey"], runtime);
      const viaFlag = await run(["apikey", "--help"], runtime);
      assert.equal(viaHelp.code, 0);
      assert.equal(viaFlag.code, 0);
      assert.match(viaHelp.stdout, /firebreak apikey create --role/);
      assert.equal(viaFlag.stdout, viaHelp.stdout);
      assert.deepEqual(calls, [], "--help runs nothing");
    });

    it("exits 2 for `help` about an unknown command", async () => {
      const out = await run(["help", "frobnicate"], fakeRuntime().runtime);
      assert.equal(out.code, EXIT.usage);
    });

    it("exits 2 for an unknown command and names it on stderr", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["frobnicate", "--now"], runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /unknown command "frobnicate"/);
      assert.match(out.stderr, /--help/);
      assert.equal(out.stdout, "");
      assert.deepEqual(calls, []);
    });

    it("exits 2 for an unknown option and names it", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["migrate", "--dry-run"], runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--dry-run/);
      assert.match(out.stderr, /firebreak migrate --help/);
      assert.deepEqual(calls, [], "nothing ran");
    });

    it("exits 2 for an unexpected positional argument", async () => {
      const out = await run(["version", "extra"], fakeRuntime().runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /unexpected argument "extra"/);
    });

    it("exits 2 when a string option lacks its value", async () => {
      const out = await run(["apikey", "create", "--name", "ci", "--role"], fakeRuntime().runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--role/);
    });
  });

  describe("apikey create", () => {
    it("exits 2 without --role, names --role, and creates nothing", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["apikey", "create", "--name", "ci"], runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--role/);
      assert.deepEqual(calls, []);
    });

    it("exits 2 for a role that does not exist, quoting it", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["apikey", "create", "--role", "root", "--name", "ci"], runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /"root"/);
      assert.deepEqual(calls, []);
    });

    it("takes --role in any case", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["apikey", "create", "--role", "Responder", "--name", "ci"], runtime);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(calls, [
        { method: "createApiKey", input: { name: "ci", role: "responder", createDatabase: false } },
      ]);
      const wrong = await run(["apikey", "create", "--role", "admn", "--name", "ci"], fakeRuntime().runtime);
      assert.match(
        wrong.stderr,
        /--role must be one of admin, responder, viewer, got "admn" \(did you mean admin\?\)/,
      );
    });

    it("exits 2 without --name", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["apikey", "create", "--role", "viewer"], runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--name/);
      assert.deepEqual(calls, []);
    });

    it("exits 2 for an apikey subcommand other than create, list and revoke, naming them", async () => {
      const out = await run(["apikey", "delete", "--role", "viewer", "--name", "ci"], fakeRuntime().runtime);
      assert.equal(out.code, 2);
      assert.match(out.stderr, /"apikey create", "apikey list" or "apikey revoke", got "apikey delete"/);
      const bare = await run(["apikey"], fakeRuntime().runtime);
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /got "apikey"$/m);
    });

    it("lists keys as a table, never the key itself, and as JSON with --json", async () => {
      const { runtime, calls } = fakeRuntime();
      const text = await run(["apikey", "list"], runtime);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^API keys in sqlite:\/srv\/firebreak\/data\/firebreak\.db:$/m);
      assert.match(text.stdout, /^ID +NAME +ROLE +KEY +CREATED +LAST USED +STATE$/m);
      assert.match(
        text.stdout,
        /key-1 +deploy bot +responder +fbk_fake_key… +2026-12-01T09:00:00.000Z +never +active/,
      );
      const json = await run(["apikey", "list", "--json"], runtime);
      assert.deepEqual(JSON.parse(json.stdout), [FAKE_KEY]);
      assert.deepEqual(
        calls.map((c) => c.method),
        ["listApiKeys", "listApiKeys"],
      );
    });

    it("revokes one key by id or name; exits 2 without exactly one", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(["apikey", "revoke", "deploy bot"], runtime);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(calls, [{ method: "revokeApiKey", input: "deploy bot" }]);
      assert.match(
        out.stdout,
        /Revoked API key "deploy bot" \(key-1\) in sqlite:\/srv\/firebreak\/data\/firebreak\.db: it no longer works/,
      );
      const none = await run(["apikey", "revoke"], runtime);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /apikey revoke ID\|NAME/);
      assert.equal(calls.length, 1);
    });

    it("creates the key through the runtime and prints it as JSON with --json", async () => {
      const { runtime, calls } = fakeRuntime();
      const out = await run(
        ["apikey", "create", "--role", "responder", "--name", "deploy bot", "--json"],
        runtime,
      );
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(calls, [
        { method: "createApiKey", input: { name: "deploy bot", role: "responder", createDatabase: false } },
      ]);
      assert.deepEqual(JSON.parse(out.stdout), {
        key: "fbk_fake_key_for_tests",
        id: "key-1",
        name: "deploy bot",
        role: "responder",
        actsFor: null,
        database: "sqlite:/srv/firebreak/data/firebreak.db",
      });
      assert.equal(out.stderr, "");
    });

    it("prints only the key on stdout without --json, and the notice on stderr", async () => {
      const out = await run(["apikey", "create", "--role", "viewer", "--name", "ci"], fakeRuntime().runtime);
      assert.equal(out.code, 0);
      assert.equal(out.stdout, "fbk_fake_key_for_tests\n");
      assert.match(out.stderr, /shown only this once/);
      // Which database it went to, and that it acts for nobody (and what to do about that).
      assert.match(
        out.stderr,
        /created in sqlite:\/srv\/firebreak\/data\/firebreak\.db; it acts for no person/,
      );
      assert.match(out.stderr, /--user EMAIL/);
    });

    it("passes --user and --create-database on, and says whom the key acts for", async () => {
      const { runtime, calls } = fakeRuntime();
      const argv = ["apikey", "create", "--role", "admin", "--name", "laptop"];
      const out = await run([...argv, "--user", " ada@example.com ", "--create-database"], runtime);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(calls, [
        {
          method: "createApiKey",
          input: { name: "laptop", role: "admin", user: "ada@example.com", createDatabase: true },
        },
      ]);
      assert.match(out.stderr, /; it acts for ada@example\.com\. It is shown only this once\./);
      const json = await run([...argv, "--user", "ada@example.com", "--json"], runtime);
      assert.equal(JSON.parse(json.stdout).actsFor, "ada@example.com");

      const notEmail = await run([...argv, "--user", "ada"], runtime);
      assert.equal(notEmail.code, EXIT.usage);
      assert.match(notEmail.stderr, /--user must be a user's email, such as ada@example\.com, got "ada"/);
      const wrongSub = await run(["apikey", "list", "--user", "ada@example.com"], runtime);
      assert.equal(wrongSub.code, EXIT.usage);
      assert.match(wrongSub.stderr, /--user is only for "apikey create"/);
      assert.equal(calls.length, 2, "nothing ran for the usage errors");
    });

    it("exits 1 with the message when the runtime fails", async () => {
      const { runtime } = fakeRuntime({
        createApiKey: async () => {
          throw new Error("database is locked");
        },
      });
      const out = await run(["apikey", "create", "--role", "viewer", "--name", "ci"], runtime);
      assert.equal(out.code, EXIT.failure);
      assert.match(out.stderr, /firebreak apikey: database is locked/);
    });
  });

  describe("version, serve and migrate", () => {
    it("prints the version as JSON with --json", async () => {
      const out = await run(["version", "--json"], fakeRuntime().runtime);
      assert.equal(out.code, 0);
      assert.deepEqual(JSON.parse(out.stdout), { name: "firebreak", version: "9.8.7-test" });
    });

    it("prints the bare version without --json and for --version", async () => {
      const { runtime } = fakeRuntime();
      assert.equal((await run(["version"], runtime)).stdout, "9.8.7-test\n");
      assert.equal((await run(["--version"], runtime)).stdout, "9.8.7-test\n");
    });

    it("passes serve's options to the runtime and returns its exit code", async () => {
      const { runtime, calls } = fakeRuntime({
        serve: async (options) => {
          calls.push({ method: "serve", input: options });
          return 3;
        },
      });
      const out = await run(["serve", "--role", "api", "--port", "9090", "--print-config"], runtime);
      assert.equal(out.code, 3);
      assert.deepEqual(calls, [{ method: "serve", input: { role: "api", port: "9090", printConfig: true } }]);
    });

    it("says an option needs a value in one line, not Node's three about '-XYZ'", async () => {
      for (const args of [["--port"], ["--port", "--print-config"]]) {
        const { runtime, calls } = fakeRuntime();
        const out = await run(["serve", ...args], runtime);
        assert.equal(out.code, EXIT.usage, out.stderr);
        assert.ok(
          out.stderr.startsWith(
            "firebreak serve: --port needs a value, as in --port VALUE (or --port=-VALUE)\n",
          ),
          out.stderr,
        );
        assert.doesNotMatch(out.stderr, /XYZ|ambiguous/);
        assert.deepEqual(calls, []);
      }
    });

    it("exits 2 for a bad --port or --role, naming the option and the value, and starts nothing", async () => {
      const bad: Array<[args: string[], option: string, value: string]> = [
        [["--port", "abc"], "--port", "abc"],
        [["--port", "0"], "--port", "0"],
        [["--port", "70000"], "--port", "70000"],
        [["--port=-1"], "--port", "-1"],
        [["--port", "80.5"], "--port", "80.5"],
        [["--port", "0x50"], "--port", "0x50"],
        [["--port", ""], "--port", ""],
        [["--role", "web"], "--role", "web"],
      ];
      for (const [args, option, value] of bad) {
        const { runtime, calls } = fakeRuntime();
        const out = await run(["serve", ...args], runtime);
        assert.equal(out.code, EXIT.usage, `${args.join(" ")}: ${out.stderr}`);
        assert.ok(out.stderr.startsWith(`firebreak serve: ${option} must be `), out.stderr);
        assert.ok(out.stderr.includes(`got "${value}"`), out.stderr);
        assert.match(out.stderr, /firebreak serve --help/);
        assert.deepEqual(calls, [], `${args.join(" ")} started nothing`);
      }
      // A dash-led value is refused by the parser itself, still as a usage error naming the option.
      const dashed = await run(["serve", "--port", "-1"], fakeRuntime().runtime);
      assert.equal(dashed.code, EXIT.usage);
      assert.match(dashed.stderr, /--port/);
    });

    it("takes serve's --role in any case", async () => {
      const { runtime, calls } = fakeRuntime();
      assert.equal((await run(["serve", "--role", "API"], runtime)).code, 0);
      assert.deepEqual(calls, [
        { method: "serve", input: { role: "api", port: undefined, printConfig: false } },
      ]);
    });

    it("passes the lowest and highest ports on", async () => {
      for (const port of ["1", "65535"]) {
        const { runtime, calls } = fakeRuntime();
        assert.equal((await run(["serve", "--port", port], runtime)).code, 0);
        assert.deepEqual(calls, [{ method: "serve", input: { role: undefined, port, printConfig: false } }]);
      }
    });

    it("reports applied migrations", async () => {
      const out = await run(["migrate", "--json"], fakeRuntime().runtime);
      assert.equal(out.code, 0);
      assert.deepEqual(JSON.parse(out.stdout), {
        applied: ["0001-foundation"],
        database: "sqlite:/tmp/test.db",
      });
    });
  });

  describe("whoami", () => {
    let server: Server;
    let url: string;
    const seen: { authorization: string | undefined; path: string | undefined }[] = [];

    before(async () => {
      server = createServer((req, res) => {
        seen.push({ authorization: req.headers.authorization, path: req.url });
        if (req.headers.authorization === "Bearer fbk_good") {
          res.writeHead(200, { "content-type": "application/json", "x-firebreak-api": "1" });
          res.end(
            JSON.stringify({ actor: { kind: "api_key", id: "k1", role: "admin", label: "API key ci" } }),
          );
        } else {
          res.writeHead(401, { "content-type": "application/problem+json" });
          res.end(JSON.stringify({ status: 401, code: "UNAUTHENTICATED", detail: "API key is not valid" }));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("exits 2 without an API key", async () => {
      const out = await run(["whoami", "--url", url], fakeRuntime().runtime, {});
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--api-key|FIREBREAK_API_KEY/);
    });

    it("exits 2 for a key no header can carry, without echoing it", async () => {
      const mangled = "fbk_secret-part one\nfirebreak apikey: output pasted by mistake";
      const out = await run(["whoami", "--url", url], fakeRuntime().runtime, { FIREBREAK_API_KEY: mangled });
      assert.equal(out.code, 2);
      assert.match(out.stderr, /line breaks or non-ASCII/);
      assert.ok(!out.stderr.includes("fbk_secret"), "the key is not echoed");
    });

    it("drops the line break a key read from a file ends with", async () => {
      const out = await run(["whoami"], fakeRuntime().runtime, {
        FIREBREAK_URL: url,
        FIREBREAK_API_KEY: "fbk_good\n",
      });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(seen.at(-1)?.authorization, "Bearer fbk_good");
    });

    it("exits 2 for a URL that is not http(s)", async () => {
      const out = await run(
        ["whoami", "--url", "ftp://example.com", "--api-key", "fbk_good"],
        fakeRuntime().runtime,
      );
      assert.equal(out.code, 2);
      assert.match(out.stderr, /--url/);
    });

    it("asks the server who the key is, taking the key and URL from the environment", async () => {
      const out = await run(["whoami"], fakeRuntime().runtime, {
        FIREBREAK_URL: `${url}/`,
        FIREBREAK_API_KEY: "fbk_good",
      });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, "API key ci (api_key, role admin)\n");
      assert.deepEqual(seen.at(-1), { authorization: "Bearer fbk_good", path: "/api/v1/auth/session" });
    });

    it("exits 1 with the problem's detail when the server refuses the key", async () => {
      const out = await run(["whoami", "--url", url, "--api-key", "fbk_bad"], fakeRuntime().runtime);
      assert.equal(out.code, 1);
      assert.match(out.stderr, /401 API key is not valid/);
      assert.ok(!out.stderr.includes("fbk_bad"), "the key is not echoed");
    });

    it("exits 1 and names the server when it cannot be reached", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const out = await run(["whoami", "--url", deadUrl, "--api-key", "fbk_good"], fakeRuntime().runtime);
      assert.equal(out.code, 1);
      assert.match(out.stderr, /cannot reach Firebreak/);
      assert.ok(out.stderr.includes(deadUrl));
    });
  });

  describe("server field errors in the CLI's words", () => {
    const names = { "/heartbeatIntervalSeconds": "--interval", "/override": "--override" };
    it("names the option where the server's sentence names the field, and leaves the rest alone", () => {
      assert.equal(
        inCliNames(
          "heartbeatIntervalSeconds: a heartbeat needs an interval from 10 seconds to 7 days; name is required",
          [{ path: "/heartbeatIntervalSeconds" }, { path: "/name" }],
          names,
        ),
        "--interval: a heartbeat needs an interval from 10 seconds to 7 days; name is required",
      );
      assert.equal(
        inCliNames("override.reason can't be empty", [{ path: "/override/reason" }], names),
        "--override can't be empty",
      );
      // A field named inside a message, not at the start of its clause, is the server's own word.
      assert.equal(
        inCliNames("grace must be less than heartbeatIntervalSeconds", [{ path: "/grace" }], names),
        "grace must be less than heartbeatIntervalSeconds",
      );
      assert.equal(inCliNames("conflict", undefined, names), "conflict");
    });
  });
});
