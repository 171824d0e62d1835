import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { RecordingSender } from "../support/recording-sender.js";
import { runCliCaptured } from "./cli-harness.js";

/** `oncall` and `page` when the person on call is disabled, against a real server on 127.0.0.1. */
describe("CLI: a disabled person on call", () => {
  let fb: TestFirebreak;
  let env: Record<string, string>;
  let carol: { id: string };
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
  const setDisabled = (disabled: boolean) => api("PATCH", `/api/v1/users/${carol.id}`, { disabled });

  before(async () => {
    fb = await startTestFirebreak({ listen: true, sender: new RecordingSender() });
    env = { FIREBREAK_URL: fb.baseUrl as string, FIREBREAK_API_KEY: await fb.apiKey("admin") };
    carol = await createUser(fb.running.deps, system, {
      email: "carol@example.com",
      name: "Carol Sydney",
      role: "responder",
      password: "correct horse battery staple",
    });
    await addContactMethod(fb.running.deps, system, {
      userId: carol.id,
      kind: "webhook",
      label: "pager",
      config: { url: "http://127.0.0.1:9/never-called" },
    });
    // Carol is the only member: on call all the time, from a Monday long past.
    const schedule = await api("POST", "/api/v1/schedules", {
      name: "Support on-call",
      timeZone: "UTC",
      layers: [
        {
          name: "Weekly",
          rotation: {
            memberIds: [carol.id],
            shiftLength: 1,
            shiftUnit: "weeks",
            startLocal: "2026-01-05T09:00",
          },
        },
      ],
    });
    const policy = await api("POST", "/api/v1/escalation-policies", {
      name: "Support",
      steps: [{ delayMinutes: 5, targets: [{ kind: "schedule", scheduleId: schedule.id }] }],
      repeatCount: 0,
    });
    await api("POST", "/api/v1/services", { name: "support", escalationPolicyId: policy.id });
  });
  after(() => fb.close());

  it("oncall says nobody is on call and names her, rather than listing her or nothing", async () => {
    await setDisabled(true);
    const out = await cli("oncall", "Support on-call");
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stdout,
      /SCHEDULE\s+ON CALL\s+FROM\s+UNTIL\s+VIA\nSupport on-call\s+nobody \(Carol Sydney is disabled\)\s+\S+\s+-\s+gap \(disabled\)\n$/,
    );
    // VIA says what a gap is, in the API's words for it, as an override's row names its kind.
    await api("POST", "/api/v1/schedules", { name: "Empty on-call", timeZone: "UTC" });
    const all = await cli("oncall");
    assert.equal(all.code, 0, all.stderr);
    assert.match(
      all.stdout,
      /^Support on-call\s+nobody \(Carol Sydney is disabled\)\s.*\sgap \(disabled\)$/m,
    );
    assert.match(all.stdout, /^Empty on-call\s+nobody\s+-\s+-\s+gap \(unscheduled\)$/m);
    assert.doesNotMatch(all.stdout, /\sschedule$/m);
    const json = JSON.parse((await cli("oncall", "--service", "support", "--json")).stdout) as {
      entries: unknown[];
      gaps: Array<{ reason: string; userName: string }>;
    };
    assert.deepEqual(json.entries, []);
    assert.deepEqual(
      json.gaps.map((g) => `${g.reason} ${g.userName}`),
      ["disabled Carol Sydney"],
    );
    await setDisabled(false);
    assert.match((await cli("oncall", "Support on-call")).stdout, /\nSupport on-call\s+Carol Sydney\s/);
  });

  it("page warns on stderr that nobody was paged and why, and exits 3: the incident is open", async () => {
    await setDisabled(true);
    const out = await cli("page", "--service", "support", "checkout is down");
    assert.equal(out.code, 3, out.stderr);
    assert.match(out.stdout, /^Paged nobody: INC-\d+ triggered: checkout is down\n$/);
    assert.equal(
      out.stderr,
      "Warning: Nobody was paged: step 1 paged nobody (Carol Sydney, on call in schedule Support on-call, is disabled)\n",
    );
    const json = await cli("page", "--service", "support", "still down", "--json");
    assert.equal(json.code, 3, json.stderr);
    assert.equal(json.stderr, "", "--json: the answer carries the warning");
    const answer = JSON.parse(json.stdout) as { pagedNobody: boolean; warning: string };
    assert.equal(answer.pagedNobody, true);
    assert.match(answer.warning, /Carol Sydney, on call in schedule Support on-call, is disabled/);

    await setDisabled(false);
    const paged = await cli("page", "--service", "support", "third time");
    assert.equal(paged.code, 0, paged.stderr);
    assert.match(
      paged.stdout,
      /^Paged Carol Sydney \(escalation policy Support, step 1\): INC-\d+ triggered: third time\n$/,
    );
    assert.equal(paged.stderr, "");
  });
});
