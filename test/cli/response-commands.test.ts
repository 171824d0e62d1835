import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { resolve } from "../../src/app/incidents/incident-actions.js";
import { createIncidentTask } from "../../src/app/response/attack-plan-tasks.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import { ACTS_FOR_NO_PERSON } from "../../src/cli/api-client.js";
import { EXIT } from "../../src/cli/run-cli.js";
import {
  setupCaller,
  startResponseScenario,
  type Person,
  type ResponseScenario,
} from "../support/response-setup.js";
import { runCliCaptured } from "./cli-harness.js";

/** triage, fix and tasks against a real server on 127.0.0.1, through its REST API. */
describe("CLI incident-response commands against a running server", () => {
  let s: ResponseScenario;
  let dee: Person;
  let env: Record<string, string>;

  const cli = (...argv: string[]) => runCliCaptured(argv, env);

  before(async () => {
    s = await startResponseScenario("sqlite", { listen: true });
    // The key acts for the person who made it: Dee.
    dee = await s.person("admin", "Dee");
    const key = await createApiKey(s.fb.running.deps, dee.caller, { name: "dee's laptop", role: "admin" });
    env = { FIREBREAK_URL: s.fb.baseUrl as string, FIREBREAK_API_KEY: key.token };
  });
  after(() => s.close());

  it("triages, logs a hotfix, refuses a second fix, moves it, and lists the tasks", async () => {
    const incident = await s.openIncident("CliOutage");
    const ref = `INC-${incident.number}`;

    const usage = await cli("triage", ref, "--severity", "SEV9", "--level", "outage");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--severity must be one of SEV1, SEV2, SEV3, SEV4, got "SEV9"/);

    const triaged = await cli(
      "triage",
      ref,
      "--severity",
      "SEV1",
      "--level",
      "outage",
      "--handler",
      s.ada.email,
    );
    assert.equal(triaged.code, 0, triaged.stderr);
    assert.equal(triaged.stdout, `${ref} acknowledged, investigating: SEV1 outage, handled by Ada\n`);

    const hotfix = await cli("fix", ref, "--kind", "hotfix", "raise the pool", "--json");
    assert.equal(hotfix.code, 0, hotfix.stderr);
    const fix = JSON.parse(hotfix.stdout) as { number: number; followUp: { dueAt: string } };
    assert.equal(fix.number, 1);
    assert.equal(Date.parse(fix.followUp.dueAt) - s.clock.now().getTime(), 24 * 3_600_000);

    const second = await cli("fix", ref, "--kind", "rollback", "undo");
    assert.equal(second.code, 1);
    assert.match(second.stderr, /409 Fix #1 \(hotfix: raise the pool\) is still in flight/);

    const deployed = await cli("fix", "deploy", ref, "1");
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^Fix #1 \(hotfix\) deployed: raise the pool/);
    assert.equal((await cli("fix", "deploy", ref, "one")).code, 2);

    const task = await fetch(`${s.fb.baseUrl}/api/v1/incidents/${incident.id}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "Watch the queue" }),
    });
    assert.equal(task.status, 201);
    const plan = await cli("tasks", ref);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /open\s+\(nobody\)\s+Watch the queue/);
    // Dee took no task of her own.
    assert.equal((await cli("tasks", "--mine")).stdout, "No open tasks of yours.\n");
  });

  it("says a --handler or --call-in nobody has is not found (exit 1, 404), as a missing service is, and triages nothing", async () => {
    const incident = await s.openIncident("CliNobody");
    const triage = ["triage", `INC-${incident.number}`, "--severity", "SEV2", "--level", "outage"];

    const out = await cli(...triage, "--handler", "unknown@example.com");
    assert.equal(out.code, EXIT.failure, out.stderr);
    assert.equal(out.stdout, "");
    assert.equal(out.stderr, "firebreak triage: 404 nobody with the email unknown@example.com\n");
    const json = await cli(...triage, "--handler", "unknown@example.com", "--json");
    assert.equal(json.code, EXIT.failure, json.stderr);
    assert.deepEqual(JSON.parse(json.stderr), {
      error: { status: 404, code: "NOT_FOUND", detail: "nobody with the email unknown@example.com" },
    });
    const missingService = await cli("incidents", "--service", "NoSuchService", "--json");
    assert.equal(missingService.code, out.code);
    assert.equal((JSON.parse(missingService.stderr) as { error: { code: string } }).error.code, "NOT_FOUND");

    // A slip in a real address gets the one meant; --call-in looks people up the same way.
    const slip = s.ada.email.replace("@example.com", "@exmaple.com");
    const typo = await cli(...triage, "--needs-help", "--call-in", `${dee.email},${slip}`);
    assert.equal(typo.code, EXIT.failure, typo.stderr);
    assert.equal(
      typo.stderr,
      `firebreak triage: 404 nobody with the email ${slip} (did you mean "${s.ada.email}"?)\n`,
    );
    // What is no email at all is still a usage error, refused before any request.
    const name = await cli(...triage, "--handler", "Ada");
    assert.equal(name.code, EXIT.usage, name.stderr);
    assert.match(name.stderr, /--handler must be an email such as ada@example\.com, got "Ada"/);

    const after = await fetch(`${s.fb.baseUrl}/api/v1/incidents/${incident.id}`, {
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}` },
    });
    const page = (await after.json()) as { incident: { state: string } };
    assert.equal(page.incident.state, "triggered", "nobody triaged it");
  });

  it("whoami names the person a key acts for, or says it acts for no person", async () => {
    const mine = await cli("whoami");
    assert.equal(mine.code, 0, mine.stderr);
    // The label names the person too, as timelines and the audit log show who acted with a key.
    assert.equal(
      mine.stdout,
      `Dee (API key dee's laptop) (api_key, role admin, acts for Dee <${dee.email}>)\n`,
    );
    const keyless = await createApiKey(s.fb.running.deps, setupCaller, {
      name: "deploy bot",
      role: "viewer",
    });
    const before = env;
    env = { ...env, FIREBREAK_API_KEY: keyless.token };
    try {
      assert.equal(
        (await cli("whoami")).stdout,
        "API key deploy bot (api_key, role viewer, acts for no person)\n",
      );
      const json = JSON.parse((await cli("whoami", "--json")).stdout) as { actsFor: unknown };
      assert.equal(json.actsFor, null);
    } finally {
      env = before;
    }
  });

  it("refuses triage with a key made for no person, saying how to make one that acts for a person", async () => {
    const incident = await s.openIncident("CliKeyless");
    const keyless = await createApiKey(s.fb.running.deps, setupCaller, { name: "ci", role: "admin" });
    const argv = ["triage", `INC-${incident.number}`, "--severity", "SEV2", "--level", "degradation"];
    const before = env;
    env = { ...env, FIREBREAK_API_KEY: keyless.token };
    try {
      const out = await cli(...argv);
      assert.equal(out.code, 1);
      assert.match(out.stderr, /^firebreak triage: 403 API key ci acts for no person: /);
      assert.ok(out.stderr.endsWith(` (${ACTS_FOR_NO_PERSON})\n`), out.stderr);
    } finally {
      env = before;
    }
  });

  it("tasks --mine leaves out tasks of resolved incidents, says how many, and lists them last with --include-resolved", async () => {
    const deps = s.fb.running.deps;
    const withTaskForDee = async (alertname: string, title: string) => {
      const incident = await s.openIncident(alertname);
      await triageIncident(deps, dee.caller, incident.id, {
        severity: "SEV2",
        level: "outage",
        onCallCanHandle: true,
      });
      await createIncidentTask(deps, dee.caller, incident.id, { title, ownerId: dee.id });
      return incident;
    };
    const over = await withTaskForDee("CliOver", "Roll back the 14:02 deploy");
    const open = await withTaskForDee("CliOpen", "Drain the queue");
    await resolve(deps, dee.caller, over.id);

    const mine = await cli("tasks", "--mine");
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal(
      mine.stdout,
      `INCIDENT  STATE  TASK\nINC-${open.number}     open   Drain the queue\n` +
        "1 more on resolved incident: --include-resolved lists it.\n",
    );
    const all = await cli("tasks", "--mine", "--include-resolved");
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trimEnd().split("\n").slice(1), [
      `INC-${open.number}             open   Drain the queue`,
      `INC-${over.number} (resolved)  open   Roll back the 14:02 deploy`,
    ]);
    const json = JSON.parse((await cli("tasks", "--json")).stdout) as Array<{ title: string }>;
    assert.deepEqual(
      json.map((t) => t.title),
      ["Drain the queue"],
    );
    const misplaced = await cli("tasks", `INC-${open.number}`, "--include-resolved");
    assert.equal(misplaced.code, EXIT.usage);
    assert.match(misplaced.stderr, /--include-resolved goes with --mine/);
  });
});
