import { multilineText, singleLine } from "../clean-text.js";
import { escapeMarkup as x, formatDateTime, STATUS_WORDS } from "./status-markup.js";
import { statusName } from "./status-name.js";

/** What subscribers receive: the update mail, the confirmation mail (double opt-in). Always text and HTML. */

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface UpdateMailInput {
  readonly pageTitle: string;
  readonly pageUrl: string;
  readonly itemName: string;
  readonly itemUrl: string;
  readonly kind: "incident" | "maintenance";
  readonly status: string;
  readonly body: string;
  readonly atMs: number;
  readonly timeZone: string;
  /** Extra lines under the body (a maintenance's window). */
  readonly details: readonly string[];
  readonly unsubscribeUrl: string;
}

const mailHtml = (title: string, paragraphs: readonly string[], footer: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${x(title)}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;background:#ffffff;max-width:40rem;margin:0 auto;padding:1rem">` +
  `<h1 style="font-size:1.25rem">${x(title)}</h1>${paragraphs.join("")}` +
  `<hr style="border:0;border-top:1px solid #d0d7de"><p style="font-size:.875rem;color:#57606a">${footer}</p></body></html>`;

/** What the page's editors wrote, cleaned as every other message is (core/clean-text.ts). */
const cleanUpdate = (input: UpdateMailInput): UpdateMailInput => ({
  ...input,
  pageTitle: singleLine(input.pageTitle),
  itemName: singleLine(input.itemName),
  body: multilineText(input.body),
  details: input.details.map(singleLine),
});

export function renderUpdateMail(raw: UpdateMailInput): RenderedMail {
  const input = cleanUpdate(raw);
  const status = STATUS_WORDS[input.status] ?? input.status;
  const when = formatDateTime(input.atMs, input.timeZone);
  const subject = singleLine(`[${statusName(input.pageTitle)}] ${input.itemName}: ${status}`).slice(0, 200);
  const text = [
    `${input.itemName}`,
    "",
    `${status} (${when})`,
    input.body,
    ...input.details,
    "",
    `Details: ${input.itemUrl}`,
    `Status page: ${input.pageUrl}`,
    "",
    `You receive this because you subscribed to ${statusName(input.pageTitle)} updates.`,
    `Unsubscribe: ${input.unsubscribeUrl}`,
    "",
  ].join("\n");
  const html = mailHtml(
    input.itemName,
    [
      `<p><strong>${x(status)}</strong> <span style="color:#57606a">${x(when)}</span></p>`,
      `<p style="white-space:pre-wrap">${x(input.body)}</p>`,
      ...input.details.map((d) => `<p>${x(d)}</p>`),
      `<p><a href="${x(input.itemUrl)}">Details</a> · <a href="${x(input.pageUrl)}">${x(statusName(input.pageTitle))} page</a></p>`,
    ],
    `You receive this because you subscribed to ${x(statusName(input.pageTitle))} updates. <a href="${x(input.unsubscribeUrl)}">Unsubscribe</a>.`,
  );
  return { subject, text, html };
}

export interface ConfirmationMailInput {
  readonly pageTitle: string;
  readonly pageUrl: string;
  readonly confirmUrl: string;
  readonly webhookUrl: string | null;
}

export function renderConfirmationMail(raw: ConfirmationMailInput): RenderedMail {
  const input = { ...raw, pageTitle: singleLine(raw.pageTitle) };
  const what = input.webhookUrl
    ? `updates of ${input.pageTitle} sent to the webhook ${input.webhookUrl}`
    : `${statusName(input.pageTitle)} updates by email`;
  const subject = singleLine(`Confirm your subscription to ${statusName(input.pageTitle)}`).slice(0, 200);
  const text = [
    `Someone (hopefully you) asked for ${what}.`,
    "",
    `Confirm: ${input.confirmUrl}`,
    "",
    "If it was not you, ignore this mail: nothing is sent until the link is opened.",
    "",
  ].join("\n");
  const html = mailHtml(
    subject,
    [
      `<p>Someone (hopefully you) asked for ${x(what)}.</p>`,
      `<p><a href="${x(input.confirmUrl)}" style="font-weight:600">Confirm the subscription</a></p>`,
      `<p>If it was not you, ignore this mail: nothing is sent until the link is opened.</p>`,
    ],
    `<a href="${x(input.pageUrl)}">${x(statusName(input.pageTitle))} page</a>`,
  );
  return { subject, text, html };
}
