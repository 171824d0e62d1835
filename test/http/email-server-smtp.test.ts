// Email contact methods that are just an address: pages go through the server's SMTP settings
// (FIREBREAK_SMTP_URL), a real SMTP server on 127.0.0.1 takes them, and a server without those
// settings refuses such a method when it is saved instead of failing every page.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setNotificationRules } from "../../src/app/contact/manage-contact-methods.js";
import { createEscalationPolicy } from "../../src/app/escalation/manage-policies.js";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { createService } from "../../src/app/services/manage-services.js";
import { systemActor } from "../../src/core/auth/actor.js";
import { closeEmailTransporters } from "../../src/notifiers/email/email-notifier.js";
import {
  headerOf,
  startSmtpServer,
  type TestSmtpServer,
} from "../../src/notifiers/email/smtp-test-kit.test.js";
import { describeEachDialect } from "../support/dialects.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { alertmanagerBody, client, errorPaths, PUBLIC_URL, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const system = { actor: systemActor("test"), requestId: null };
const SERVER_PASSWORD = "smtp-SERVER-pass-93";

interface Method {
  id: string;
  description: string;
}

describeEachDialect("email contact methods through the server's SMTP settings", (dialect) => {
  let server: TestSmtpServer;
  let own: TestSmtpServer;
  let fb: TestFirebreak;
  let clock: FakeClock;
  let ada: Client;
  let adaId: string;
  let admin: Client;

  before(async () => {
    server = await startSmtpServer({
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.password === SERVER_PASSWORD) callback(null, { user: auth.username });
        else callback(new Error("Invalid username or password"));
      },
    });
    own = await startSmtpServer();
    clock = new FakeClock();
    fb = await startTestFirebreak({
      dialect,
      clock,
      startEngine: false,
      env: {
        FIREBREAK_PUBLIC_URL: PUBLIC_URL,
        FIREBREAK_SMTP_URL: `smtp://firebreak:${SERVER_PASSWORD}@127.0.0.1:${server.port}`,
        FIREBREAK_SMTP_FROM: "Firebreak <pages@example.com>",
      },
    });
    const adaUser = await fb.user("responder", `ada-${dialect}@example.com`);
    adaId = adaUser.id;
    ada = client(fb, await fb.signIn(adaUser.email, adaUser.password));
    admin = client(fb, { key: await fb.apiKey("admin") });
  });
  after(async () => {
    await fb?.close();
    closeEmailTransporters();
    await server?.close();
    await own?.close();
  });

  const addMine = async (config: object, label = "Work email"): Promise<Method> => {
    const res = await ada.post("/api/v1/me/contact-methods", { kind: "email", label, config });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(!res.body.includes(SERVER_PASSWORD));
    return res.json() as Method;
  };

  it("a person types only their address; the test notification arrives through the server's SMTP", async () => {
    const method = await addMine({ to: "ada@example.com" });
    assert.equal(method.description, "email to ada@example.com");
    const res = await ada.post(`/api/v1/me/contact-methods/${method.id}/test`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { delivered: true });
    const mail = server.received.at(-1);
    assert.ok(mail);
    assert.deepEqual([mail.from, mail.to], ["pages@example.com", ["ada@example.com"]]);
    assert.equal(headerOf(mail.raw, "Subject"), "Firebreak test notification");
  });

  it("a page reaches that address through the server's SMTP; a method with its own server keeps it", async () => {
    const mine = await addMine({ to: "ada@example.com" }, "Mail");
    const legacy = await addMine(
      { smtpUrl: `smtp://127.0.0.1:${own.port}`, from: "Old <old@example.com>", to: ["ada-old@example.com"] },
      "Old mail",
    );
    assert.equal(legacy.description, `email to ada-old@example.com via 127.0.0.1:${own.port}`);
    await setNotificationRules(fb.running.deps, system, adaId, [
      { contactMethodId: mine.id, delayMinutes: 0 },
      { contactMethodId: legacy.id, delayMinutes: 0 },
    ]);
    const policy = await createEscalationPolicy(fb.running.deps, system, {
      name: "Mail on call",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    const service = await createService(fb.running.deps, system, {
      name: "mail-checkout",
      escalationPolicyId: policy.id,
      reopenWindowMinutes: 60,
    });
    const { key } = await createIntegration(fb.running.deps, system, {
      serviceId: service.id,
      kind: "alertmanager",
    });
    server.received.length = 0;
    own.received.length = 0;
    const ingest = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody("firing", "MailQueueStuck"),
    });
    assert.equal(ingest.statusCode, 200, ingest.body);
    await fb.running.runner!.runDueOnce({ now: clock.now() });

    assert.deepEqual(
      server.received.map((m) => [m.from, m.to]),
      [["pages@example.com", ["ada@example.com"]]],
    );
    assert.match(
      headerOf(server.received[0]!.raw, "Subject") ?? "",
      /^\[FIREBREAK INC-\d+\] .* — Triggered$/,
    );
    assert.deepEqual(
      own.received.map((m) => [m.from, m.to]),
      [["old@example.com", ["ada-old@example.com"]]],
      "an explicit SMTP URL still wins",
    );
  });

  it("a shared channel may be just an address, or keep its own SMTP server", async () => {
    for (const config of [
      { to: "oncall@example.com" },
      {
        smtpUrl: `smtp://u:CHANNEL-pass@127.0.0.1:${own.port}`,
        from: "ops@example.com",
        to: "ops@example.com",
      },
    ]) {
      const res = await admin.post("/api/v1/channels", { name: `mail ${config.to}`, kind: "email", config });
      assert.equal(res.statusCode, 201, res.body);
      assert.ok(!res.body.includes("CHANNEL-pass"));
    }
  });
});

