import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { checkEmail } from "../../core/auth/credentials.js";
import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { NotifierConfigField } from "../../core/notifications/config-field-names.js";
import { ConfigFields } from "../config-fields.js";
import { NotifyError, type Notifier, type SendContext, type SendResult } from "../contract.js";
import { renderEmail } from "./render-email.js";
import { sendThroughSmtpGate } from "./smtp-gate.js";
import { refusedRecipientsError, smtpNotifyError, smtpSecretsOf } from "./smtp-error.js";

export interface EmailConfig {
  readonly to: readonly string[];
  /**
   * The channel's own SMTP server: smtp://user:pass@host:587 (STARTTLS when offered) or
   * smtps://user:pass@host:465; holds a password. Unset: the server's (FIREBREAK_SMTP_URL).
   */
  readonly smtpUrl: string | undefined;
  /** `alerts@example.com` or `Firebreak <alerts@example.com>`; needed with an own smtpUrl. */
  readonly from: string | undefined;
}

/** The server-wide SMTP settings (FIREBREAK_SMTP_URL, FIREBREAK_SMTP_FROM) mail goes through by default. */
export interface ServerSmtp {
  readonly smtpUrl: string;
  readonly from: string;
}

/** Why an address-only email cannot go out here: refused when saved, and the failure of a send. */
export const NO_SERVER_SMTP =
  "this Firebreak has no SMTP server for notifications yet, so an admin must set FIREBREAK_SMTP_URL and FIREBREAK_SMTP_FROM (or give this address an SMTP server of its own)";

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

/** The email notifier, with `server` as the SMTP settings of every config that names none. */
export function createEmailNotifier(server: ServerSmtp | undefined): Notifier<EmailConfig> {
  return {
    kind: "email",
    parseConfig: parseEmailConfig,

    unusable(config: EmailConfig): { field: string; message: string } | undefined {
      return config.smtpUrl === undefined && server === undefined
        ? { field: "smtpUrl", message: `is needed: ${NO_SERVER_SMTP}` }
        : undefined;
    },

    async send(message: IncidentMessage, config: EmailConfig, context: SendContext): Promise<SendResult> {
      const smtpUrl = config.smtpUrl ?? server?.smtpUrl;
      const from = config.from ?? server?.from;
      if (smtpUrl === undefined || from === undefined)
        throw new NotifyError(`email to ${config.to.join(", ")}: not sent: ${NO_SERVER_SMTP}`, {
          retryable: false,
          reason: "config",
        });
      return sendMail(message, { smtpUrl, from, to: config.to }, context);
    },

    describe(config: EmailConfig): string {
      const to = `email to ${config.to.join(", ")}`;
      return config.smtpUrl === undefined ? to : `${to} via ${smtpHostOf(config.smtpUrl)}`;
    },
  };
}

/** Without server SMTP settings: every config must name its own server to be sent. */
export const emailNotifier = createEmailNotifier(undefined);

function parseEmailConfig(raw: unknown): EmailConfig {
  const fields = new ConfigFields<NotifierConfigField<"email">>(raw);
  const smtpUrl = fields.optionalString("smtpUrl", 2000);
  if (smtpUrl !== undefined) for (const problem of smtpUrlProblems(smtpUrl)) fields.fail("smtpUrl", problem);

  // An own server needs its own From: the server's may not be allowed to send through it.
  const from =
    smtpUrl === undefined ? fields.optionalString("from", 320) : fields.requiredString("from", 320);
  if (from) for (const e of checkEmail(addressOf(from), "/config/from")) fields.errors.push(e);

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
  return { to, smtpUrl, from: from || undefined };
}

/** Problems of a `From` mailbox, for the server's FIREBREAK_SMTP_FROM. */
export const fromProblems = (from: string): string[] =>
  checkEmail(addressOf(from), "from").map((e) => e.message);

async function sendMail(
  message: IncidentMessage,
  config: { smtpUrl: string; from: string; to: readonly string[] },
  context: SendContext,
): Promise<SendResult> {
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
}

/** What is wrong with an SMTP URL, in words that never repeat it (it holds a password). */
export function smtpUrlProblems(smtpUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return ["must be a URL like smtp://user:password@smtp.example.com:587"];
  }
  const problems: string[] = [];
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    problems.push("must start with smtp:// or smtps://");
  else if (url.hostname === "") problems.push("must name the SMTP server");
  else if (url.port !== "" && !(Number(url.port) > 0 && Number(url.port) < 65536))
    problems.push("has an invalid port");
  for (const [name, value] of url.searchParams) {
    if (!(BOOLEAN_URL_OPTIONS as readonly string[]).includes(name)) {
      problems.push(`supports only the options ${BOOLEAN_URL_OPTIONS.join(", ")}`);
    } else if (value !== "true" && value !== "false") {
      problems.push(`option ${name} must be true or false`);
    }
  }
  return problems;
}
