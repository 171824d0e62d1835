import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { startRecordingReceiver, type RecordingReceiver } from "../support/recording-receiver.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

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

/** The raw message with quoted-printable soft breaks and `=3D` undone (enough to find links). */
const plain = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

function header(raw: string, name: string): string | undefined {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

describe("status page subscribers (real SMTP on 127.0.0.1)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: RecordingReceiver;
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  let page: Awaited<ReturnType<typeof makePage>>;
  let incidentId = "";
  const clock = new FakeClock(Date.parse("2025-03-02T09:30:00.000Z"));
  const run = () => fb.running.runner!.runDueOnce({ now: clock.now() });
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const form = (url: string, body: string, accept = "text/html") =>
    fb.http.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
      payload: body,
    });
  const postUpdate = (status: string, body: string) =>
    admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents/${incidentId}/updates`, {
      status,
      body,
    });

  before(async () => {
    smtp = await startSmtp();
    receiver = await startRecordingReceiver();
    fb = await startTestFirebreak({
      clock,
      startEngine: false,
      env: {
        FIREBREAK_PUBLIC_URL: "https://oncall.example.com",
        FIREBREAK_STATUS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        FIREBREAK_STATUS_EMAIL_FROM: "Acme status <status@acme.example>",
      },
    });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    page = await makePage(admin, { slug: "acme" });
  });
  after(async () => {
    await fb.close();
    await smtp.close();
    await receiver.close();
  });

  it("refuses a bad address naming the field", async () => {
    const res = await fb.http.inject({
      method: "POST",
      url: "/status/acme/subscribe",
      payload: { email: "not-an-address" },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors[0].path, "/email");
    const html = await form("/status/acme/subscribe", "email=nope");
    assert.equal(html.statusCode, 400);
    assert.match(html.body, /email must be an email address/);
  });

  it("double opt-in: only the confirmation mail until the link is opened, then updates with one-click unsubscribe", async () => {
    const subscribed = await form("/status/acme/subscribe", "email=Ann%40Example.com");
    assert.equal(subscribed.statusCode, 202);
    assert.match(subscribed.body, /Check your email/);
    await run();
    const [confirmation] = mailsTo("ann@example.com");
    assert.ok(confirmation, "the confirmation mail arrived");
    assert.match(header(confirmation.raw, "subject") ?? "", /Confirm your subscription to Acme status/);
    assert.match(header(confirmation.raw, "from") ?? "", /status@acme\.example/);
    const confirmUrl =
      /https:\/\/oncall\.example\.com(\/status\/acme\/subscribe\/confirm\?token=fbsc_[A-Za-z0-9_-]+)/.exec(
        plain(confirmation.raw),
      )?.[1];
    assert.ok(confirmUrl, "the mail carries the confirmation link");

    // An incident before confirming: nothing but the confirmation mail.
    const created = await admin.call<{ id: string }>(
      "POST",
      `/api/v1/status-pages/${page.pageId}/incidents`,
      {
        name: "Slow API",
        impact: "minor",
        componentIds: [page.apiId],
        body: "Responses are slow.",
      },
    );
    incidentId = created.id;
    await run();
    assert.equal(mailsTo("ann@example.com").length, 1);

    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/status/acme/subscribe/confirm?token=fbsc_forged" }))
        .statusCode,
      404,
    );
    const confirmed = await fb.http.inject({
      method: "GET",
      url: confirmUrl,
      headers: { accept: "text/html" },
    });
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Subscribed/);

    clock.advance(5 * MINUTE);
    await postUpdate("identified", "We found a slow query.");
    await run();
    const updates = mailsTo("ann@example.com").slice(1);
    assert.equal(updates.length, 1);
    const mail = updates[0]!.raw;
    assert.match(header(mail, "subject") ?? "", /\[Acme status\] Slow API: Identified/);
    const listUnsubscribe = header(mail, "list-unsubscribe") ?? "";
    const unsubscribeUrl =
      /^<https:\/\/oncall\.example\.com(\/status\/acme\/unsubscribe\?token=fbsu_[A-Za-z0-9_-]+)>$/.exec(
        listUnsubscribe,
      )?.[1];
    assert.ok(unsubscribeUrl, `List-Unsubscribe: ${listUnsubscribe}`);
    assert.equal(header(mail, "list-unsubscribe-post"), "List-Unsubscribe=One-Click");
    assert.equal(header(mail, "auto-submitted"), "auto-generated");
    assert.match(plain(mail), /We found a slow query\./);
    assert.match(mail, /Content-Type: text\/html/i, "an HTML part beside the text");

    // Asking again when subscribed already sends nothing new.
    await form("/status/acme/subscribe", "email=ann%40example.com");
    await run();
    assert.equal(mailsTo("ann@example.com").length, 2);

    // A GET (a link checker) does not unsubscribe; the one-click POST (RFC 8058) does.
    const shown = await fb.http.inject({ method: "GET", url: unsubscribeUrl });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<form method="post"/);
    const oneClick = await form(unsubscribeUrl, "List-Unsubscribe=One-Click", "*/*");
    assert.equal(oneClick.statusCode, 200);
    assert.equal(oneClick.json().result, "Unsubscribed");
    clock.advance(5 * MINUTE);
    await postUpdate("monitoring", "The fix is out.");
    await run();
    assert.equal(mailsTo("ann@example.com").length, 2, "nothing after unsubscribing");
  });

  it("a webhook subscriber, confirmed by email, gets Statuspage-style JSON with an idempotency key", async () => {
    const url = `${receiver.url}/status-hook`;
    const res = await fb.http.inject({
      method: "POST",
      url: "/status/acme/subscribe",
      payload: { email: "ops@example.com", webhookUrl: url },
    });
    assert.equal(res.statusCode, 202);
    await run();
    const [confirmation] = mailsTo("ops@example.com");
    assert.match(plain(confirmation?.raw ?? ""), /sent to the webhook/);
    const confirmUrl =
      /https:\/\/oncall\.example\.com(\/status\/acme\/subscribe\/confirm\?token=fbsc_[A-Za-z0-9_-]+)/.exec(
        plain(confirmation?.raw ?? ""),
      )?.[1];
    assert.equal((await fb.http.inject({ method: "GET", url: confirmUrl ?? "" })).statusCode, 200);
    clock.advance(5 * MINUTE);
    await postUpdate("resolved", "All fine again.");
    await run();
    const hooks = receiver.received.filter((r) => r.path === "/status-hook");
    assert.equal(hooks.length, 1);
    assert.match(hooks[0]?.idempotencyKey ?? "", /^status:/);
    const body = JSON.parse(hooks[0]?.body ?? "{}") as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(body).sort(), ["incident", "meta", "page"]);
    assert.match(body.meta?.unsubscribe as string, /\/status\/acme\/unsubscribe\?token=fbsu_/);
    assert.deepEqual(body.page, {
      id: page.pageId,
      status_indicator: "none",
      status_description: "All Systems Operational",
    });
    assert.equal(body.incident?.id, incidentId);
    assert.equal(body.incident?.status, "resolved");
    assert.equal((body.incident?.incident_updates as Array<{ body: string }>)[0]?.body, "All fine again.");
    // The admin sees both subscribers, and can remove one.
    const subscribers = await admin.call<Array<{ id: string; kind: string; confirmedAt: string | null }>>(
      "GET",
      `/api/v1/status-pages/${page.pageId}/subscribers`,
    );
    assert.deepEqual(
      subscribers.map((s) => s.kind),
      ["webhook"],
    );
    await admin.call("DELETE", `/api/v1/status-pages/${page.pageId}/subscribers/${subscribers[0]?.id}`);
  });

  it("maintenance is told to subscribers too", async () => {
    await form("/status/acme/subscribe", "email=bea%40example.com");
    await run();
    const confirmUrl =
      /https:\/\/oncall\.example\.com(\/status\/acme\/subscribe\/confirm\?token=fbsc_[A-Za-z0-9_-]+)/.exec(
        plain(mailsTo("bea@example.com")[0]?.raw ?? ""),
      )?.[1];
    await fb.http.inject({ method: "GET", url: confirmUrl ?? "" });
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/maintenances`, {
      name: "Network work",
      body: "Switch replacement.",
      componentIds: [page.webId],
      scheduledFor: new Date(clock.now().getTime() + 60 * MINUTE).toISOString(),
      scheduledUntil: new Date(clock.now().getTime() + 120 * MINUTE).toISOString(),
    });
    await run();
    const mails = mailsTo("bea@example.com");
    assert.equal(mails.length, 2);
    assert.match(header(mails[1]!.raw, "subject") ?? "", /Network work: Scheduled/);
  });
});

describe("status page subscribers without SMTP", () => {
  it("subscribing is not offered: no form, and a POST is refused", async () => {
    const fb = await startTestFirebreak({ startEngine: false });
    try {
      const admin = statusAdmin(fb.http, await fb.apiKey("admin"));
      await makePage(admin, { slug: "quiet" });
      const html = await fb.http.inject({ method: "GET", url: "/status/quiet" });
      assert.doesNotMatch(html.body, /id="subscribe"/);
      const res = await fb.http.inject({
        method: "POST",
        url: "/status/quiet/subscribe",
        payload: { email: "a@example.com" },
      });
      assert.equal(res.statusCode, 412);
    } finally {
      await fb.close();
    }
  });
});
