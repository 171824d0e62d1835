import type { IncidentChannelApi, SharedChannelRef } from "../../app/ports/incident-channel.js";
import { NotifyError } from "../contract.js";
import { callSlackWebApi, parseSlackExternalId, slackExternalId, type SlackWebApiAuth } from "./slack-app.js";
import { slackNotifier } from "./slack-notifier.js";
import { mrkdwn } from "./slack-text.js";

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

// Passed to httpPost as its timeout: a signal's own deadline would lose to httpPost's 10 s default.
const CALL_TIMEOUT_MS = 15_000;
const MAX_NAME_LENGTH = 80;
const NAME_ATTEMPTS = 5;
// Slack truncates longer text (chat.postMessage docs); cutting here keeps entities and emoji whole.
const POST_TEXT_CHARS = 40_000;
const FALLBACK_NAME = "incident";

/**
 * Slack's naming rule (conversations.create): lowercase letters, digits, `-` and `_`, at most 80
 * characters. A name is made to fit rather than sent as is: Slack refuses it the same way on every retry.
 */
export function slackChannelName(name: string, suffix = ""): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  const base = /[a-z0-9]/.test(slug) ? slug : FALLBACK_NAME;
  const cut = base.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/-+$/, "");
  return `${cut}${suffix}`;
}

const call = (method: string, auth: SlackWebApiAuth, body: object) =>
  callSlackWebApi(method, auth, body, {
    signal: new AbortController().signal,
    timeoutMs: CALL_TIMEOUT_MS,
  });

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
    createsChannels: Boolean(token),

    async createChannel(name) {
      for (let attempt = 1; ; attempt++) {
        const suffix = attempt === 1 ? "" : `-${attempt}`;
        const tried = slackChannelName(name, suffix);
        try {
          const answer = await call("conversations.create", app(), { name: tried, is_private: false });
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
                `Slack conversations.create: ${slackChannelName(name)} and ${NAME_ATTEMPTS - 1} variants are taken`,
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
        await call("conversations.invite", app(), {
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
      const answer = await call("chat.postMessage", app(), {
        channel: channelId,
        text: mrkdwn(text, POST_TEXT_CHARS),
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
      const answer = await call(
        "chat.postMessage",
        { botToken: config.botToken, apiBaseUrl: config.apiBaseUrl },
        {
          channel: target,
          text: mrkdwn(text, POST_TEXT_CHARS),
          ...(parent && { thread_ts: parent.ts }),
          unfurl_links: false,
          unfurl_media: false,
        },
      );
      return { messageId: messageIdOf("chat.postMessage", answer, target) };
    },
  };
}
