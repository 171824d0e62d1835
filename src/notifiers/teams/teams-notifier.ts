import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { Notifier } from "../contract.js";
import { jsonPostNotifier, type UrlConfig } from "../json-post-notifier.js";
import {
  eventLabel,
  formatOpenedAt,
  incidentRef,
  levelLabel,
  linkActions,
  safeHttpUrl,
  safeLinks,
  singleLine,
  stateLabel,
} from "../render-text.js";
import { truncateChars } from "../safe-error-text.js";

/** A Workflows "When a Teams webhook request is received" URL; its `sig` parameter is a secret. */
export type TeamsConfig = UrlConfig;

/** Teams refuses messages over about 28 KB; this leaves room for its own envelope. */
export const TEAMS_MAX_PAYLOAD_BYTES = 28_000;

const TITLE_COLOR: Record<IncidentMessage["state"], "Attention" | "Warning" | "Good"> = {
  triggered: "Attention",
  acknowledged: "Warning",
  resolved: "Good",
};

interface Budget {
  readonly titleChars: number;
  readonly valueChars: number;
  readonly detailCount: number;
  readonly linkCount: number;
}

/** Teams Workflows body: one Adaptive Card 1.4 attachment (ecosystem §5.1), cut to fit the size limit. */
export function teamsPayload(m: IncidentMessage, maxBytes = TEAMS_MAX_PAYLOAD_BYTES): object {
  let budget: Budget = {
    titleChars: 1000,
    valueChars: 2000,
    detailCount: m.details.length,
    linkCount: m.links.length,
  };
  for (;;) {
    const payload = renderPayload(m, budget);
    if (Buffer.byteLength(JSON.stringify(payload), "utf8") <= maxBytes) return payload;
    // Shed what matters least first: long values, then details, then links, then the title's tail.
    if (budget.valueChars > 200) budget = { ...budget, valueChars: 200 };
    else if (budget.detailCount > 0) budget = { ...budget, detailCount: Math.floor(budget.detailCount / 2) };
    else if (budget.linkCount > 0) budget = { ...budget, linkCount: Math.floor(budget.linkCount / 2) };
    else if (budget.titleChars > 200) budget = { ...budget, titleChars: 200, valueChars: 100 };
    else return payload;
  }
}

// Adaptive Card TextBlocks read a little markdown; link text and URLs must not break out of [..](..).
const markdownLink = (text: string, url: string): string =>
  `[${text.replace(/[[\]]/g, "")}](${url.replace(/\(/g, "%28").replace(/\)/g, "%29")})`;

function renderPayload(m: IncidentMessage, budget: Budget): object {
  const facts: Array<{ title: string; value: string }> = [
    { title: "Status", value: stateLabel(m) },
    { title: "Service", value: truncateChars(singleLine(m.serviceName), 200) },
    { title: "Level", value: levelLabel(m) },
    { title: "Opened", value: formatOpenedAt(m.openedAt) },
  ];
  if (m.recipientName !== null)
    facts.push({ title: "For", value: truncateChars(singleLine(m.recipientName), 200) });
  for (const d of m.details.slice(0, budget.detailCount)) {
    facts.push({
      title: truncateChars(singleLine(d.label), 100),
      value: truncateChars(d.value.trim(), budget.valueChars),
    });
  }
  const omitted = m.details.length - budget.detailCount;
  if (omitted > 0)
    facts.push({ title: "…", value: `${omitted} more detail${omitted === 1 ? "" : "s"} in the incident` });

  const body: object[] = [
    {
      type: "TextBlock",
      text: truncateChars(`${incidentRef(m)}: ${singleLine(m.title)}`, budget.titleChars),
      weight: "Bolder",
      size: "Medium",
      wrap: true,
      color: TITLE_COLOR[m.state],
    },
    {
      type: "TextBlock",
      text: `${eventLabel(m)} · ${levelLabel(m)}`,
      isSubtle: true,
      spacing: "None",
      wrap: true,
    },
    { type: "FactSet", facts },
  ];
  const links = safeLinks(m).slice(0, budget.linkCount);
  if (links.length > 0) {
    body.push({
      type: "TextBlock",
      text: links.map((l) => markdownLink(truncateChars(l.text, 100), l.href)).join(" · "),
      wrap: true,
    });
  }

  const actions: object[] = [];
  const open = safeHttpUrl(m.incidentUrl);
  if (open !== null) actions.push({ type: "Action.OpenUrl", title: "Open incident", url: open });
  for (const action of linkActions(m))
    actions.push({ type: "Action.OpenUrl", title: action.label, url: action.url });

  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          actions,
          msteams: { width: "Full" },
        },
      },
    ],
  };
}

export const teamsNotifier: Notifier<TeamsConfig> = jsonPostNotifier({
  kind: "teams",
  label: "Teams workflow",
  payload: teamsPayload,
});
