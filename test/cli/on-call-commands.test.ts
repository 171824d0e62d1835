import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { runCliCaptured } from "./cli-harness.js";
import { Problem, startFakeApi } from "./fake-api.js";

/**
 * What an on-call engineer reads from the CLI, against a real server on 127.0.0.1: whom a page
 * woke, each incident's service and who acknowledged it, an ack or resolve that was done already,
 * and an integration's configuration to paste.
 */
describe("CLI: the on-call engineer's commands", () => {
  let fb: TestFirebreak;
  let admin: Record<string, string>;
  let laptop: Record<string, string>;
  let responder: Record<string, string>;
  const system = { actor: systemActor("test"), requestId: null };

  const cli = (env: Record<string, string>, ...argv: string[]) => runCliCaptured(argv, env);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fb.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin.FIREBREAK_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json() as Promise<{ id: string }>;
  };

  before(async () => {
    fb = await startTestFirebreak({ listen: true, sender: new RecordingSender() });
    const env = (key: string) => ({ FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: key });
    admin = env(await fb.apiKey("admin"));
    responder = env(await fb.apiKey("responder"));
    const ada = await createUser(fb.running.deps, system, {
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "responder",
      password: "correct horse battery staple",
    });
    await addContactMethod(fb.running.deps, system, {
      userId: ada.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    const key = await createApiKey(fb.running.deps, system, {
      name: "laptop",
      role: "responder",
      actsForEmail: "ada@example.com",
    });
    laptop = env(key.token);
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Checkout on call",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: ada.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "checkout", escalationPolicyId: policy.id });
  });
  after(() => fb.close());

  it("page says whom it paged, and by which policy and step", async () => {
    const out = await cli(admin, "page", "--service", "checkout", "checkout is down");
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      out.stdout,
      "Paged Ada Lovelace (escalation policy Checkout on call, step 1): INC-1 triggered: checkout is down\n",
    );
    assert.equal(out.stderr, "");
  });

  it("incidents names each one's service and who acknowledged it: a person's key, an integration", async () => {
    assert.equal((await cli(laptop, "ack", "INC-1")).code, 0);
    assert.equal((await cli(admin, "page", "--service", "checkout", "payments slow")).code, 0);
    // A PagerDuty sender acknowledges through its integration.
    const made = await cli(
      admin,
      "integrations",
      "create",
      "--service",
      "checkout",
      "--kind",
      "pagerduty",
      "--name",
      "PagerDuty bridge",
    );
    const key = /^Key: (\S+)$/m.exec(made.stdout)![1]!;
    const enqueue = (event_action: string) =>
      fetch(`${fb.baseUrl}/v2/enqueue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          routing_key: key,
          event_action,
          dedup_key: "db-7",
          payload: { summary: "db-7 down", source: "db-7", severity: "critical" },
        }),
      });
    assert.equal((await enqueue("trigger")).status, 202);
    assert.equal((await enqueue("acknowledge")).status, 202);

    const listed = await cli(admin, "incidents");
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^INCIDENT\s+STATE\s+NEXT PAGE\s+LEVEL\s+SERVICE\s+OPENED\s+ACKNOWLEDGED BY\s+TITLE$/,
    );
    const row = (n: number) => lines.find((l) => l.startsWith(`INC-${n} `)) ?? "";
    assert.match(
      row(3),
      /^INC-3\s+acknowledged\s+-\s+page\s+checkout\s+\S+\s+integration PagerDuty bridge \(pagerduty\)\s+db-7 down$/,
    );
    assert.match(row(2), /^INC-2\s+triggered\s+runs out in [1-5]m\s+page\s+checkout\s+\S+\s+payments slow$/);
    assert.match(
      row(1),
      /^INC-1\s+acknowledged\s+-\s+page\s+checkout\s+\S+\s+Ada Lovelace \(API key laptop\)\s+checkout is down$/,
    );

    // A responder may not list API keys, but reads their names (GET /api-keys/names): the same label.
    const asResponder = await cli(responder, "incidents");
    assert.equal(asResponder.code, 0, asResponder.stderr);
    assert.match(
      asResponder.stdout,
      /^INC-1\s+acknowledged\s+-\s+page\s+checkout\s+\S+\s+Ada Lovelace \(API key laptop\)\s+checkout is down$/m,
    );
  });

  it("ack and resolve of an incident already so say by whom and when, and exit 0", async () => {
    const again = await cli(admin, "ack", "1");
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^INC-1 was already acknowledged by Ada Lovelace \(API key laptop\) at \S+Z \(nothing changed\): checkout is down\n$/,
    );
    const asJson = JSON.parse((await cli(admin, "ack", "1", "--json")).stdout) as {
      state: string;
      changed: boolean;
    };
    assert.deepEqual([asJson.state, asJson.changed], ["acknowledged", false]);

    const resolved = await cli(admin, "resolve", "INC-1");
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.equal(resolved.stdout, "INC-1 resolved: checkout is down\n");
    const twice = await cli(admin, "resolve", "INC-1");
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(
      twice.stdout,
      /^INC-1 was already resolved by API key test admin key at \S+ \(nothing changed\)/,
    );
    const late = await cli(laptop, "ack", "INC-1");
    assert.equal(late.code, 0, late.stderr);
    assert.match(
      late.stdout,
      /^INC-1 was already resolved by .* \(nothing to acknowledge\): checkout is down\n$/,
    );
    const lateJson = JSON.parse((await cli(laptop, "ack", "INC-1", "--json")).stdout) as {
      state: string;
      changed: boolean;
    };
    assert.deepEqual([lateJson.state, lateJson.changed], ["resolved", false]);

    const fresh = JSON.parse((await cli(admin, "ack", "INC-2", "--json")).stdout) as {
      state: string;
      changed: boolean;
    };
    assert.deepEqual([fresh.state, fresh.changed], ["acknowledged", true]);
  });

  it("reopen triggers a resolved incident again, with the reason on its timeline; an open one is said so", async () => {
    const reopened = await cli(laptop, "reopen", "INC-1", "--reason", "the fix did not hold");
    assert.equal(reopened.code, 0, reopened.stderr);
    assert.equal(reopened.stdout, "Reopened INC-1 triggered: checkout is down\n");
    const detail = (await fetch(`${fb.baseUrl}/api/v1/incidents/1`, {
      headers: { authorization: `Bearer ${admin.FIREBREAK_API_KEY}` },
    }).then((res) => res.json())) as { timeline: Array<{ kind: string; message: string }> };
    assert.equal(
      detail.timeline.findLast((e) => e.kind === "incident.reopened")?.message,
      "Reopened by Ada Lovelace (API key laptop): the fix did not hold",
    );

    const again = await cli(admin, "reopen", "1");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "INC-1 is not resolved but triggered (nothing to reopen): checkout is down\n");
    assert.equal((await cli(laptop, "ack", "INC-1")).code, 0);
    const acked = await cli(admin, "reopen", "INC-1");
    assert.match(
      acked.stdout,
      /^INC-1 is not resolved but acknowledged by Ada Lovelace \(API key laptop\) at \S+Z \(nothing to reopen\): checkout is down\n$/,
    );
    const asJson = JSON.parse((await cli(admin, "reopen", "INC-1", "--json")).stdout) as {
      state: string;
      changed: boolean;
    };
    assert.deepEqual([asJson.state, asJson.changed], ["acknowledged", false]);
    assert.equal((await cli(admin, "resolve", "INC-1")).code, 0);
    const fresh = JSON.parse((await cli(admin, "reopen", "INC-1", "--json")).stdout) as {
      state: string;
      changed: boolean;
    };
    assert.deepEqual([fresh.state, fresh.changed], ["triggered", true]);

    const missing = await cli(admin, "reopen", "INC-999");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^firebreak reopen: 404 /);
    const long = await cli(admin, "reopen", "INC-1", "--reason", "x".repeat(1025));
    assert.equal(long.code, 1);
    assert.match(long.stderr, /reason/);
  });

  it("integrations create prints the console's prometheus.yml snippet; --json keeps url and key", async () => {
    const out = await cli(admin, "integrations", "create", "--service", "checkout", "--kind", "prometheus");
    assert.equal(out.code, 0, out.stderr);
    const key = /^Key: (\S+)$/m.exec(out.stdout)![1]!;
    assert.match(out.stdout, /^URL: http:\/\/127\.0\.0\.1:\d+\/int\/\S+$/m);
    assert.match(out.stdout, /^# Prometheus: alerting in prometheus\.yml/m);
    assert.ok(out.stdout.includes(`      path_prefix: "/int/${key}"\n`), out.stdout);
    const asJson = JSON.parse(
      (
        await cli(
          admin,
          "integrations",
          "create",
          "--service",
          "checkout",
          "--kind",
          "alertmanager",
          "--json",
        )
      ).stdout,
    ) as { url: string; key: string };
    assert.ok(asJson.url.endsWith(`/integrations/alertmanager/${asJson.key}`), asJson.url);
  });

  it("says where the names are when oncall's schedule, service or team is unknown", async () => {
    const schedule = await cli(admin, "oncall", "Nope");
    assert.equal(schedule.code, 1);
    assert.equal(
      schedule.stderr,
      "firebreak oncall: 404 schedule Nope not found (firebreak schedules list shows them)\n",
    );
    const service = await cli(admin, "oncall", "--service", "chekout");
    assert.equal(
      service.stderr,
      'firebreak oncall: 404 service chekout not found (did you mean "checkout"?)\n',
    );
    const team = await cli(admin, "oncall", "--team", "Nope", "--json");
    assert.equal(
      (JSON.parse(team.stderr) as { error: { hint: string } }).error.hint,
      "firebreak teams list shows them",
    );
    const extra = await cli(
      admin,
      "integrations",
      "create",
      "--service",
      "checkout",
      "--kind",
      "webhook",
      "now",
    );
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /^firebreak integrations: unexpected argument "now"\n/);
  });
});

describe("CLI ack of a resolved incident (the API's 412)", () => {
  it("says it is already resolved, by whom and when, and exits 0", async () => {
    const fake = await startFakeApi((request) => {
      if (request.method === "GET" && request.url === "/api/v1/incidents/INC-7")
        return {
          incident: {
            id: "i1",
            number: 7,
            serviceId: "s1",
            title: "disk full",
            state: "resolved",
            level: "page",
            openedAt: "2026-12-01T00:00:00.000Z",
            acknowledgedAt: null,
            acknowledgedBy: null,
            resolvedAt: "2026-12-01T00:05:00.000Z",
            resolvedBy: "system",
            escalation: null,
          },
          timeline: [],
        };
      if (request.url === "/api/v1/incidents/INC-7/acknowledge")
        return new Problem(412, { code: "PRECONDITION_FAILED", detail: "INC-7 is resolved" });
      return undefined;
    });
    try {
      const out = await runCliCaptured(["ack", "7"], { FIREBREAK_URL: fake.url, FIREBREAK_API_KEY: "k" });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(
        out.stdout,
        "INC-7 was already resolved by Firebreak (all its alerts resolved) at 2026-12-01T00:05:00.000Z (nothing to acknowledge): disk full\n",
      );
    } finally {
      await fake.close();
    }
  });
});
