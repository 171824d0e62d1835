import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import {
  eventLabel,
  formatOpenedAt,
  incidentRef,
  isAboutNoIncident,
  levelLabel,
  linkActions,
  safeHttpUrl,
  safeLinks,
  stateLabel,
} from "../render-text.js";
import { multilineText, singleLine } from "../../core/clean-text.js";
import {
  noticeEmoji,
  noticeFacts,
  noticeHeadline,
  noticeLabel,
  noticeLead,
  noticeLink,
} from "../render-notice.js";
import { cutText, mrkdwn, mrkdwnLink } from "./slack-text.js";

/** Block Kit limits (ecosystem §4.2); the renderer never exceeds them, whatever the incident holds. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerChars: 150,
  sectionTextChars: 3000,
  fields: 10,
  fieldChars: 2000,
  contextElements: 10,
  actionsElements: 25,
  blockIdChars: 255,
  buttonTextChars: 75,
  buttonValueChars: 2000,
  buttonUrlChars: 3000,
  // Slack truncates `text` at 40 000; notifications show far less.
  fallbackTextChars: 3000,
} as const;

export interface PlainText {
  readonly type: "plain_text";
  readonly text: string;
  readonly emoji?: boolean;
}
export interface MrkdwnText {
  readonly type: "mrkdwn";
  readonly text: string;
}
export interface SlackButton {
  readonly type: "button";
  readonly action_id: string;
  readonly text: PlainText;
  readonly url?: string;
  readonly value?: string;
  readonly style?: "primary" | "danger";
  readonly confirm?: {
    readonly title: PlainText;
    readonly text: MrkdwnText;
    readonly confirm: PlainText;
    readonly deny: PlainText;
    readonly style?: "primary" | "danger";
  };
}
export type SlackBlock =
  | { readonly type: "header"; readonly text: PlainText }
  | { readonly type: "section"; readonly text?: MrkdwnText; readonly fields?: readonly MrkdwnText[] }
  | { readonly type: "actions"; readonly block_id: string; readonly elements: readonly SlackButton[] }
  | { readonly type: "context"; readonly elements: readonly MrkdwnText[] };

export interface SlackMessageBody {
  /** Notification and accessibility text; Slack wants it even when blocks are present. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackRenderOptions {
  /**
   * App mode: Acknowledge/Resolve are interactive buttons (`incident_ack` / `incident_resolve`,
   * value = incident id) answered at our interactions endpoint. Webhook mode: they are plain URL
   * buttons to the message's signed links, since nobody receives the clicks.
   */
  readonly interactive: boolean;
}

const STATE_EMOJI: Record<IncidentMessage["state"], string> = {
  triggered: "🔴",
  acknowledged: "🟠",
  resolved: "✅",
};

const plain = (text: string, maxChars: number): PlainText => ({
  type: "plain_text",
  text: cutText(text, maxChars),
  emoji: true,
});

// A link longer than this shows as its label: room is left in the section for " · …and N more".
const LINK_MAX_CHARS = SLACK_LIMITS.sectionTextChars - 100;

