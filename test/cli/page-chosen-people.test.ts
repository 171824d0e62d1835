import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import type { Caller } from "../../src/app/deps.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createUser } from "../../src/app/users/create-user.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { EXIT } from "../../src/cli/run-cli.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { runCliCaptured } from "./cli-harness.js";

const admin: Caller = { actor: systemActor("cli test"), requestId: null };

/** `page --user` and `page --policy`: whom to page instead of the service's on-call. */
describeEachDialect("CLI page --user / --policy", (dialect) => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCaptured(argv, env);
  const email = (name: string) => `${name.toLowerCase()}-${dialect}@example.com`;

  before(async () => {
    fb = await startTestFirebreak({ dialect, listen: true });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    const ids: Record<string, string> = {};
    for (const name of ["Ada", "Bob", "Carol", "Dave"]) {
      ids[name] = (
        await createUser(fb.running.deps, admin, {
          email: email(name),
          name,
          role: "responder",
          password: "correct horse battery staple",
        })
      ).id;
      await addContactMethod(fb.running.deps, admin, {
        userId: ids[name]!,
        kind: "webhook",
        label: "pager",
        config: { url: "http://127.0.0.1:9/never-called" },
      });
    }
    await updateUser(fb.running.deps, admin, ids.Dave!, { disabled: true });
    await createEscalationPolicy(fb.running.deps, admin, {
      name: "DBAs",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ids.Carol! }] }],
      repeatCount: 0,
    });
    // No escalation policy: only chosen people can be paged on it.
    const made = await cli("services", "create", "Batch jobs");
    assert.equal(made.code, EXIT.ok, made.stderr);
  });
  after(() => fb.close());

  it("pages the people named by email or name, on a service without a policy, and says whom", async () => {
    const out = await cli(
      "page",
      "--service",
      "Batch jobs",
      "--user",
      email("Ada"),
      "--user",
      "bob",
      "db down",
    );
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(out.stdout, /^Paged Ada, Bob: INC-\d+ triggered: db down\n$/);
    assert.equal(out.stderr, "");
  });

  it("pages by a chosen policy, and --json answers as the API does", async () => {
    const out = await cli("page", "--service", "Batch jobs", "--policy", "DBAs", "vacuum stuck");
    assert.equal(out.code, EXIT.ok, out.stderr);
    assert.match(
      out.stdout,
      /^Paged Carol \(escalation policy DBAs, step 1\): INC-\d+ triggered: vacuum stuck\n$/,
    );
    const json = await cli("page", "--service", "Batch jobs", "--user", "Carol", "again", "--json");
    assert.equal(json.code, EXIT.ok, json.stderr);
    const answer = JSON.parse(json.stdout) as {
      paged: string[];
      pagedNobody: boolean;
      escalation: { policyId: string };
    };
    assert.deepEqual([answer.paged, answer.pagedNobody, answer.escalation.policyId], [["Carol"], false, ""]);
  });

  it("refuses --user with --policy as a usage error, before any request", async () => {
    const out = await cli("page", "--service", "Batch jobs", "--user", "Ada", "--policy", "DBAs", "x");
    assert.equal(out.code, EXIT.usage);
    assert.match(out.stderr, /--user and --policy do not go together/);
    const blank = await cli("page", "--service", "Batch jobs", "--user", " ", "x");
    assert.equal(blank.code, EXIT.usage);
    assert.match(blank.stderr, /--user needs a name, an email or an id/);
  });

  it("names an unknown person, a disabled one or an unknown policy, and exits 1", async () => {
    const unknown = await cli("page", "--service", "Batch jobs", "--user", "Zed", "x");
    assert.equal(unknown.code, EXIT.failure);
    assert.match(unknown.stderr, /nobody with the name, email or id Zed/);
    const disabled = await cli("page", "--service", "Batch jobs", "--user", "Dave", "x");
    assert.equal(disabled.code, EXIT.failure);
    assert.match(disabled.stderr, /Dave is disabled/);
    const policy = await cli("page", "--service", "Batch jobs", "--policy", "Nope", "x");
    assert.equal(policy.code, EXIT.failure);
    assert.match(policy.stderr, /escalation policy Nope not found/);
  });
});
