import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

/** The remote commands against a real server on 127.0.0.1, through its REST API. */
describe("CLI alerting commands against a running server", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;

  const cli = (...argv: string[]) => runCliCaptured(argv, env);

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
  });
  after(() => fb.close());

  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      ...(body && { body: JSON.stringify(body) }),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
    return (await res.json()) as { id: string; name: string };
  };

  it("creates and lists services; one without a policy comes with a warning that it pages nobody", async () => {
    const created = await cli("services", "create", "storage");
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created service storage/);
    assert.equal(
      created.stderr,
      "Warning: storage has no escalation policy, so its incidents page nobody: " +
        "firebreak services update storage --policy POLICY (firebreak policies list shows them).\n",
    );
    const listed = await cli("services", "list", "--json");
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name),
      ["storage"],
    );
    assert.equal((await cli("services", "create", "storage")).code, 1, "a duplicate name fails");
  });

  it("creates a service with --policy and --team by name or id, and updates one to a policy", async () => {
    const team = await api("POST", "/api/v1/teams", { name: "Payments" });
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Payments on call",
      steps: [{ delayMinutes: 5, targets: [{ kind: "team", teamId: team.id }] }],
      repeatCount: 0,
    });
    const made = await cli(
      "services",
      "create",
      "payments",
      "--policy",
      "Payments on call",
      "--team",
      team.id,
      "--json",
    );
    assert.equal(made.code, 0, made.stderr);
    assert.equal(made.stderr, "", "no warning with --json: the policy is set");
    const service = JSON.parse(made.stdout) as { escalationPolicyId: string; teamId: string };
    assert.deepEqual([service.escalationPolicyId, service.teamId], [policy.id, team.id]);
    const text = await cli("services", "create", "ledger", "--policy", policy.id, "--team", "Payments");
    assert.equal(text.code, 0, text.stderr);
    // The team has no members yet: the policy's first step would reach nobody, and create says so.
    assert.equal(
      text.stderr,
      "Warning: step 1 of escalation policy Payments on call reaches nobody now (the people it names are " +
        "disabled or its team has no members), so a page for ledger wakes nobody " +
        "(firebreak oncall --service ledger shows whom it pages).\n",
    );
    // A member a page reaches: from now on the policy pages someone, and nothing more is said.
    const member = await fb.user("responder");
    await addContactMethod(
      fb.running.deps,
      { actor: systemActor("test"), requestId: null },
      {
        userId: member.id,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      },
    );
    await api("PUT", `/api/v1/teams/${team.id}/members/${member.id}`, { role: "member" });

    // Names are looked up before anything is made: a typo makes no service.
    const typo = await cli("services", "create", "refunds", "--policy", "Payments on-cal");
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr,
      'firebreak services: 404 escalation policy Payments on-cal not found (did you mean "Payments on call"?)\n',
    );
    // One name that differs only in case is the one meant (the console refuses a second such name).
    const cased = await cli(
      "services",
      "create",
      "payouts",
      "--policy",
      "payments ON CALL",
      "--team",
      "payments",
      "--json",
    );
    assert.equal(cased.code, 0, cased.stderr);
    const payouts = JSON.parse(cased.stdout) as { escalationPolicyId: string; teamId: string };
    assert.deepEqual([payouts.escalationPolicyId, payouts.teamId], [policy.id, team.id]);
    const noTeam = await cli("services", "create", "refunds", "--team", "Nobody here");
    assert.match(noTeam.stderr, /404 team Nobody here not found \(firebreak teams list shows them\)/);
    assert.doesNotMatch((await cli("services", "list")).stdout, /refunds/);

    // The warning's advice works: the service gets a policy, and says nothing more.
    const bare = await cli("services", "create", "wallet", "--json");
    assert.equal(bare.stderr, "", "--json prints no warning; escalationPolicyId is null");
    assert.equal((JSON.parse(bare.stdout) as { escalationPolicyId: null }).escalationPolicyId, null);
    const updated = await cli("services", "update", "wallet", "--policy", "Payments on call");
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^Updated service wallet \(/);
    assert.equal(updated.stderr, "");
    const listed = JSON.parse((await cli("services", "list", "--json")).stdout) as Array<{
      name: string;
      escalationPolicyId: string | null;
      teamId: string | null;
    }>;
    assert.equal(listed.find((s) => s.name === "wallet")?.escalationPolicyId, policy.id);
    const teamOnly = await cli("services", "update", "wallet", "--team", "Payments", "--json");
    assert.equal(teamOnly.code, 0, teamOnly.stderr);
    assert.deepEqual(
      [
        (JSON.parse(teamOnly.stdout) as { teamId: string }).teamId,
        (JSON.parse(teamOnly.stdout) as { escalationPolicyId: string }).escalationPolicyId,
      ],
      [team.id, policy.id],
    );

    // --no-team and --no-policy take them away; without a policy the warning comes back.
    const cleared = await cli("services", "update", "wallet", "--no-team", "--no-policy");
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stderr, /^Warning: wallet has no escalation policy/);
    const after = JSON.parse((await cli("services", "list", "--json")).stdout) as Array<{
      name: string;
      escalationPolicyId: string | null;
      teamId: string | null;
    }>;
    const wallet = after.find((s) => s.name === "wallet");
    assert.deepEqual([wallet?.teamId, wallet?.escalationPolicyId], [null, null]);
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
    // "open", the console's tab, is triggered and acknowledged: the default.
    const byTab = await cli("incidents", "--state", "open", "--json");
    assert.equal(byTab.code, 0, byTab.stderr);
    assert.deepEqual(JSON.parse(byTab.stdout), incidents);

    const acked = await cli("ack", `INC-${incidents[0]!.number}`);
    assert.equal(acked.code, 0, acked.stderr);
    assert.match(acked.stdout, /acknowledged/);
    const stillOpen = await cli("incidents", "--state", "open,resolved", "--json");
    assert.deepEqual(
      (JSON.parse(stillOpen.stdout) as Array<{ state: string }>).map((i) => i.state),
      ["acknowledged"],
    );
    const resolved = await cli("resolve", String(incidents[0]!.number), "--json");
    assert.equal((JSON.parse(resolved.stdout) as { state: string }).state, "resolved");
    assert.match((await cli("incidents")).stdout, /No triggered or acknowledged incidents/);
    assert.match(
      (await cli("incidents", "--state", "Open")).stdout,
      /No triggered or acknowledged incidents/,
    );
    assert.match((await cli("incidents", "--state", "resolved")).stdout, /INC-\d+\s+resolved/);
    // "all", the console's other tab, is every state.
    const all = JSON.parse((await cli("incidents", "--state", "all", "--json")).stdout) as Array<{
      state: string;
    }>;
    assert.deepEqual(
      all.map((i) => i.state),
      ["resolved"],
    );
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
    assert.match(tooOften.stderr, /400 --interval: a heartbeat needs an interval from 10 seconds/);
  });

  it("pages a service by hand", async () => {
    const paged = await cli("page", "--service", "storage", "checkout is down", "--json");
    // storage has no policy: the incident is open, but nobody was paged (exit 3).
    assert.equal(paged.code, 3, paged.stderr);
    assert.equal((JSON.parse(paged.stdout) as { state: string; level: string }).level, "page");
  });

  const usage: Array<[string[], RegExp]> = [
    [["integrations", "create", "--service", "storage"], /--kind is required: one of/],
    [["integrations", "create", "--kind", "nagios", "--service", "storage"], /got "nagios"/],
    [
      ["incidents", "--state", "opne"],
      /--state must be open, all, triggered, .*got "opne" \(did you mean open\?\)/,
    ],
    [["page", "no service flag"], /--service is required/],
    [["page", "--service", "storage"], /expected a summary/],
    [["ack"], /expected one incident/],
    [["services", "list", "--policy", "p"], /--policy is only for "services create" and "services update"/],
    [
      ["services", "update", "storage"],
      /give what to change: --policy POLICY or --no-policy, --team TEAM or --no-team/,
    ],
    [["services", "update", "x", "--team", "t", "--no-team"], /give --team TEAM or --no-team, not both/],
    [["services", "create", "x", "--no-policy"], /--no-policy is only for "services update"/],
    [["services", "create", "x", "--policy", " "], /--policy is blank: it needs a value/],
    [["services", "remove", "x"], /unknown subcommand "remove": use list, create, update or delete/],
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

  it("an empty service's integrations list gives a command that pastes back, its name quoted", async () => {
    await api("POST", "/api/v1/services", { name: "night shift" });
    const out = await cli("integrations", "list", "--service", "night shift");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /firebreak integrations create --service 'night shift' --kind KIND/);
  });

  it("services list says which service a maintenance window holds back, and until when", async () => {
    const before = await cli("services", "list");
    assert.doesNotMatch(before.stdout, /MAINTENANCE/, "no column while no service is in maintenance");
    const service = await api("POST", "/api/v1/services", { name: "warehouse" });
    const endsAt = new Date(Date.now() + 60 * 60_000).toISOString();
    await api("POST", `/api/v1/services/${service.id}/maintenance-windows`, {
      window: { kind: "one-off", startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt },
    });
    const listed = await cli("services", "list");
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.split("\n");
    assert.match(lines[0] ?? "", /^ID\s+NAME\s+IN MAINTENANCE UNTIL$/);
    assert.match(lines.find((l) => l.includes("warehouse")) ?? "", new RegExp(`warehouse\\s+${endsAt}$`));
    assert.match(lines.find((l) => l.includes("storage")) ?? "", /storage\s*$/);
    const json = JSON.parse((await cli("services", "list", "--json")).stdout) as Array<{
      name: string;
      maintenanceUntil: string | null;
    }>;
    assert.equal(json.find((s) => s.name === "warehouse")?.maintenanceUntil, endsAt);
    assert.equal(json.find((s) => s.name === "storage")?.maintenanceUntil, null);
  });
});
