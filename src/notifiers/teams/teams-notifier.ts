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
  safeHttpUrl,
  safeLinks,
  stateLabel,
} from "../render-text.js";
import { multilineText, singleLine } from "../../core/clean-text.js";
import { noticeFacts, noticeHeadline, noticeLabel, noticeLead, noticeLink } from "../render-notice.js";
import { truncateChars } from "../safe-error-text.js";

/** A Workflows "When a Teams webhook request is received" URL; its `sig` parameter is a secret. */
export type TeamsConfig = UrlConfig;

/** Teams refuses messages over about 28 KB; this leaves room for its own envelope. */
export const TEAMS_MAX_PAYLOAD_BYTES = 28_000;

type TitleColor = "Attention" | "Warning" | "Good";
const TITLE_COLOR: Record<IncidentMessage["state"], TitleColor> = {
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

/**
 * Teams Workflows body: one Adaptive Card 1.4 attachment (ecosystem §5.1), cut to fit the size limit.
 *
 * Text from alerts and people (title, service, names, detail labels and values, link labels) goes
 * only into TextRuns of RichTextBlocks (card version 1.2+): a TextRun's text is shown as it is, while
 * TextBlock text and FactSet titles and values read a markdown subset with no escape, so
 * `[Acknowledge](https://evil.example)` in an alert would become a live link. Bold, size and colour
 * are TextRun properties instead of markdown.
 */
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
    // Shed what matters least first: long values, links beyond the first ten (each is a row of its
    // own), then details, then links, then the title's tail.
    if (budget.valueChars > 200) budget = { ...budget, valueChars: 200 };
    else if (budget.linkCount > 10)
      budget = { ...budget, linkCount: Math.max(10, Math.floor(budget.linkCount / 2)) };
    else if (budget.detailCount > 0) budget = { ...budget, detailCount: Math.floor(budget.detailCount / 2) };
    else if (budget.linkCount > 0) budget = { ...budget, linkCount: Math.floor(budget.linkCount / 2) };
    else if (budget.titleChars > 200) budget = { ...budget, titleChars: 200, valueChars: 100 };
    else return payload;
  }
}

interface TextRun {
  readonly type: "TextRun";
  readonly text: string;
  readonly weight?: "Bolder";
  readonly size?: "Medium";
  readonly color?: TitleColor;
  readonly isSubtle?: boolean;
}

/** Literal text: TextRun renders no markdown. An empty run shows as "—" rather than nothing. */
const run = (text: string, style: Omit<TextRun, "type" | "text"> = {}): TextRun => ({
  type: "TextRun",
  text: text === "" ? "—" : text,
  ...style,
});

const richText = (inlines: readonly TextRun[], extra: Record<string, unknown> = {}): object => ({
  type: "RichTextBlock",
  inlines,
  ...extra,
});

/** "Service: checkout" with a bold label; both parts are literal. */
const fact = (title: string, value: string, first: boolean): object =>
  richText([run(`${title}: `, { weight: "Bolder" }), run(value)], first ? {} : { spacing: "None" });

/** "3 more details in the incident", where the budget left some out. */
const moreInTheIncident = (count: number, noun: string): object =>
  richText([run(`${count} more ${noun}${count === 1 ? "" : "s"} in the incident`, { isSubtle: true })], {
    spacing: "None",
  });

