import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

const HOUR = 3_600_000;

/** oncall, override and schedules against a real server on 127.0.0.1, through its REST API. */
describe("CLI on-call commands against a running server", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  let ada: { id: string; email: string };
  let bob: { id: string; email: string };
  const system = { actor: systemActor("test"), requestId: null };

  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<{ id: string }>;
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const person = (name: string) =>
      createUser(fb.running.deps, system, {
        email: `${name.toLowerCase()}@example.com`,
        name,
        role: "responder",
        password: "correct horse battery staple",
      });
    ada = await person("Ada");
    bob = await person("Bob");
  });
  after(() => fb.close());

  it("creates and lists schedules", async () => {
    const created = await cli("schedules", "create", "Primary", "--time-zone", "Europe/Berlin");
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created schedule Primary \(.+\) in Europe\/Berlin/);
    const listed = await cli("schedules", "list", "--json");
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name),
      ["Primary"],
    );
    assert.equal(
      (await cli("schedules", "create", "Primary", "--time-zone", "UTC")).code,
      1,
      "a duplicate name fails",
    );
    const badZone = await cli("schedules", "create", "Other", "--time-zone", "Mars/Base");
    assert.equal(badZone.code, 1);
    // Said as the option typed; --json keeps the server's path (json-errors.test.ts).
    assert.match(badZone.stderr, /400 --time-zone /);
  });

  it("shows who is on call by schedule, service and team, now and --at a time, and puts someone on by override", async () => {
    const team = await api("POST", "/api/v1/teams", { name: "Storage" });
    const schedule = await api("POST", "/api/v1/schedules", {
      name: "Storage on-call",
      timeZone: "UTC",
      teamId: team.id,
      layers: [
        {
          name: "Weekly",
          rotation: {
            memberIds: [ada.id],
            shiftLength: 1,
            shiftUnit: "weeks",
            startLocal: "2026-01-05T09:00",
          },
        },
      ],
    });
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Storage",
      steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "storage", escalationPolicyId: policy.id });

    const now = await cli("oncall", "Storage on-call");
    assert.equal(now.code, 0, now.stderr);
    assert.match(now.stdout, /SCHEDULE\s+ON CALL\s+FROM\s+UNTIL\s+VIA\nStorage on-call\s+Ada\s.*\sWeekly\n/);
    for (const flag of [["--service", "storage"], ["--team", "Storage"], []]) {
      const out = await cli("oncall", ...flag, "--json");
      assert.equal(out.code, 0, out.stderr);
      const entries = (JSON.parse(out.stdout) as { entries: Array<{ userName: string }> }).entries;
      assert.deepEqual(
        entries.map((e) => e.userName),
        ["Ada"],
        flag.join(" "),
      );
    }

    const start = new Date(Date.now() + HOUR).toISOString();
    const end = new Date(Date.now() + 2 * HOUR).toISOString();
    const later = new Date(Date.now() + 1.5 * HOUR).toISOString();
    const made = await cli(
      "override",
      "--schedule",
      "Storage on-call",
      "--user",
      bob.email,
      "--start",
      start,
      "--end",
      end,
      "--json",
    );
    assert.equal(made.code, 0, made.stderr);
    const override = JSON.parse(made.stdout) as { id: string; userName: string; source: string };
    assert.deepEqual([override.userName, override.source], ["Bob", "manual"]);
    // VIA says what puts them on call: the override, not the schedule (nor its rotation).
    assert.match(
      (await cli("oncall", "Storage on-call", "--at", later)).stdout,
      /Storage on-call\s+Bob\s.*\soverride\n/,
    );
    assert.match(
      (await cli("oncall", "--team", "Storage", "--at", later)).stdout,
      /Storage on-call\s+Bob\s.*\soverride\n/,
    );

    const listed = await cli("override", "list", "--schedule", "Storage on-call");
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${override.id}\\s+Bob\\s`));
    const removed = await cli("override", "delete", "--schedule", "Storage on-call", override.id);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match((await cli("oncall", "Storage on-call", "--at", later)).stdout, /Storage on-call\s+Ada\s/);
    assert.match((await cli("override", "list", "--schedule", "Storage on-call")).stdout, /No overrides/);
  });

  it("makes an override over the same person's other one, and warns of the overlap on stderr", async () => {
    await api("POST", "/api/v1/schedules", { name: "Overlap on-call", timeZone: "UTC" });
    const make = (from: number, to: number, ...json: string[]) =>
      cli(
        "override",
        "--schedule",
        "Overlap on-call",
        "--user",
        ada.email,
        "--start",
        new Date(Date.now() + from * HOUR).toISOString(),
        "--end",
        new Date(Date.now() + to * HOUR).toISOString(),
        ...json,
      );
    const first = await make(1, 3);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, "");

    const second = await make(2, 4);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Ada is on call /);
    assert.match(
      second.stderr,
      /^Warning: Ada already covers .+ \(UTC\) in this schedule by another override\n$/,
    );
    // JSON keeps them in the answer, and stderr quiet.
    const third = await make(2.5, 5, "--json");
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stderr, "");
    assert.equal((JSON.parse(third.stdout) as { warnings: string[] }).warnings.length, 2);
  });

  it("without a schedule, says it lists schedules, not that nobody is paged, when a policy pages a person directly", async () => {
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Billing direct",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: bob.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "billing", escalationPolicyId: policy.id });
    // Before Ada's rotation starts, no schedule has anyone; Bob is paged directly all the same.
    const before = "2025-06-01T00:00:00.000Z";
    const all = await cli("oncall", "--at", before);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(
      all.stdout,
      `No schedule has anyone on call at ${before}. People a policy pages directly are not in ` +
        "schedules: firebreak oncall --service NAME shows whom a service pages.\n",
    );
    const service = await cli("oncall", "--service", "billing", "--at", before);
    // Bob has no contact methods here: listed, and marked as no page would reach him.
    assert.match(service.stdout, /^-\s+Bob \(unreachable: has no contact methods\)\s+-\s+-\s+user$/m);
    const schedule = await cli("oncall", "Primary");
    assert.match(schedule.stdout, /^Nobody is on call at \S+\.\n$/);
    const help = await cli("oncall", "--help");
    assert.match(help.stdout, /\(none\)\s+who is on call in every schedule/);
  });

  const usage: Array<[string[], RegExp]> = [
    [["oncall", "Primary", "--service", "storage"], /give one of SCHEDULE, --service or --team/],
    [["oncall", "--at", "tomorrow"], /--at must be an ISO date and time/],
    [["override", "--user", "ada@example.com"], /--schedule is required/],
    [["override", "list", "--schedule", " "], /--schedule is blank: it needs a value/],
    [
      [
        "override",
        "--schedule",
        "Primary",
        "--start",
        "2026-11-21T09:00:00Z",
        "--end",
        "2026-11-21T10:00:00Z",
      ],
      /--user is required/,
    ],
    [
      ["override", "--schedule", "Primary", "--user", "ada@example.com", "--end", "2026-11-21T10:00:00Z"],
      /--start is required/,
    ],
    [["override", "delete", "--schedule", "Primary"], /expected one override id/],
    [["override", "move", "--schedule", "Primary"], /unknown subcommand "move"/],
    [["schedules", "create", "Nameless"], /--time-zone is required/],
  ];
  for (const [argv, message] of usage) {
    it(`refuses "${argv.join(" ")}" with exit 2`, async () => {
      const out = await cli(...argv);
      assert.equal(out.code, 2, out.stderr);
      assert.match(out.stderr, message);
    });
  }

  it("fails with exit 1 and the server's reason for an unknown schedule or person", async () => {
    const unknown = await cli("oncall", "No such schedule");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /404 schedule No such schedule not found/);
    const nobody = await cli(
      "override",
      "--schedule",
      "Primary",
      "--user",
      "nobody@example.com",
      "--start",
      new Date(Date.now() + HOUR).toISOString(),
      "--end",
      new Date(Date.now() + 2 * HOUR).toISOString(),
    );
    assert.equal(nobody.code, 1);
    assert.equal(nobody.stderr, "firebreak override: 404 nobody with the email nobody@example.com\n");
  });
});
