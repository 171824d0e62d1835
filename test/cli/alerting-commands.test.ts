import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCli, type CliRuntime } from "../../src/cli/run-cli.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";

/** The remote commands against a real server on 127.0.0.1, through its REST API. */
describe("CLI alerting commands against a running server", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const unusedRuntime = {} as CliRuntime;

  const cli = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(
      argv,
      { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env },
      unusedRuntime,
    );
    return { code, stdout, stderr };
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
  });
  after(() => fb.close());

  it("creates and lists services", async () => {
    const created = await cli("services", "create", "storage");
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created service storage/);
    const listed = await cli("services", "list", "--json");
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name),
      ["storage"],
    );
    assert.equal((await cli("services", "create", "storage")).code, 1, "a duplicate name fails");
  });

  it("creates an integration and prints its URL and key, and the URL takes alerts", async () => {
    const out = await cli("integrations", "create", "--service", "storage", "--kind", "webhook", "--json");
    assert.equal(out.code, 0, out.stderr);
    const integration = JSON.parse(out.stdout) as { url: string; key: string };
    assert.ok(integration.url.includes(integration.key));
    const posted = await fetch(integration.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ summary: "disk full on db-7", dedup_key: "disk-db-7" }),
    });
    assert.equal(posted.status, 200);

    const open = await cli("incidents", "--json");
    const incidents = JSON.parse(open.stdout) as Array<{ number: number; state: string; title: string }>;
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]!.title, "disk full on db-7");

    const acked = await cli("ack", `INC-${incidents[0]!.number}`);
    assert.equal(acked.code, 0, acked.stderr);
    assert.match(acked.stdout, /acknowledged/);
    const resolved = await cli("resolve", String(incidents[0]!.number), "--json");
    assert.equal((JSON.parse(resolved.stdout) as { state: string }).state, "resolved");
    assert.match((await cli("incidents")).stdout, /No triggered or acknowledged incidents/);
    assert.match((await cli("incidents", "--state", "resolved")).stdout, /INC-\d+\s+resolved/);
  });

  it("creates a heartbeat with its interval and grace, or the server's defaults without them", async () => {
    const heartbeat = ["integrations", "create", "--service", "storage", "--kind", "heartbeat"];
    const set = await cli(
      ...heartbeat,
      "--name",
      "nightly backup",
      "--interval",
      "30s",
      "--grace",
      "2m",
      "--json",
    );
    assert.equal(set.code, 0, set.stderr);
    const created = JSON.parse(set.stdout) as {
      heartbeatIntervalSeconds: number;
      heartbeatGraceSeconds: number;
      snippets: Array<{ text: string }>;
    };
    assert.deepEqual([created.heartbeatIntervalSeconds, created.heartbeatGraceSeconds], [30, 120]);
    // Under a minute, the snippet is a shell loop, not a crontab line.
    assert.ok(
      created.snippets.some((s) => s.text.includes("sleep 30")),
      JSON.stringify(created.snippets),
    );

    const defaults = await cli(...heartbeat);
    assert.equal(defaults.code, 0, defaults.stderr);
    assert.match(defaults.stdout, /^Check-in: every 300 s, grace 60 s$/m);
    assert.match(
      (await cli(...heartbeat, "--interval", "1h", "--grace", "0")).stdout,
      /every 3600 s, grace 0 s/,
    );

    // The range is the server's to check: exit 1 with its reason.
    const tooOften = await cli(...heartbeat, "--interval", "5s");
    assert.equal(tooOften.code, 1);
    assert.match(
      tooOften.stderr,
      /400 .*heartbeatIntervalSeconds: a heartbeat needs an interval from 10 seconds/,
    );
  });

  it("pages a service by hand", async () => {
    const paged = await cli("page", "--service", "storage", "checkout is down", "--json");
    assert.equal(paged.code, 0, paged.stderr);
    assert.equal((JSON.parse(paged.stdout) as { state: string; level: string }).level, "page");
  });

  const usage: Array<[string[], RegExp]> = [
    [["integrations", "create", "--service", "storage"], /--kind must be one of/],
    [["integrations", "create", "--kind", "nagios", "--service", "storage"], /got "nagios"/],
    [["incidents", "--state", "open"], /--state must be/],
    [["page", "no service flag"], /--service is required/],
    [["page", "--service", "storage"], /expected a summary/],
    [["ack"], /expected one incident/],
    [["services", "remove", "x"], /unknown subcommand "remove": use list, create or delete/],
  ];
  for (const [argv, message] of usage) {
    it(`refuses "${argv.join(" ")}" with exit 2`, async () => {
      const out = await cli(...argv);
      assert.equal(out.code, 2);
      assert.match(out.stderr, message);
    });
  }

  it("fails with exit 1 and the server's reason for an unknown incident", async () => {
    const out = await cli("ack", "INC-999");
    assert.equal(out.code, 1);
    assert.match(out.stderr, /404 incident INC-999 not found/);
  });
});