/** A notice or test: headline, facts and one link named for what it opens; no incident fields. */
function renderNoticeBody(m: IncidentMessage, budget: Budget): { body: object[]; actions: object[] } {
  const facts: object[] = [];
  const lead = noticeLead(m);
  if (lead !== null) facts.push(richText([run(lead)]));
  const all = noticeFacts(m);
  const shown = all.slice(0, budget.detailCount + (m.recipientName === null ? 0 : 1));
  shown.forEach((f, i) =>
    facts.push(
      fact(truncateChars(f.label, 100), truncateChars(f.value, budget.valueChars), i === 0 && lead === null),
    ),
  );
  const left = all.length - shown.length;
  if (left > 0)
    facts.push(richText([run(`${left} more detail${left === 1 ? "" : "s"} left out`, { isSubtle: true })]));
  const headline = run(truncateChars(noticeHeadline(m), budget.titleChars), {
    weight: "Bolder",
    size: "Medium",
  });
  const body: object[] = [
    richText([headline], { id: "title" }),
    { type: "TextBlock", text: noticeLabel(m), isSubtle: true, spacing: "None", wrap: true },
  ];
  if (facts.length > 0) body.push({ type: "Container", id: "facts", items: facts });
  const link = noticeLink(m);
  return {
    body,
    actions: link === null ? [] : [{ type: "Action.OpenUrl", title: link.label, url: link.url }],
  };
}

function renderPayload(m: IncidentMessage, budget: Budget): object {
  const { body, actions } = isAboutNoIncident(m)
    ? renderNoticeBody(m, budget)
    : renderIncidentBody(m, budget);
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          // RichTextBlock and TextRun need 1.2; Teams renders cards up to 1.5.
          version: "1.4",
          body,
          actions,
          msteams: { width: "Full" },
        },
      },
    ],
  };
}

function renderIncidentBody(m: IncidentMessage, budget: Budget): { body: object[]; actions: object[] } {
  const facts: object[] = [
    fact("Status", stateLabel(m), true),
    fact("Service", truncateChars(singleLine(m.serviceName), 200), false),
    fact("Level", levelLabel(m), false),
    fact("Opened", formatOpenedAt(m.openedAt), false),
  ];
  if (m.recipientName !== null)
    facts.push(fact("For", truncateChars(singleLine(m.recipientName), 200), false));
  for (const d of m.details.slice(0, budget.detailCount))
    facts.push(
      fact(
        truncateChars(singleLine(d.label), 100),
        truncateChars(multilineText(d.value), budget.valueChars),
        false,
      ),
    );
  const omitted = m.details.length - budget.detailCount;
  if (omitted > 0) facts.push(moreInTheIncident(omitted, "detail"));

  const body: object[] = [
    richText(
      [
        run(truncateChars(`${incidentRef(m)}: ${singleLine(m.title)}`, budget.titleChars), {
          weight: "Bolder",
          size: "Medium",
          color: TITLE_COLOR[m.state],
        }),
      ],
      { id: "title" },
    ),
    // Our own words only, so a TextBlock is safe here.
    {
      type: "TextBlock",
      text: `${eventLabel(m)} · ${levelLabel(m)}`,
      isSubtle: true,
      spacing: "None",
      wrap: true,
    },
    { type: "Container", id: "facts", items: facts },
  ];

  const allLinks = safeLinks(m);
  const links = allLinks.slice(0, budget.linkCount);
  if (links.length > 0) {
    const rows: object[] = links.map((l, i) => ({
      type: "ColumnSet",
      ...(i === 0 ? {} : { spacing: "None" }),
      columns: [
        { type: "Column", width: "auto", items: [richText([run(truncateChars(l.text, 100))])] },
        {
          type: "Column",
          width: "stretch",
          // The one markdown this card writes: a link whose visible text is the host it leads to.
          items: [{ type: "TextBlock", text: markdownHostLink(l.href), wrap: true }],
        },
      ],
    }));
    const omittedLinks = allLinks.length - links.length;
    if (omittedLinks > 0) rows.push(moreInTheIncident(omittedLinks, "link"));
    body.push({ type: "Container", id: "links", items: rows });
  }

  const actions: object[] = [];
  const open = safeHttpUrl(m.incidentUrl);
  if (open !== null) actions.push({ type: "Action.OpenUrl", title: "Open incident", url: open });
  for (const action of linkActions(m))
    actions.push({ type: "Action.OpenUrl", title: action.label, url: action.url });
  return { body, actions };
}

export const teamsNotifier: Notifier<TeamsConfig> = jsonPostNotifier({
  kind: "teams",
  label: "Teams workflow",
  payload: teamsPayload,
});
