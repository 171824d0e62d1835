// Internal updates reach a service's stakeholders by email: through an email channel when there is
// one, else through the server's own SMTP settings (FIREBREAK_SMTP_URL), the same mail a person's
// email contact method goes through. With neither, the timeline says they were not emailed.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { createIntegration } from "../../src/app/integrations/manage-integrations.js";
import { emailChannelFor, SERVER_MAIL_CHANNEL_ID } from "../../src/app/response/response-notices.js";
import { createService } from "../../src/app/services/manage-services.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestFirebreak } from "../support/firebreak-harness.js";
import { alertmanagerBody, fingerprintOf, setupCaller } from "../support/response-setup.js";
import { client, type Client } from "./alerting-helpers.js";

interface Mail {
  readonly to: string[];
  readonly raw: string;
}

/** A real SMTP server on 127.0.0.1 (plain, no STARTTLS) that keeps what it receives. */
async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A Firebreak with one service, a signed-in admin, and a way to open an incident on the service. */
async function startStakeholderFirebreak(env: Record<string, string>) {
  const clock = new FakeClock();
  const fb = await startTestFirebreak({ clock, startEngine: false, env });
  const deps = fb.running.deps;
  const service = await createService(deps, setupCaller, { name: "checkout" });
  const { id: integrationId, key } = await createIntegration(deps, setupCaller, {
    serviceId: service.id,
    kind: "alertmanager",
  });
  const admin = await fb.user("admin");
  const ada: Client = client(fb, await fb.signIn(admin.email, admin.password));
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const openIncident = async (alertname: string): Promise<string> => {
    const res = await fb.http.inject({
      method: "POST",
      url: `/integrations/alertmanager/${key}`,
      payload: alertmanagerBody(alertname, `fp-${alertname}`, clock.now()),
    });
    assert.equal(res.statusCode, 200, res.body);
    await run();
    const alert = await deps.uow.run((tx) =>
      tx.alerts.findFiringOfIntegration(integrationId, fingerprintOf(`fp-${alertname}`)),
    );
    assert.ok(alert?.incidentId, "the alert opened an incident");
    return alert.incidentId;
  };
  const timeline = (incidentId: string) => deps.uow.run((tx) => tx.timeline.listForIncident(incidentId));
  const stakeholders = async (emails: string[]) => {
    const res = await ada.put(`/api/v1/services/${service.id}/response-settings`, {
      stakeholderEmails: emails,
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  /** What stakeholder mail would go through, as a caller that passes the server's notifiers is told. */
  const mailRoute = () =>
    deps.uow.run(async (tx) => (await emailChannelFor(tx, service, fb.running.deps.notifiers))?.id);
  return { fb, ada, run, openIncident, timeline, stakeholders, mailRoute };
}

describe("internal updates emailed to stakeholders", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let withServerMail: Awaited<ReturnType<typeof startStakeholderFirebreak>>;
  let withoutMail: Awaited<ReturnType<typeof startStakeholderFirebreak>>;

  before(async () => {
    smtp = await startSmtp();
    withServerMail = await startStakeholderFirebreak({
      FIREBREAK_PUBLIC_URL: "https://oncall.example.com",
      FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      FIREBREAK_SMTP_FROM: "Firebreak <firebreak@example.com>",
    });
    withoutMail = await startStakeholderFirebreak({ FIREBREAK_PUBLIC_URL: "https://oncall.example.com" });
  });
  after(async () => {
    await withServerMail?.fb.close();
    await withoutMail?.fb.close();
    await smtp?.close();
  });

  it("with no email channel, go out through the server's SMTP settings", async () => {
    const s = withServerMail;
    await s.stakeholders(["ceo@example.test"]);
    const incidentId = await s.openIncident("CheckoutDown");
    const posted = await s.ada.post(`/api/v1/incidents/${incidentId}/internal-updates`, {
      message: "Card payments fail; rolling back",
    });
    assert.equal(posted.statusCode, 200, posted.body);
    assert.deepEqual((posted.json() as { emailed: string[] }).emailed, ["ceo@example.test"]);
    await s.run();
    const mail = smtp.mails.find((m) => m.to.includes("ceo@example.test"));
    assert.ok(mail, "the stakeholder got the update by mail");
    assert.match(mail.raw, /^From: Firebreak <firebreak@example\.com>/m);
    assert.match(mail.raw, /update: CheckoutDown/);
    assert.match(mail.raw.replace(/=\r?\n/g, ""), /Card payments fail; rolling back/);
    const kinds = (await s.timeline(incidentId)).map((e) => e.kind);
    assert.ok(kinds.includes("internal-update.posted"));
    assert.ok(!kinds.includes("internal-update.not-emailed"), kinds.join(", "));
    assert.ok(!kinds.includes("response.notice-failed"), kinds.join(", "));
  });

  it("with neither an email channel nor the server's SMTP settings, the timeline says they were not emailed", async () => {
    const s = withoutMail;
    await s.stakeholders(["ceo@example.test"]);
    const incidentId = await s.openIncident("CheckoutSlow");
    const before = smtp.mails.length;
    const posted = await s.ada.post(`/api/v1/incidents/${incidentId}/internal-updates`, {
      message: "Latency up; investigating",
    });
    assert.equal(posted.statusCode, 200, posted.body);
    assert.deepEqual(
      (posted.json() as { emailed: string[] }).emailed,
      [],
      "the answer says nobody was emailed",
    );
    await s.run();
    assert.equal(smtp.mails.length, before, "no mail went out");
    const notEmailed = (await s.timeline(incidentId)).filter((e) => e.kind === "internal-update.not-emailed");
    assert.equal(notEmailed.length, 1, "one entry says so");
    assert.match(
      notEmailed[0]!.message,
      /stakeholders of checkout were not emailed: there is no email channel/,
    );
  });

  it("a caller that passes the server's notifiers learns before posting whether stakeholders can be mailed", async () => {
    assert.equal(await withServerMail.mailRoute(), SERVER_MAIL_CHANNEL_ID);
    assert.equal(await withoutMail.mailRoute(), undefined);
  });
});
