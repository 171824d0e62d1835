import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { EXIT } from "../../src/cli/run-cli.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { runCliCaptured } from "./cli-harness.js";

/**
 * Someone no page would reach (no contact methods) is named as such by `oncall`, and a service given
 * a policy whose first step reaches nobody is warned about at once, not when a real page fails.
 */
describe("CLI: on call but unreachable", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const system = { actor: systemActor("test"), requestId: null };
  const users: Record<string, string> = {};

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
  const policy = (name: string, userId: string) =>
    api("POST", "/api/v1/escalation-policies", {
      name,
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId }] }],
      repeatCount: 0,
    });

  before(async () => {
    fb = await startTestFirebreak({ listen: true, sender: new RecordingSender() });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    for (const name of ["Carol", "Ada", "Eve"]) {
      const user = await createUser(fb.running.deps, system, {
        email: `${name.toLowerCase()}@example.com`,
        name,
        role: "responder",
        password: "correct horse battery staple",
      });
      users[name] = user.id;
    }
    for (const name of ["Ada", "Eve"])
      await addContactMethod(fb.running.deps, system, {
        userId: users[name]!,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
    await policy("Carol only", users.Carol!);
    await policy("Ada only", users.Ada!);
    await policy("Eve only", users.Eve!);
    await api("PATCH", `/api/v1/users/${users.Eve}`, { disabled: true });
  });
  after(() => fb.close());

  it("services create warns when step 1 of the policy reaches nobody now, and why", async () => {
    const out = await cli("services", "create", "Carolsvc", "--policy", "Carol only");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(out.stdout, /^Created service Carolsvc \(\S+\)\n$/);
    assert.equal(
      out.stderr,
      "Warning: step 1 of escalation policy Carol only reaches nobody now (Carol has no contact methods), " +
        "so a page for Carolsvc wakes nobody (firebreak oncall --service Carolsvc shows whom it pages).\n",
    );
    const quiet = await cli("services", "create", "Adasvc", "--policy", "Ada only");
    assert.equal(quiet.code, EXIT.ok, quiet.stderr);
    assert.equal(quiet.stderr, "");
    const json = await cli("services", "create", "Carolsvc2", "--policy", "Carol only", "--json");
    assert.equal(json.code, EXIT.ok, json.stderr);
    assert.equal(json.stderr, "", "--json keeps stderr for errors, as the no-policy warning does");
  });

  it("services update warns too; a policy naming only a disabled person reaches nobody", async () => {
    const out = await cli("services", "update", "Adasvc", "--policy", "Carol only");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(
      out.stderr,
      /^Warning: step 1 of escalation policy Carol only reaches nobody now \(Carol has/,
    );
    const disabled = await cli("services", "update", "Adasvc", "--policy", "Eve only");
    assert.equal(disabled.code, EXIT.ok, disabled.stderr);
    assert.match(
      disabled.stderr,
      /^Warning: step 1 of escalation policy Eve only reaches nobody now \(the people it names are disabled or its team has no members\)/,
    );
    const back = await cli("services", "update", "Adasvc", "--policy", "Ada only");
    assert.equal(back.stderr, "");
  });

  it("oncall names the person unreachable and why, warns on stderr, and exits 0", async () => {
    const out = await cli("oncall", "--service", "Carolsvc");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(
      out.stdout,
      /SCHEDULE\s+ON CALL\s+FROM\s+UNTIL\s+VIA\n-\s+Carol \(unreachable: has no contact methods\)\s+-\s+-\s+user\n$/,
    );
    assert.equal(
      out.stderr,
      "Warning: Carol has no contact methods: a page reaches nobody through them " +
        "(a contact method is added in the console under Settings → Notifications)\n",
    );
    const json = await cli("oncall", "--service", "Carolsvc", "--json");
    assert.equal(json.code, EXIT.ok);
    assert.equal(json.stderr, "", "--json: the answer says so");
    const answer = JSON.parse(json.stdout) as { entries: Array<{ userName: string; unreachable: string }> };
    assert.deepEqual(
      answer.entries.map((e) => `${e.userName} ${e.unreachable}`),
      ["Carol has no contact methods"],
    );
    const ada = await cli("oncall", "--service", "Adasvc");
    assert.match(ada.stdout, /\n-\s+Ada\s+-\s+-\s+user\n$/);
    assert.equal(ada.stderr, "");
  });

  it("page gives the same reason, and oncall --help says why its exit code stays 0", async () => {
    const paged = await cli("page", "--service", "Carolsvc", "checkout is down");
    assert.equal(paged.code, EXIT.pagedNobody, paged.stderr);
    assert.match(paged.stderr, /\(Carol has no contact methods\)/);
    const help = await cli("oncall", "--help");
    assert.match(help.stdout, /NAME \(unreachable: has no contact methods\)/);
    assert.match(help.stdout, /The exit code stays 0: oncall only reads/);
  });
});
