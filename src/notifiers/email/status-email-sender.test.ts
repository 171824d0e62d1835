import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { NotifyError } from "../contract.js";
import { refusedBaseUrl, rejectionOf } from "../notifier-test-kit.test.js";
import { ReceiverGate } from "../receiver-gate.js";
import { createStatusEmailSender } from "./status-email-sender.js";

const mail = (n: number) => ({
  to: "subscriber@example.com",
  subject: `Update ${n}`,
  text: "We are investigating.",
  html: "<p>We are investigating.</p>",
  headers: { "Auto-Submitted": "auto-generated" },
  messageId: `<update-${n}@status.example.com>`,
});

/** A real SMTP server on `port`, counting the mails it took. */
async function smtpServerOn(port: number): Promise<{ received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("status-page email sender", () => {
  it("holds back mail to a server that refused 5 connections; after the open period one trial goes, and its answer reopens the way", async () => {
    const port = Number(new URL(await refusedBaseUrl()).port);
    let nowMs = 1_000_000;
    const gate = new ReceiverGate(undefined, () => nowMs);
    const sender = createStatusEmailSender(
      { smtpUrl: `smtp://127.0.0.1:${port}`, from: "status@example.com" },
      gate,
    );
    try {
      for (let i = 0; i < 5; i++) {
        const err = await rejectionOf(sender.send(mail(i)));
        assert.ok(err instanceof NotifyError && err.reason === "network", String(err));
      }
      const held = await rejectionOf(sender.send(mail(5)));
      assert.ok(held instanceof NotifyError);
      assert.deepEqual([held.retryable, held.reason, held.retryAfterSeconds], [true, "not_tried", 10]);
      assert.match(
        held.message,
        /^status email via 127\.0\.0\.1:\d+: not tried: the last 5 sends got no answer/,
      );

      const smtp = await smtpServerOn(port);
      try {
        const stillHeld = await rejectionOf(sender.send(mail(6)));
        assert.ok(stillHeld instanceof NotifyError && stillHeld.reason === "not_tried");
        assert.equal(smtp.received(), 0, "nothing was tried while the gate was shut");
        nowMs += 10_000;
        await sender.send(mail(7));
        await sender.send(mail(8));
        assert.equal(smtp.received(), 2, "the trial went, and after its answer the next one too");
      } finally {
        sender.close();
        await smtp.close();
      }
    } finally {
      sender.close();
    }
  });
});