describe("email contact methods where no server SMTP is set", () => {
  let fb: TestFirebreak;
  let ada: Client;
  let adaId: string;
  before(async () => {
    fb = await startTestFirebreak({
      dialect: "sqlite",
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL },
    });
    const adaUser = await fb.user("responder");
    adaId = adaUser.id;
    ada = client(fb, await fb.signIn(adaUser.email, adaUser.password));
  });
  after(() => fb?.close());

  it("refuses an address-only method with a 400 that says the admin must set FIREBREAK_SMTP_URL", async () => {
    const res = await ada.post("/api/v1/me/contact-methods", {
      kind: "email",
      label: "Work email",
      config: { to: "ada@example.com" },
    });
    assertProblem(res, 400, "VALIDATION");
    assert.deepEqual(errorPaths(res), ["/config/smtpUrl"]);
    assert.match(res.body, /an admin must set FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM/);
    const channel = await client(fb, { key: await fb.apiKey("admin") }).post("/api/v1/channels", {
      name: "Ops mail",
      kind: "email",
      config: { to: "ops@example.com" },
    });
    assertProblem(channel, 400, "VALIDATION");
  });

  it("still takes a method with its own SMTP server, as before", async () => {
    const res = await ada.post("/api/v1/me/contact-methods", {
      kind: "email",
      label: "Own mail",
      config: { smtpUrl: "smtp://u:OWN-pass@127.0.0.1:2525", from: "me@example.com", to: "ada@example.com" },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(!res.body.includes("OWN-pass"));
  });

  it("one saved before the server's SMTP was removed fails its test and its page, saying why", async () => {
    const id = "cm-stale-1";
    await fb.running.deps.uow.run((tx) =>
      tx.contactMethods.insert({
        id,
        userId: adaId,
        kind: "email",
        label: "Stale mail",
        config: { to: ["ada@example.com"] },
        createdAt: fb.running.deps.clock.now(),
      }),
    );
    const res = await ada.post(`/api/v1/me/contact-methods/${id}/test`);
    assert.equal(res.statusCode, 200, res.body);
    const outcome = res.json() as { delivered: boolean; error: string; retryable: boolean };
    assert.deepEqual([outcome.delivered, outcome.retryable], [false, false]);
    assert.match(outcome.error, /not sent: .*an admin must set FIREBREAK_SMTP_URL/);

    // Paged through it: the incident's timeline says why nothing was sent, at the first try.
    await setNotificationRules(fb.running.deps, system, adaId, [{ contactMethodId: id, delayMinutes: 0 }]);
    const policy = await createEscalationPolicy(fb.running.deps, system, {
      name: "Stale on call",
      steps: [{ delayMinutes: 5, targets: [{ kind: "user", userId: adaId }] }],
      repeatCount: 0,
    });
    const service = await createService(fb.running.deps, system, {
      name: "stale-mail",
      escalationPolicyId: policy.id,
      reopenWindowMinutes: 60,
    });
    const { key } = await createIntegration(fb.running.deps, system, {
      serviceId: service.id,
      kind: "alertmanager",
    });
    await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody("firing", "StaleMail"),
    });
    await fb.running.runner!.runDueOnce({ now: fb.running.deps.clock.now() });
    const [incident] = await fb.running.deps.uow.run((tx) => tx.incidents.list({ limit: 1 }));
    const detail = (await ada.get(`/api/v1/incidents/${incident!.id}`)).json() as {
      timeline: Array<{ message: string }>;
    };
    assert.ok(
      detail.timeline.some((e) =>
        /^Notifying .* by email \(Stale mail\) failed: email to ada@example\.com: not sent: .*FIREBREAK_SMTP_URL/.test(
          e.message,
        ),
      ),
      JSON.stringify(detail.timeline.map((e) => e.message)),
    );
  });
});
