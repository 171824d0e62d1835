import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * Every command's --help, and command lines that are wrong in a way the CLI can tell alone: each is
 * exit 2 with a message naming what is wrong. Port 9 answers nothing, so a request made by mistake
 * would show as exit 1 (UNREACHABLE) instead.
 */
describe("CLI usage: --help and wrong command lines", () => {
  const env = { FIREBREAK_URL: "http://127.0.0.1:9", FIREBREAK_API_KEY: "fbk_unused" };
  const cli = (...argv: string[]) => runCliCaptured(argv, env);

  it("prints each command's usage on stdout with --help and -h, exit 0", async () => {
    const overview = await cli("--help");
    assert.equal(overview.code, EXIT.ok);
    const names = [...overview.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    assert.ok(names.length >= 19, names.join(" "));
    for (const name of names) {
      for (const flag of ["--help", "-h"]) {
        const out = await cli(name, flag);
        assert.equal(out.code, EXIT.ok, `${name} ${flag}: ${out.stderr}`);
        assert.equal(out.stderr, "", name);
        assert.match(out.stdout, new RegExp(`^firebreak ${name}\\b`), name);
        assert.deepEqual(await cli("help", name), out, `help ${name}`);
      }
    }
  });

  const wrong: Array<[string[], string]> = [
    // A value left out is said to be required, not to be other than the allowed ones.
    [["triage", "42", "--level", "outage"], "--severity is required: one of SEV1, SEV2, SEV3, SEV4"],
    [["apikey", "create", "--name", "laptop"], "--role is required: one of admin, responder, viewer"],
    // A blank value is said to be blank: --policy is not required at all.
    [["services", "create", "db", "--policy", " "], "--policy is blank: it needs a value"],
    [["incidents", "--service", ""], "--service is blank: it needs a value"],
    // oncall ignored a blank filter and listed every schedule.
    [["oncall", "--team", ""], "--team is blank: it needs a value"],
    [["oncall", "--service", " "], "--service is blank: it needs a value"],
    [["oncall", ""], "SCHEDULE is blank: give its name or id"],
    // Options another subcommand takes were ignored without a word.
    [
      ["override", "list", "--schedule", "Primary", "--user", "ada@example.com"],
      '--user is only for creating an override, not "override list"',
    ],
    [
      ["override", "delete", "--schedule", "Primary", "o1", "--end", "2026-01-01T00:00Z"],
      '--end is only for creating an override, not "override delete"',
    ],
    [["schedules", "list", "--time-zone", "UTC"], '--time-zone is only for "schedules create"'],
    [
      ["override", "--schedule", "Primary", "--user", "Ada", "--start", "2026-01-01T00:00Z"],
      '--user must be an email such as ada@example.com or a user id, got "Ada"',
    ],
    [
      ["triage", "42", "--severity", "SEV1", "--level", "outage", "--call-in", "bob@example.com,bob"],
      '--call-in must be an email such as ada@example.com, got "bob"',
    ],
    // fix said one pattern for each of these.
    [["fix"], 'expected an incident and a description, as in: fix INC-42 --kind hotfix "raise the pool"'],
    [
      ["fix", "42", "--kind", "hotfix"],
      'expected a description of the fix after the incident, as in: fix INC-42 --kind hotfix "raise the pool"',
    ],
    [
      ["fix", "42", "--kind", "hotfix", "raise", "pool"],
      'expected the description as one quoted argument, got 2 words, as in: fix INC-42 --kind hotfix "raise the pool"',
    ],
    [["fix", "deploy", "42", "one"], 'NUMBER must be the fix\'s number, such as 1 (Fix #1), got "one"'],
    [["fix", "verify", "42"], 'expected "fix verify INCIDENT NUMBER", as in: fix verify INC-42 1'],
    [
      ["integrations", "remove", "x"],
      'expected "integrations create", "integrations list" or "integrations delete", got "integrations remove x"',
    ],
  ];
  for (const [argv, message] of wrong) {
    it(`refuses "${argv.join(" ")}" with exit 2, naming the problem`, async () => {
      const out = await cli(...argv);
      assert.equal(out.code, EXIT.usage, out.stderr);
      assert.equal(out.stdout, "");
      assert.equal(
        out.stderr,
        `firebreak ${argv[0]}: ${message}\nRun "firebreak ${argv[0]} --help" for usage.\n`,
      );
      const json = await cli(...argv, "--json");
      assert.equal(json.code, EXIT.usage);
      assert.equal((JSON.parse(json.stderr) as { error: { detail: string } }).error.detail, message);
    });
  }

  it("says an unknown option before the command is an option, with the one likely meant", async () => {
    const bogus = await cli("--verbose", "incidents");
    assert.equal(bogus.code, EXIT.usage);
    assert.equal(
      bogus.stderr,
      "firebreak: unknown option --verbose before the command: options go after it, as in: firebreak incidents --json\n" +
        'Run "firebreak --help" for the list of commands.\n',
    );
    const typo = await cli("--verison");
    assert.equal(typo.code, EXIT.usage);
    assert.match(typo.stderr, /^firebreak: unknown option --verison \(did you mean --version\?\)\n/);
  });
});
