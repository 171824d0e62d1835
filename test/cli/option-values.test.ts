import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { EXIT, type CliRuntime } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";
import { firebreak } from "./firebreak-process.js";

/**
 * Option values the CLI can judge alone: a negative number, a fix number past the API's bound, an
 * option given twice. Port 9 answers nothing, so a request made by mistake shows as exit 1.
 */
describe("CLI: option values", () => {
  const env = { FIREBREAK_URL: "http://127.0.0.1:9", FIREBREAK_API_KEY: "fbk_unused" };
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const refused = async (argv: string[], message: string) => {
    const out = await cli(...argv);
    assert.equal(out.code, EXIT.usage, `${argv.join(" ")}: ${out.stderr}`);
    assert.equal(out.stdout, "");
    assert.equal(
      out.stderr,
      `firebreak ${argv[0]}: ${message}\nRun "firebreak ${argv[0]} --help" for usage.\n`,
    );
  };

  it("takes a negative number after an option as its value, and refuses it by the option's range", async () => {
    await refused(["incidents", "--limit", "-1"], '--limit must be a whole number from 1 to 500, got "-1"');
    await refused(
      ["incidents", "--limit", "-0.5"],
      '--limit must be a whole number from 1 to 500, got "-0.5"',
    );
    await refused(
      ["incidents", "--before", "-3"],
      '--before must be an incident number such as 753 or INC-753 (the last one a page listed), got "-3"',
    );
    // A word that is no number is still an option left without its value.
    await refused(
      ["incidents", "--limit", "--service", "db"],
      "--limit needs a value, as in --limit VALUE (or --limit=-VALUE)",
    );
    // After --, a negative number stays an argument.
    const summary = await cli("page", "--service", "db", "--", "-1");
    assert.equal(summary.code, EXIT.failure, "asked the server (port 9) with -1 as the summary");
  });

  it("refuses a fix number past the API's bound in its own words, before asking the server", async () => {
    await refused(
      ["fix", "deploy", "60", "99999999999999999999"],
      'NUMBER must be a fix\'s number from 1 to 100000, such as 1 (Fix #1), got "99999999999999999999"',
    );
    await refused(
      ["fix", "verify", "60", "0"],
      'NUMBER must be a fix\'s number from 1 to 100000, such as 1 (Fix #1), got "0"',
    );
    await refused(
      ["fix", "fail", "60", "100001"],
      'NUMBER must be a fix\'s number from 1 to 100000, such as 1 (Fix #1), got "100001"',
    );
    const highest = await cli("fix", "deploy", "60", "100000");
    assert.equal(highest.code, EXIT.failure, `100000 is asked of the server (port 9): ${highest.stderr}`);
  });

  it("refuses an option given twice, unless it may be repeated", async () => {
    await refused(["incidents", "--limit", "10", "--limit", "20"], "--limit given twice: give it once");
    await refused(
      ["incidents", "--service", "a", "--service=b", "--service", "c"],
      "--service given 3 times: give it once",
    );
    await refused(
      ["oncall", "--at", "2027-01-01T00:00Z", "--at", "2027-01-02T00:00Z"],
      "--at given twice: give it once",
    );
    // Moved behind the command (kubectl's order), a second --url is seen; the key is never echoed.
    const urls = await cli("--url", "http://127.0.0.1:9", "incidents", "--url", "http://127.0.0.1:10");
    assert.equal(urls.code, EXIT.usage);
    assert.match(urls.stderr, /^firebreak incidents: --url given twice: give it once\n/);
    const keys = await cli("whoami", "--api-key", "fbk_one", "--api-key", "fbk_two");
    assert.equal(keys.code, EXIT.usage);
    assert.match(keys.stderr, /--api-key given twice/);
    assert.doesNotMatch(keys.stderr, /fbk_/);
    // --state is documented as repeatable, and a boolean repeated changes nothing: both are asked (port 9).
    for (const argv of [
      ["incidents", "--state", "triggered", "--state", "resolved"],
      ["incidents", "--json", "--json"],
    ]) {
      const out = await cli(...argv);
      assert.equal(out.code, EXIT.failure, `${argv.join(" ")}: ${out.stderr}`);
      assert.match(out.stderr, /UNREACHABLE|cannot reach/);
    }
  });

  it("says --help even when an option is repeated", async () => {
    const out = await cli("incidents", "--limit", "1", "--limit", "2", "--help");
    assert.equal(out.code, EXIT.ok);
    assert.match(out.stdout, /^firebreak incidents/);
  });
});

describe("CLI: migrate makes no new database unless --create-database, as apikey create", () => {
  function recordingRuntime() {
    const asked: unknown[] = [];
    const runtime = {
      async migrate(input: unknown) {
        asked.push(input);
        return { applied: [], database: "sqlite:/srv/firebreak/data/firebreak.db" };
      },
    } as unknown as CliRuntime;
    return { runtime, asked };
  }

  it("asks the runtime not to create one by default, and to with --create-database", async () => {
    const plain = recordingRuntime();
    const out = await runCliCaptured(["migrate"], {}, plain.runtime);
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.equal(out.stdout, "sqlite:/srv/firebreak/data/firebreak.db: up to date\n");
    assert.deepEqual(plain.asked, [{ createDatabase: false }]);
    const creating = recordingRuntime();
    const created = await runCliCaptured(["migrate", "--create-database", "--json"], {}, creating.runtime);
    assert.equal(created.code, EXIT.ok, created.stderr);
    assert.deepEqual(creating.asked, [{ createDatabase: true }]);
  });

  it("says so in --help, with the flag apikey create has", async () => {
    const help = await runCliCaptured(["migrate", "--help"], {});
    assert.match(help.stdout, /^firebreak migrate \[--create-database\] \[--json\]/);
    assert.match(help.stdout, /refuses to start a new database where none exists/);
    const apikey = await runCliCaptured(["apikey", "--help"], {});
    assert.match(apikey.stdout, /--create-database {2}make the database if there is none yet/);
    assert.match(help.stdout, /--create-database {2}make the database if there is none yet/);
  });

  // The refusal is the runtime's (src/server/main.ts).
  it("the real firebreak migrate refuses a folder without a database, and makes one with --create-database", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-migrate-"));
    try {
      const env = { FIREBREAK_DATA_DIR: dataDir, FIREBREAK_LOG_LEVEL: "warn" };
      const refused = await firebreak(["migrate"], env);
      assert.equal(refused.code, EXIT.failure, refused.stderr);
      assert.match(
        refused.stderr,
        /^firebreak migrate: no Firebreak database at sqlite:\S+: run it where the server's database is .*, or add --create-database to make it there before the server's first start\n$/,
      );
      assert.deepEqual(readdirSync(dataDir), [], "no database was made");
      const created = await firebreak(["migrate", "--create-database"], env);
      assert.equal(created.code, EXIT.ok, created.stderr);
      assert.match(created.stdout, /^sqlite:\S+firebreak\.db: applied /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
