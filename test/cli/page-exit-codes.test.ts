import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { EXIT } from "../../src/cli/run-cli.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * `page` on a service that wakes nobody opened the incident all the same: exit 3, not 0 (a script's
 * `|| call-someone-else` must run) nor 1 (a retry would open another incident).
 */
describeEachDialect("CLI page: exit 3 when nobody was paged", (dialect) => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCaptured(argv, env);

  before(async () => {
    fb = await startTestFirebreak({ dialect, listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const made = await cli("services", "create", "Batch jobs");
    assert.equal(made.code, EXIT.ok, made.stderr);
  });
  after(() => fb.close());

  it("says whom it paged (nobody) and why, and exits 3: the incident is open", async () => {
    assert.equal(EXIT.pagedNobody, 3);
    const out = await cli("page", "--service", "Batch jobs", "disk full on db1");
    assert.equal(out.code, EXIT.pagedNobody, out.stderr);
    assert.match(out.stdout, /^Paged nobody: INC-(\d+) triggered: disk full on db1\n$/);
    assert.equal(out.stderr, "Warning: Batch jobs has no escalation policy: nobody was paged\n");
    const number = Number(/INC-(\d+)/.exec(out.stdout)![1]);
    const listed = await cli("incidents", "--service", "Batch jobs", "--json");
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ number: number; state: string }>).map((i) => [i.number, i.state]),
      [[number, "triggered"]],
    );
  });

  it("with --json keeps the answer on stdout, stderr empty, and the same exit code", async () => {
    const out = await cli("page", "--service", "Batch jobs", "still full", "--json");
    assert.equal(out.code, EXIT.pagedNobody, out.stderr);
    assert.equal(out.stderr, "");
    const answer = JSON.parse(out.stdout) as { pagedNobody: boolean; warning: string; title: string };
    assert.deepEqual(
      [answer.pagedNobody, answer.warning, answer.title],
      [true, "Batch jobs has no escalation policy: nobody was paged", "still full"],
    );
  });

  it("documents exit 3 in page --help and in the command list", async () => {
    const help = await cli("page", "--help");
    assert.equal(help.code, EXIT.ok);
    assert.match(help.stdout, /^Exit code 3 means the incident is open but nobody was paged/m);
    assert.match((await cli("--help")).stdout, /Exit codes: 0 ok, 1 failure, 2 usage error, 3 paged nobody/);
  });
});