export function renderSlackMessage(m: IncidentMessage, options: SlackRenderOptions): SlackMessageBody {
  if (isAboutNoIncident(m)) return renderSlackNotice(m);
  const emoji = STATE_EMOJI[m.state];
  const title = singleLine(m.title);
  const blocks: SlackBlock[] = [
    { type: "header", text: plain(`${emoji} ${incidentRef(m)} · ${title}`, SLACK_LIMITS.headerChars) },
    { type: "section", fields: factFields(m) },
  ];

  if (m.details.length > 0) {
    const lines = m.details.map(
      (d) => `*${mrkdwn(singleLine(d.label), 200)}:* ${mrkdwn(multilineText(d.value), 2500)}`,
    );
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: joinWithin(lines, "\n", SLACK_LIMITS.sectionTextChars) },
    });
  }

  const links = safeLinks(m).map((link) => mrkdwnLink(link.href, link.text, LINK_MAX_CHARS));
  if (links.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: joinWithin(links, " · ", SLACK_LIMITS.sectionTextChars) },
    });
  }

  const buttons = actionButtons(m, options);
  if (buttons.length > 0) {
    blocks.push({
      type: "actions",
      block_id: cutText(`incident:${m.incidentId}`, SLACK_LIMITS.blockIdChars),
      elements: buttons.slice(0, SLACK_LIMITS.actionsElements),
    });
  }

  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `Firebreak · ${eventLabel(m)} · ${incidentRef(m)}` }],
  });

  const fallback = `${emoji} ${incidentRef(m)} [${levelLabel(m)}] ${title} — ${eventLabel(m)}`;
  return {
    text: mrkdwn(fallback, SLACK_LIMITS.fallbackTextChars),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

/** A notice or test: headline, its facts, one link button named for what it opens; no incident fields. */
function renderSlackNotice(m: IncidentMessage): SlackMessageBody {
  const emoji = noticeEmoji(m);
  const headline = noticeHeadline(m);
  const blocks: SlackBlock[] = [
    { type: "header", text: plain(`${emoji} ${headline}`, SLACK_LIMITS.headerChars) },
  ];
  const lead = noticeLead(m);
  const lines = [
    ...(lead === null ? [] : [mrkdwn(lead, 200)]),
    ...noticeFacts(m).map((f) => `*${mrkdwn(f.label, 200)}:* ${mrkdwn(f.value, 2500)}`),
  ];
  if (lines.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: joinWithin(lines, "\n", SLACK_LIMITS.sectionTextChars) },
    });
  }
  const links = safeLinks(m).map((link) => mrkdwnLink(link.href, link.text, LINK_MAX_CHARS));
  if (links.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: joinWithin(links, " · ", SLACK_LIMITS.sectionTextChars) },
    });
  }
  const link = noticeLink(m);
  if (link !== null && link.url.length <= SLACK_LIMITS.buttonUrlChars) {
    blocks.push({
      type: "actions",
      block_id: "notice",
      elements: [
        {
          type: "button",
          action_id: "notice_open",
          text: plain(link.label, SLACK_LIMITS.buttonTextChars),
          url: link.url,
        },
      ],
    });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Firebreak · ${noticeLabel(m)}` }] });
  return {
    text: mrkdwn(`${emoji} ${headline}`, SLACK_LIMITS.fallbackTextChars),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

function factFields(m: IncidentMessage): MrkdwnText[] {
  const unix = Math.floor(m.openedAt.getTime() / 1000);
  const facts: Array<[label: string, value: string]> = [
    ["Status", mrkdwn(stateLabel(m), 100)],
    ["Service", mrkdwn(singleLine(m.serviceName), 1000)],
    ["Level", levelLabel(m)],
    // Slack shows the date in each reader's own time zone; the text after "|" is the fallback
    ["Opened", `<!date^${unix}^{date_short_pretty} {time}|${formatOpenedAt(m.openedAt)}>`],
  ];
  if (m.recipientName !== null) facts.push(["For", mrkdwn(singleLine(m.recipientName), 1000)]);
  // Each value is cut when made (at most 1000), so a field never needs a cut that could split markup.
  return facts.slice(0, SLACK_LIMITS.fields).map(([label, value]) => ({
    type: "mrkdwn",
    text: `*${label}:*\n${value}`,
  }));
}

function actionButtons(m: IncidentMessage, options: SlackRenderOptions): SlackButton[] {
  const buttons: SlackButton[] = [];
  if (options.interactive && !isAboutNoIncident(m)) {
    const value = m.incidentId.slice(0, SLACK_LIMITS.buttonValueChars);
    if (m.state === "triggered") {
      buttons.push({
        type: "button",
        action_id: "incident_ack",
        style: "primary",
        text: plain("Acknowledge", 75),
        value,
      });
    }
    if (m.state !== "resolved") {
      buttons.push({
        type: "button",
        action_id: "incident_resolve",
        style: "danger",
        text: plain("Resolve", SLACK_LIMITS.buttonTextChars),
        value,
        confirm: {
          title: plain("Resolve incident?", 100),
          text: { type: "mrkdwn", text: `Marks ${incidentRef(m)} resolved for everyone.` },
          confirm: plain("Resolve", 30),
          deny: plain("Cancel", 30),
          style: "danger",
        },
      });
    }
  } else if (!options.interactive) {
    for (const action of linkActions(m)) {
      if (action.url.length > SLACK_LIMITS.buttonUrlChars) continue;
      buttons.push({
        type: "button",
        action_id: action.kind === "acknowledge" ? "incident_ack_link" : "incident_resolve_link",
        text: plain(action.label, SLACK_LIMITS.buttonTextChars),
        url: action.url,
        ...(action.kind === "acknowledge" ? { style: "primary" as const } : {}),
      });
    }
  }
  const open = safeHttpUrl(m.incidentUrl);
  if (open !== null && open.length <= SLACK_LIMITS.buttonUrlChars) {
    buttons.push({
      type: "button",
      action_id: "incident_open",
      text: plain("Open incident", SLACK_LIMITS.buttonTextChars),
      url: open,
    });
  }
  return buttons;
}

/** Joins whole items while they fit, then says how many were left out; never cuts inside an item's markup. */
function joinWithin(items: readonly string[], separator: string, maxChars: number): string {
  const all = items.join(separator);
  if (all.length <= maxChars) return all;
  for (let count = items.length - 1; count >= 1; count--) {
    const text = `${items.slice(0, count).join(separator)}${separator}…and ${items.length - count} more`;
    if (text.length <= maxChars) return text;
  }
  return `…${items.length} not shown`;
}
