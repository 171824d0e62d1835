import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import type { NotifierConfigField } from "../../core/notifications/config-field-names.js";
import { ConfigFields } from "../config-fields.js";
import type { Notifier, SendContext, SendResult } from "../contract.js";
import { hostOf, httpPost } from "../http-post.js";
import {
  DEFAULT_SLACK_API_BASE_URL,
  parseSlackExternalId,
  postSlackMessage,
  SlackApiError,
  updateSlackMessage,
  type SlackAppConfig,
} from "./slack-app.js";
import { renderSlackMessage } from "./slack-blocks.js";

/** chat.update errors that say the earlier message cannot be updated by these settings. */
const UNREACHABLE_MESSAGE_ERRORS = new Set([
  "message_not_found",
  "channel_not_found",
  "not_in_channel",
  "cant_update_message",
]);

/** The earlier message is in another channel than the one the settings name now (by id; a name can't tell). */
function movedAway(previousExternalId: string, configuredChannel: string): boolean {
  const previous = parseSlackExternalId(previousExternalId);
  return (
    previous !== null &&
    /^[CGD][A-Z0-9]{2,}$/.test(configuredChannel) &&
    previous.channel !== configuredChannel
  );
}

export interface SlackWebhookConfig {
  readonly mode: "webhook";
  /** https://hooks.slack.com/services/T…/B…/… — a secret. */
  readonly url: string;
}

export type SlackConfig = SlackWebhookConfig | SlackAppConfig;

/**
 * SendContext plus the message to edit. Proposed as an optional field of SendContext itself; until
 * then the engine passes it here. Only app mode can edit (an incoming webhook returns no `ts`).
 */
export interface SlackSendContext extends SendContext {
  /** externalId of this incident's earlier message in this channel (`C0ALERTS:1740907512.000100`). */
  readonly previousExternalId?: string | null;
}

/** The Slack notifier also reads `previousExternalId` from its context. */
export interface SlackNotifier extends Notifier<SlackConfig> {
  send(message: IncidentMessage, config: SlackConfig, context: SlackSendContext): Promise<SendResult>;
}

export const slackNotifier: SlackNotifier = {
  kind: "slack",

  parseConfig(raw: unknown): SlackConfig {
    const fields = new ConfigFields<NotifierConfigField<"slack">>(raw);
    const mode = fields.oneOf("mode", ["webhook", "app"] as const);
    if (mode === undefined) return fields.rejected();
    if (mode === "webhook") {
      const url = fields.requiredHttpUrl("url");
      fields.done();
      return { mode, url };
    }
    const botToken = fields.requiredString("botToken", 500);
    if (/\s/.test(botToken)) fields.fail("botToken", "must not contain spaces");
    const channel = fields.requiredString("channel", 200);
    const apiBaseUrl = fields.optionalHttpUrl("apiBaseUrl") ?? DEFAULT_SLACK_API_BASE_URL;
    fields.done();
    return { mode, botToken, channel, apiBaseUrl };
  },

  async send(message: IncidentMessage, config: SlackConfig, context: SlackSendContext): Promise<SendResult> {
    if (config.mode === "webhook") {
      await httpPost({
        channel: "Slack webhook",
        url: config.url,
        body: JSON.stringify({
          ...renderSlackMessage(message, { interactive: false }),
          unfurl_links: false,
          unfurl_media: false,
        }),
        headers: { "Content-Type": "application/json" },
        signal: context.signal,
      });
      return { externalId: null };
    }
    const previous = context.previousExternalId;
    if (previous === undefined || previous === null || previous === "" || movedAway(previous, config.channel))
      return postSlackMessage(message, config, context);
    try {
      return await updateSlackMessage(message, config, previous, context);
    } catch (err) {
      // The message is gone or out of reach (deleted; the channel's settings changed to another channel,
      // workspace or app): post a fresh one rather than leave the channel without it.
      if (err instanceof SlackApiError && UNREACHABLE_MESSAGE_ERRORS.has(err.slackError))
        return postSlackMessage(message, config, context);
      throw err;
    }
  },

  describe(config: SlackConfig): string {
    if (config.mode === "webhook") return `Slack webhook (${hostOf(config.url)})`;
    const host = config.apiBaseUrl === DEFAULT_SLACK_API_BASE_URL ? "" : ` via ${hostOf(config.apiBaseUrl)}`;
    return `Slack app to ${config.channel}${host}`;
  },
};
