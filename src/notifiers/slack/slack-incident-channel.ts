import type { IncidentChannelApi, SharedChannelRef } from "../../app/ports/incident-channel.js";
import { NotifyError } from "../contract.js";
import { hostOf, httpPost } from "../http-post.js";
import { parseSlackExternalId, slackApiError, slackExternalId } from "./slack-app.js";
import { slackNotifier } from "./slack-notifier.js";

/**
 * The incident channel over Slack's Web API: conversations.create, conversations.invite and
 * chat.postMessage with the server's bot token; posts to a shared Slack app channel (in the thread of
 * the incident's message) use that channel's own token. Errors are NotifyErrors without tokens.
 */

export interface SlackIncidentChannelSettings {
  /** The Slack app's bot token (xoxb-…) with channels:manage, channels:write.invites and chat:write; unset: no channels. */
  readonly botToken: string | undefined;
  readonly apiBaseUrl: string;
}

const CALL_TIMEOUT_MS = 15_000;
const MAX_NAME_LENGTH = 80;
const NAME_ATTEMPTS = 5;

/** Slack mrkdwn treats `&`, `<` and `>` as markup: text from people is escaped. */
const escapeText = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

async function callWebApi(
  method: string,
  settings: { botToken: string; apiBaseUrl: string },
  body: object,
): Promise<Record<string, unknown>> {
  const url = `${settings.apiBaseUrl.replace(/\/+$/, "")}/${method}`;
  const host = hostOf(url);
  const response = await httpPost({
    channel: `Slack ${method}`,
    url,
    body: JSON.stringify(body),
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      Authorization: `Bearer ${settings.botToken}`,
    },
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    secrets: [settings.botToken],
  });
  let answer: unknown;
  try {
    answer = JSON.parse(response.bodyText);
  } catch {
    throw new NotifyError(`Slack ${method} (${host}): HTTP ${response.status} without a JSON answer`, {
      retryable: true,
      reason: "server",
    });
  }
  const fields = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  if (fields.ok !== true)
    throw slackApiError(method, host, typeof fields.error === "string" ? fields.error : "unknown_error", [
      settings.botToken,
    ]);
  return fields;
}

const messageIdOf = (method: string, answer: Record<string, unknown>, channel: string): string => {
  if (typeof answer.ts !== "string" || answer.ts === "")
    throw new NotifyError(`Slack ${method}: answer without a message ts`, {
      retryable: true,
      reason: "server",
    });
  return slackExternalId(typeof answer.channel === "string" ? answer.channel : channel, answer.ts);
};

export function slackIncidentChannels(settings: SlackIncidentChannelSettings): IncidentChannelApi {
  const token = settings.botToken;
  const app = () => {
    if (!token)
      throw new NotifyError("no Slack bot token is configured (FIREBREAK_SLACK_BOT_TOKEN)", {
        retryable: false,
        reason: "config",
      });
    return { botToken: token, apiBaseUrl: settings.apiBaseUrl };
  };
  return {
    createsChannels: token !== undefined,

    async createChannel(name) {
      for (let attempt = 1; ; attempt++) {
        const suffix = attempt === 1 ? "" : `-${attempt}`;
        const tried = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
        try {
          const answer = await callWebApi("conversations.create", app(), { name: tried, is_private: false });
          const channel = (answer.channel ?? {}) as { id?: unknown; name?: unknown };
          if (typeof channel.id !== "string" || channel.id === "")
            throw new NotifyError("Slack conversations.create: answer without a channel id", {
              retryable: true,
              reason: "server",
            });
          return {
            channelId: channel.id,
            name: typeof channel.name === "string" ? channel.name : tried,
            url: `https://slack.com/app_redirect?channel=${encodeURIComponent(channel.id)}`,
          };
        } catch (err) {
          const taken = (err as { slackError?: unknown }).slackError === "name_taken";
          if (!taken || attempt >= NAME_ATTEMPTS) {
            if (taken)
              throw new NotifyError(
                `Slack conversations.create: ${name} and ${NAME_ATTEMPTS - 1} variants are taken`,
                {
                  retryable: false,
                  reason: "client",
                },
              );
            throw err;
          }
        }
      }
    },

    async invite(channelId, memberIds) {
      if (memberIds.length === 0) return;
      try {
        // force: invite the valid ones even if one id is unknown.
        await callWebApi("conversations.invite", app(), {
          channel: channelId,
          users: memberIds.join(","),
          force: true,
        });
      } catch (err) {
        if ((err as { slackError?: unknown }).slackError === "already_in_channel") return;
        throw err;
      }
    },

    async post(channelId, text) {
      const answer = await callWebApi("chat.postMessage", app(), {
        channel: channelId,
        text: escapeText(text),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageId: messageIdOf("chat.postMessage", answer, channelId) };
    },

    postsToSharedChannel(channel: SharedChannelRef) {
      if (channel.kind !== "slack") return false;
      try {
        return slackNotifier.parseConfig(channel.config).mode === "app";
      } catch {
        return false;
      }
    },

    async postToSharedChannel(channel, parentMessageId, text) {
      const config = slackNotifier.parseConfig(channel.config);
      if (config.mode !== "app")
        throw new NotifyError("the shared channel is not a Slack app channel", {
          retryable: false,
          reason: "config",
        });
      const parent = parentMessageId === null ? null : parseSlackExternalId(parentMessageId);
      const target = parent?.channel ?? config.channel;
      const answer = await callWebApi(
        "chat.postMessage",
        { botToken: config.botToken, apiBaseUrl: config.apiBaseUrl },
        {
          channel: target,
          text: escapeText(text),
          ...(parent && { thread_ts: parent.ts }),
          unfurl_links: false,
          unfurl_media: false,
        },
      );
      return { messageId: messageIdOf("chat.postMessage", answer, target) };
    },
  };
}
