import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { StatusMail } from "../../app/ports/status-subscriber-channels.js";
import { NotifyError } from "../contract.js";
import type { ReceiverGate } from "../receiver-gate.js";
import { smtpNotifyError, smtpSecretsOf } from "./smtp-error.js";
import { sendThroughSmtpGate } from "./smtp-gate.js";

/**
 * The status page's own mail (FIREBREAK_STATUS_SMTP_URL): confirmation and update mails to
 * subscribers, separate from the paging channels' SMTP settings. Errors never carry the password.
 */

export interface StatusEmailSettings {
  /** smtp://user:pass@host:587 or smtps://…:465; `?requireTLS=true` etc. as nodemailer reads them. */
  readonly smtpUrl: string;
  /** `status@example.com` or `Acme status <status@example.com>`. */
  readonly from: string;
}

export interface StatusEmailSender {
  send(mail: StatusMail): Promise<void>;
  close(): void;
}

const TIMEOUTS_MS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
};

function hostOf(smtpUrl: string): string {
  try {
    return new URL(smtpUrl).host || "unknown host";
  } catch {
    return "unknown host";
  }
}

/** `gate`: the process's shared one unless a test brings its own. */
export function createStatusEmailSender(
  settings: StatusEmailSettings,
  gate?: ReceiverGate,
): StatusEmailSender {
  const url = new URL(settings.smtpUrl);
  const options: SMTPTransport.Options = {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    secure: url.protocol === "smtps:",
    ...(url.port === "" ? {} : { port: Number(url.port) }),
    ...(url.username === ""
      ? {}
      : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    ...TIMEOUTS_MS,
    logger: false,
    debug: false,
  };
  const flag = (name: string) => url.searchParams.get(name) === "true";
  if (url.searchParams.has("requireTLS")) options.requireTLS = flag("requireTLS");
  if (url.searchParams.has("ignoreTLS")) options.ignoreTLS = flag("ignoreTLS");
  if (url.searchParams.has("tls.rejectUnauthorized"))
    options.tls = { rejectUnauthorized: flag("tls.rejectUnauthorized") };
  const transporter: Transporter<SMTPTransport.SentMessageInfo> = nodemailer.createTransport(options);
  const host = hostOf(settings.smtpUrl);
  return {
    // Behind the gate like paging mail: a dead SMTP server must not hold a slot per subscriber.
    send: (mail) =>
      sendThroughSmtpGate(
        host,
        `status email via ${host}`,
        async () => {
          try {
            await transporter.sendMail({
              from: settings.from,
              to: mail.to,
              subject: mail.subject,
              text: mail.text,
              html: mail.html,
              headers: { ...mail.headers },
              messageId: mail.messageId,
            });
          } catch (err) {
            if (err instanceof NotifyError) throw err;
            throw smtpNotifyError(err, host, smtpSecretsOf(settings.smtpUrl));
          }
        },
        gate ? { gate } : {},
      ),
    close: () => transporter.close(),
  };
}
