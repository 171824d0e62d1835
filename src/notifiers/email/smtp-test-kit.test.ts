// A real SMTP server on 127.0.0.1 and readers of the raw mail it takes, for the email tests. No tests
// of its own; the .test.ts suffix keeps it out of the build.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { closeEmailTransporters } from "./email-notifier.js";

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS: STARTTLS is switched off so plain auth is allowed). */
export async function startSmtpServer(options: SMTPServerOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = session.envelope;
        received.push({
          from: envelope.mailFrom === false ? "" : envelope.mailFrom.address,
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * A server for the tests of the describe that calls this: started before them, closed after them,
 * the email notifier's cached transporters (connected to it) first.
 */
export function smtpServerForSuite(options: SMTPServerOptions = {}): Omit<TestSmtpServer, "close"> {
  let server: TestSmtpServer | undefined;
  const started = (): TestSmtpServer => {
    assert.ok(server, "the test SMTP server starts in before()");
    return server;
  };
  before(async () => {
    server = await startSmtpServer(options);
  });
  after(async () => {
    closeEmailTransporters();
    await server?.close();
  });
  return {
    get port() {
      return started().port;
    },
    get received() {
      return started().received;
    },
  };
}

/** Quoted-printable (and RFC 2047 "Q") text to UTF-8; `underscoreIsSpace` for encoded words. */
export function decodeQuotedPrintable(text: string, underscoreIsSpace: boolean): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    const hex = input.slice(i + 1, i + 3);
    if (ch === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === "_" && underscoreIsSpace) bytes.push(0x20);
    else bytes.push(...Buffer.from(ch, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** One header of a raw message, unfolded, with RFC 2047 encoded words decoded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const line = head
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?") // whitespace between encoded words is not text
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text, true),
    );
}

/** The decoded body of the MIME part with this content type (quoted-printable or 7bit). */
export function partOf(raw: string, contentType: string): string | undefined {
  const at = raw.indexOf(`Content-Type: ${contentType}`);
  if (at < 0) return undefined;
  const rest = raw.slice(at);
  const bodyStart = rest.search(/\r?\n\r?\n/);
  const body =
    rest
      .slice(bodyStart)
      .replace(/^\r?\n\r?\n/, "")
      .split(/\r?\n--/)[0] ?? "";
  const isQuotedPrintable = /Content-Transfer-Encoding: quoted-printable/i.test(rest.slice(0, bodyStart));
  return isQuotedPrintable ? decodeQuotedPrintable(body, false) : body;
}
