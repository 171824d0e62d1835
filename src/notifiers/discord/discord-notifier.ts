import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { Notifier } from "../contract.js";
import { jsonPostNotifier, type UrlConfig } from "../json-post-notifier.js";
import {
  eventLabel,
  formatOpenedAt,
  incidentRef,
  isAboutNoIncident,
  levelLabel,
  linkActions,
  markdownHostLink,
  markdownLink,
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
import { charCount, truncateChars } from "../safe-error-text.js";

/** A Discord webhook URL; its token is a secret. */
export type DiscordConfig = UrlConfig;

/** Discord's webhook limits (ecosystem §5.2). */
export const DISCORD_LIMITS = {
  contentChars: 2000,
  titleChars: 256,
  descriptionChars: 4096,
  fields: 25,
  fieldNameChars: 256,
  fieldValueChars: 1024,
  embedTotalChars: 6000,
} as const;

// Alertmanager's red and green, and an orange for "someone is on it".
const COLORS: Record<IncidentMessage["state"], number> = {
  triggered: 0x992d22,
  acknowledged: 0xe67e22,
  resolved: 0x2d7d46,
};
const EMOJI: Record<IncidentMessage["state"], string> = {
  triggered: "🔴",
  acknowledged: "🟠",
  resolved: "✅",
};
const FOOTER = "Firebreak";
// Discord's own blurple: a notice is no incident, so none of the state colours.
const NOTICE_COLOR = 0x5865f2;

interface EmbedField {
  name: string;
  value: string;
  inline: boolean;
}

/**
 * Text from alert sources, for where Discord renders markdown (content, field values): a masked link
 * `[Acknowledge](https://…)` in an alert summary would show as a link to anywhere, so `[` and `]` are
 * escaped (and `\`, so that text cannot undo the escape). Mentions are off via allowed_mentions.
 */
export const escapeDiscordLinks = (text: string): string => text.replace(/[\\[\]]/g, "\\$&");

/**
 * An alert's link: its text as escaped plain text, then a link that shows the host it leads to. As a
 * link's label the alert's text could read "Acknowledge" or a Firebreak URL and lead anywhere.
 */
const alertLink = (link: { href: string; text: string }): string =>
  link.text === link.href
    ? markdownHostLink(link.href)
    : `${escapeDiscordLinks(truncateChars(link.text, 100))}: ${markdownHostLink(link.href)}`;

/** Discord accepts no empty field value. */
const fieldValue = (value: string): string =>
  truncateChars(value.trim() === "" ? "—" : escapeDiscordLinks(value.trim()), DISCORD_LIMITS.fieldValueChars);

export function discordPayload(m: IncidentMessage): object {
  if (isAboutNoIncident(m)) return discordNoticePayload(m);
  const title = truncateChars(`${incidentRef(m)}: ${singleLine(m.title)}`, DISCORD_LIMITS.titleChars);
  const emoji = EMOJI[m.state];

  const status = eventLabel(m) === stateLabel(m) ? [] : [stateLabel(m)];
  const lines = [
    [`**${eventLabel(m)}**`, ...status, levelLabel(m), escapeDiscordLinks(singleLine(m.serviceName))].join(
      " · ",
    ),
  ];
  const actions = linkActions(m).map((a) => markdownLink(a.label, a.url));
  if (actions.length > 0) lines.push(actions.join(" · "));
  const links = safeLinks(m).map(alertLink);
  if (links.length > 0) lines.push(`Links: ${links.join(" · ")}`);
  let description = truncateChars(lines.join("\n"), DISCORD_LIMITS.descriptionChars);

  let fields: EmbedField[] = [{ name: "Opened", value: formatOpenedAt(m.openedAt), inline: true }];
  if (m.recipientName !== null)
    fields.push({ name: "For", value: fieldValue(singleLine(m.recipientName)), inline: true });
  for (const d of m.details) {
    const value = fieldValue(multilineText(d.value));
    fields.push({
      name: truncateChars(escapeDiscordLinks(singleLine(d.label)) || "—", DISCORD_LIMITS.fieldNameChars),
      value,
      inline: value.length <= 40,
    });
  }
  fields = fields.slice(0, DISCORD_LIMITS.fields);

  ({ fields, description } = withinEmbedTotal(title, description, fields));

  const url = safeHttpUrl(m.incidentUrl);
  return {
    content: truncateChars(
      `${emoji} **${incidentRef(m)}** ${eventLabel(m).toLowerCase()}: ${escapeDiscordLinks(singleLine(m.title))}`,
      300,
    ),
    embeds: [
      {
        title,
        description,
        ...(url === null ? {} : { url }),
        color: COLORS[m.state],
        fields,
        timestamp: m.openedAt.toISOString(),
        footer: { text: FOOTER },
      },
    ],
    // Alert text must never ping @everyone or a role.
    allowed_mentions: { parse: [] },
  };
}

/**
 * All text of an embed together must stay within 6000 characters: drop fields from the end, then
 * shorten the description. Counted in code points, as truncateChars cuts: Discord's API (Python)
 * measures text so, not in UTF-16 units (discord-api-docs#1315).
 */
function withinEmbedTotal(
  title: string,
  description: string,
  fields: EmbedField[],
): { description: string; fields: EmbedField[] } {
  const kept = [...fields];
  const fieldChars = (f: EmbedField): number => charCount(f.name) + charCount(f.value);
  const fixedChars = charCount(title) + charCount(FOOTER);
  let total = fixedChars + charCount(description) + kept.reduce((n, f) => n + fieldChars(f), 0);
  while (total > DISCORD_LIMITS.embedTotalChars && kept.length > 0) total -= fieldChars(kept.pop()!);
  if (total > DISCORD_LIMITS.embedTotalChars)
    description = truncateChars(description, Math.max(1, DISCORD_LIMITS.embedTotalChars - fixedChars));
  return { description, fields: kept };
}

/** A notice or test: headline, facts, one link named for what it opens; no incident fields or colour. */
function discordNoticePayload(m: IncidentMessage): object {
  const headline = noticeHeadline(m);
  const title = truncateChars(headline, DISCORD_LIMITS.titleChars);
  const emoji = noticeEmoji(m);
  const link = noticeLink(m);
  const lead = noticeLead(m);
  const lines = [`**${noticeLabel(m)}**`, ...(lead === null ? [] : [lead])];
  if (link !== null) lines.push(markdownLink(link.label, link.url));
  const links = safeLinks(m).map(alertLink);
  if (links.length > 0) lines.push(`Links: ${links.join(" · ")}`);
  const fields = noticeFacts(m)
    .slice(0, DISCORD_LIMITS.fields)
    .map((f) => {
      const value = fieldValue(f.value);
      return {
        name: truncateChars(escapeDiscordLinks(f.label) || "—", DISCORD_LIMITS.fieldNameChars),
        value,
        inline: value.length <= 40,
      };
    });
  const fitted = withinEmbedTotal(
    title,
    truncateChars(lines.join("\n"), DISCORD_LIMITS.descriptionChars),
    fields,
  );
  return {
    content: truncateChars(`${emoji} ${escapeDiscordLinks(headline)}`, 300),
    embeds: [
      {
        title,
        description: fitted.description,
        ...(link === null ? {} : { url: link.url }),
        color: NOTICE_COLOR,
        fields: fitted.fields,
        footer: { text: FOOTER },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** Discord's 429 body says how long to wait, in (fractional) seconds: `{"retry_after": 1.5}`. */
export function discordRetryAfter(bodyText: string): number | undefined {
  try {
    const value = (JSON.parse(bodyText) as { retry_after?: unknown }).retry_after;
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
  } catch {
    return undefined;
  }
}

export const discordNotifier: Notifier<DiscordConfig> = jsonPostNotifier({
  kind: "discord",
  label: "Discord webhook",
  payload: discordPayload,
  // Without ?wait=true Discord answers 204 and no message id; we never edit, so none is needed.
  retryAfterFromBody: discordRetryAfter,
});
