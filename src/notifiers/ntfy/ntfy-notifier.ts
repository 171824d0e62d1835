import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { NotifierConfigField } from "../../core/notifications/config-field-names.js";
import { ConfigFields } from "../config-fields.js";
import type { Notifier, SendContext, SendResult } from "../contract.js";
import { hostOf, httpPost } from "../http-post.js";
import { noticeEmoji, noticeHeadline, noticeLink, renderNoticeText } from "../render-notice.js";
import {
  isAboutNoIncident,
  linkActions,
  renderPlainText,
  safeHttpUrl,
  titleLine,
  truncateUtf8,
} from "../render-text.js";
import { truncateChars } from "../safe-error-text.js";

export interface NtfyConfig {
  /** The server's base URL (https://ntfy.sh, or a self-hosted one, path prefix allowed). */
  readonly serverUrl: string;
  /** On a public server the topic name is all that protects it: treated as a secret. */
  readonly topic: string;
  /** Access token (tk_…) for servers with access control. */
  readonly token: string | undefined;
}

/** ntfy turns longer bodies into attachments (ecosystem §5.3). */
export const NTFY_MAX_MESSAGE_BYTES = 4096;
const TITLE_MAX_CHARS = 250;
const TOPIC_SHAPE = /^[-_A-Za-z0-9]{1,64}$/;

const TAGS: Record<IncidentMessage["state"], string> = {
  triggered: "rotating_light",
  acknowledged: "eyes",
  resolved: "white_check_mark",
};

// ntfy's tags for the notice emojis (render-notice.ts), as its emoji short codes.
const NOTICE_TAGS: Record<string, string> = { "🧪": "test_tube", "🔔": "bell", "📅": "calendar" };

/** 5 (max) wakes a phone on do-not-disturb; only a page that is newly firing deserves it. */
export function ntfyPriority(m: IncidentMessage): 1 | 2 | 3 | 4 | 5 {
  const firing =
    m.state === "triggered" && (m.event === "triggered" || m.event === "escalated" || m.event === "reopened");
  if (!firing) return 3;
  return m.level === "page" ? 5 : m.level === "notify" ? 4 : 3;
}

/** ntfy's JSON publish body (POST to the server root). */
export function ntfyPayload(m: IncidentMessage, topic: string): object {
  if (isAboutNoIncident(m)) return ntfyNoticePayload(m, topic);
  const click = safeHttpUrl(m.incidentUrl);
  return {
    topic,
    title: truncateChars(titleLine(m), TITLE_MAX_CHARS),
    message: truncateUtf8(renderPlainText(m, { includeTitle: false }), NTFY_MAX_MESSAGE_BYTES),
    priority: ntfyPriority(m),
    tags: [TAGS[m.state]],
    ...(click === null ? {} : { click }),
    // ntfy shows at most three buttons; `clear` dismisses the notification once tapped.
    actions: linkActions(m)
      .slice(0, 3)
      .map((a) => ({ action: "view", label: a.label, url: a.url, clear: true })),
  };
}

/** A notice or test: its headline as the title, default priority, a tap opens what it is about. */
function ntfyNoticePayload(m: IncidentMessage, topic: string): object {
  const link = noticeLink(m);
  return {
    topic,
    title: truncateChars(noticeHeadline(m), TITLE_MAX_CHARS),
    message: truncateUtf8(renderNoticeText(m, { includeTitle: false }), NTFY_MAX_MESSAGE_BYTES),
    priority: ntfyPriority(m),
    tags: [NOTICE_TAGS[noticeEmoji(m)] ?? "calendar"],
    ...(link === null ? {} : { click: link.url }),
    actions: [],
  };
}

export const ntfyNotifier: Notifier<NtfyConfig> = {
  kind: "ntfy",

  parseConfig(raw: unknown): NtfyConfig {
    const fields = new ConfigFields<NotifierConfigField<"ntfy">>(raw);
    const serverUrl = fields.requiredHttpUrl("serverUrl");
    const topic = fields.requiredString("topic", 64);
    if (topic !== "" && !TOPIC_SHAPE.test(topic))
      fields.fail("topic", "may contain only letters, digits, - and _ (at most 64)");
    const token = fields.optionalString("token", 500);
    // It goes into a header: anything else would fail every send, retried as a network error.
    if (token !== undefined && !/^[\x21-\x7e]+$/.test(token))
      fields.fail("token", "may contain only printable ASCII, without spaces");
    fields.done();
    return { serverUrl, topic, token };
  },

  async send(message: IncidentMessage, config: NtfyConfig, context: SendContext): Promise<SendResult> {
    const url = new URL(config.serverUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/`;
    url.search = "";
    url.hash = "";
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (config.token !== undefined) headers.Authorization = `Bearer ${config.token}`;
    await httpPost({
      channel: "ntfy",
      url: url.href,
      body: JSON.stringify(ntfyPayload(message, config.topic)),
      headers,
      signal: context.signal,
      secrets: [config.topic, ...(config.token === undefined ? [] : [config.token])],
    });
    return { externalId: null };
  },

  describe(config: NtfyConfig): string {
    return `ntfy (${hostOf(config.serverUrl)})${config.token === undefined ? "" : ", with token"}`;
  },
};
