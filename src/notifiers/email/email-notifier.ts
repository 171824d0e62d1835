import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { checkEmail } from "../../core/auth/credentials.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import { ConfigFields } from "../config-fields.js";
import { NotifyError, type Notifier, type SendContext, type SendResult } from "../contract.js";
import { renderEmail } from "./render-email.js";
import { sendThroughSmtpGate } from "./smtp-gate.js";
import { refusedRecipientsError, smtpNotifyError, smtpSecretsOf } from "./smtp-error.js";

export interface EmailConfig {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465; holds a password. */
  readonly smtpUrl: string;
  /** `alerts@example.com` or `Firebreak <alerts@example.com>`. */
  readonly from: string;
  readonly to: readonly string[];
}

const MAX_RECIPIENTS = 50;
// Tuning knobs a relay may need, given as query parameters of smtpUrl; anything else is a typo.
const BOOLEAN_URL_OPTIONS = ["requireTLS", "ignoreTLS", "tls.rejectUnauthorized"] as const;
const TIMEOUTS_MS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
};

/** The address inside `Name <addr>`, or the whole text. */
const addressOf = (mailbox: string): string => /<([^<>]+)>\s*$/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();

function smtpHostOf(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return url.port === "" ? url.hostname : `${url.hostname}:${url.port}`;
  } catch {
    return "unknown host";
  }
}

function transportOptions(smtpUrl: string): SMTPTransport.Options {
  const url = new URL(smtpUrl);
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
  return options;
}

// One transporter per SMTP URL (pool: false: one connection per mail, nothing held open between sends).
const transporters = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

function transporterFor(smtpUrl: string): Transporter<SMTPTransport.SentMessageInfo> {
  let transporter = transporters.get(smtpUrl);
  if (transporter === undefined) {
    transporter = nodemailer.createTransport(transportOptions(smtpUrl));
    transporters.set(smtpUrl, transporter);
  }
  return transporter;
}

/** Closes and forgets every cached transporter (shutdown, or after SMTP settings change). */
export function closeEmailTransporters(): void {
  for (const transporter of transporters.values()) transporter.close();
  transporters.clear();
}

export const emailNotifier: Notifier<EmailConfig> = {
  kind: "email",

  parseConfig(raw: unknown): EmailConfig {
    const fields = new ConfigFields(raw);
    const smtpUrl = fields.requiredString("smtpUrl", 2000);
    if (smtpUrl !== "") checkSmtpUrl(fields, smtpUrl);

    const from = fields.requiredString("from", 320);
    if (from !== "") for (const e of checkEmail(addressOf(from), "/config/from")) fields.errors.push(e);

    const rawTo = fields.raw("to");
    const to = (typeof rawTo === "string" ? rawTo.split(",") : Array.isArray(rawTo) ? rawTo : []).map(
      (t: unknown) => (typeof t === "string" ? t.trim() : ""),
    );
    if (rawTo === undefined || to.length === 0 || to.every((t) => t === ""))
      fields.fail("to", "needs at least one address");
    else if (to.length > MAX_RECIPIENTS) fields.fail("to", `may list at most ${MAX_RECIPIENTS} addresses`);
    else {
      to.forEach((address, i) => {
        const path = Array.isArray(rawTo) ? `/config/to/${i}` : "/config/to";
        for (const e of checkEmail(address === "" ? "" : addressOf(address), path)) fields.errors.push(e);
      });
    }
    fields.done();
    return { smtpUrl, from, to };
  },

  async send(message: IncidentMessage, config: EmailConfig, context: SendContext): Promise<SendResult> {
    const host = smtpHostOf(config.smtpUrl);
    const cancelled = () =>
      new NotifyError(`email via ${host}: stopped waiting (the caller cancelled or its deadline passed)`, {
        retryable: true,
        reason: "timeout",
      });
    if (context.signal.aborted) throw cancelled();
    const email = renderEmail(message, context.idempotencyKey);
    const mail = {
      from: config.from,
      to: [...config.to],
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: email.headers,
      messageId: email.messageId,
      ...(email.inReplyTo === undefined ? {} : { inReplyTo: email.inReplyTo }),
      ...(email.references === undefined ? {} : { references: email.references }),
    };
    return sendThroughSmtpGate(
      host,
      `email via ${host}`,
      async () => {
        // nodemailer takes no AbortSignal: stop waiting when told to; its socket timeouts end the rest.
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(cancelled());
          context.signal.addEventListener("abort", onAbort, { once: true });
        });
        try {
          const info = await Promise.race([transporterFor(config.smtpUrl).sendMail(mail), aborted]);
          // nodemailer sends to the accepted recipients and reports the refused ones as a success
          // (rejectedErrors is in its SMTP transport's info, missing from the types).
          if (info.rejected.length > 0) {
            const recipientCount = info.accepted.length + info.rejected.length;
            const refused = (info as { rejectedErrors?: unknown[] }).rejectedErrors ?? [];
            const refusals = refused.length > 0 ? refused : info.rejected;
            throw refusedRecipientsError(refusals, recipientCount, host, smtpSecretsOf(config.smtpUrl));
          }
          return { externalId: info.messageId || email.messageId };
        } catch (err) {
          throw err instanceof NotifyError ? err : smtpNotifyError(err, host, smtpSecretsOf(config.smtpUrl));
        } finally {
          if (onAbort !== undefined) context.signal.removeEventListener("abort", onAbort);
        }
      },
      { cancelled: () => context.signal.aborted },
    );
  },

  describe(config: EmailConfig): string {
    return `email to ${config.to.join(", ")} via ${smtpHostOf(config.smtpUrl)}`;
  },
};

function checkSmtpUrl(fields: ConfigFields, smtpUrl: string): void {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    fields.fail("smtpUrl", "must be a URL like smtp://user:password@smtp.example.com:587");
    return;
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    fields.fail("smtpUrl", "must start with smtp:// or smtps://");
  else if (url.hostname === "") fields.fail("smtpUrl", "must name the SMTP server");
  else if (url.port !== "" && !(Number(url.port) > 0 && Number(url.port) < 65536))
    fields.fail("smtpUrl", "has an invalid port");
  for (const [name, value] of url.searchParams) {
    if (!(BOOLEAN_URL_OPTIONS as readonly string[]).includes(name)) {
      fields.fail("smtpUrl", `supports only the options ${BOOLEAN_URL_OPTIONS.join(", ")}`);
    } else if (value !== "true" && value !== "false") {
      fields.fail("smtpUrl", `option ${name} must be true or false`);
    }
  }
}
