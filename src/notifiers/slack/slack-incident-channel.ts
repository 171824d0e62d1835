import type {
  ChannelCallOptions,
  ChannelPostOptions,
  IncidentChannelApi,
  SharedChannelRef,
} from "../../app/ports/incident-channel.js";
import { NotifyError } from "../contract.js";
import { multilineText } from "../../core/clean-text.js";
import {
  callSlackWebApi,
  parseSlackExternalId,
  SlackApiError,
  slackExternalId,
  type SlackWebApiAuth,
} from "./slack-app.js";
import { startStallTolerantTimer } from "../stall-tolerant-timer.js";
import { slackNotifier } from "./slack-notifier.js";
import { mrkdwn } from "./slack-text.js";

/**
 * The incident channel over Slack's Web API: conversations.create, conversations.invite and
 * chat.postMessage with the server's bot token; posts to a shared Slack app channel (in the thread of
 * the incident's message) use that channel's own token. Errors are NotifyErrors without tokens.
 *
 * A call whose answer was lost may still have happened, and the job runs it again. So a taken name is
 * looked up (users.conversations) and adopted when this bot created it, and a retried post first looks
 * for its own message (conversations.history/replies, by the idempotency key in its metadata).
 */

export interface SlackIncidentChannelSettings {
  /**
   * The Slack app's bot token (xoxb-…) with channels:manage, channels:write.invites and chat:write, plus
   * channels:read and channels:history to find its channel and messages after a lost answer; unset: no channels.
   */
  readonly botToken: string | undefined;
  readonly apiBaseUrl: string;
  /** One Web API call gives up after this long (tests shorten it). */
  readonly callTimeoutMs?: number;
  /** One operation (a create with its look-ups, a post with its check) gives up after this long. */
  readonly operationTimeoutMs?: number;
}

// Passed to httpPost as its timeout: a signal's own deadline would lose to httpPost's 10 s default.
const CALL_TIMEOUT_MS = 15_000;
// Under the job runner's default lease (60 s), so that a hung Slack cannot outlive the job's claim.
const OPERATION_TIMEOUT_MS = 45_000;
const MAX_NAME_LENGTH = 80;
const NAME_ATTEMPTS = 5;
// Slack truncates longer text (chat.postMessage docs); cutting here keeps entities and emoji whole.
const POST_TEXT_CHARS = 40_000;
const FALLBACK_NAME = "incident";
// users.conversations takes at most 999 a page; 20 pages cover any bot's open channels.
const CHANNEL_PAGE_LIMIT = 999;
const CHANNEL_MAX_PAGES = 20;
// conversations.history/replies default page; the look-up starts at the job's enqueue time, so few pages.
const MESSAGE_PAGE_LIMIT = 100;
const MESSAGE_MAX_PAGES = 10;
// Slack's clock and ours may differ; a look-up starting a little early only reads a few more messages.
const CLOCK_SKEW_MS = 5 * 60_000;
/** The metadata event type of Firebreak's channel posts (Slack message metadata: event_type + event_payload). */
export const POST_EVENT_TYPE = "firebreak_channel_post";
// Slack's codes for a passing trouble: the look-up is tried again. Any other code (a missing scope, a
// channel or thread it cannot read) means the look-up cannot work, and the old behaviour goes on.
const TRANSIENT_CODES = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

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

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const listOf = (answer: Fields, key: string): Fields[] =>
  Array.isArray(answer[key]) ? (answer[key] as unknown[]).filter(isFields) : [];
const nextCursorOf = (answer: Fields): string => {
  const meta = answer.response_metadata;
  return isFields(meta) && typeof meta.next_cursor === "string" ? meta.next_cursor : "";
};
const lookupImpossible = (err: unknown) =>
  err instanceof SlackApiError && !TRANSIENT_CODES.has(err.slackError);
/** Slack's `ts` form of an instant: seconds with six decimals. */
const slackTsOf = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(6);

const messageIdOf = (method: string, answer: Fields, channel: string): string => {
  if (typeof answer.ts !== "string" || answer.ts === "")
    throw new NotifyError(`Slack ${method}: answer without a message ts`, {
      retryable: true,
      reason: "server",
    });
  return slackExternalId(typeof answer.channel === "string" ? answer.channel : channel, answer.ts);
};

const channelUrlOf = (channelId: string) =>
  `https://slack.com/app_redirect?channel=${encodeURIComponent(channelId)}`;

const carriesKey = (message: Fields, key: string): boolean => {
  const metadata = message.metadata;
  if (!isFields(metadata) || metadata.event_type !== POST_EVENT_TYPE) return false;
  return isFields(metadata.event_payload) && metadata.event_payload.idempotency_key === key;
};

/**
 * Runs `work` with a signal that aborts when the caller's does or after `timeoutMs`: a plain timer
 * cleared on return, like the notification sender's deadline.
 */
async function withDeadline<T>(
  caller: AbortSignal | undefined,
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const abort = () => deadline.abort();
  // A stall of this process does not count: Slack's answer may be waiting unread in the socket.
  const timer = startStallTolerantTimer(abort, timeoutMs);
  if (caller?.aborted) abort();
  else caller?.addEventListener("abort", abort, { once: true });
  try {
    return await work(deadline.signal);
  } finally {
    timer.clear();
    caller?.removeEventListener("abort", abort);
  }
}

export function slackIncidentChannels(settings: SlackIncidentChannelSettings): IncidentChannelApi {
  const token = settings.botToken;
  const callTimeoutMs = settings.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const operationTimeoutMs = settings.operationTimeoutMs ?? OPERATION_TIMEOUT_MS;
  /** The bot's own user id (auth.test), asked once: Slack names it as the creator of its channels. */
  let botUserId: string | undefined;

  const app = (): SlackWebApiAuth => {
    if (!token)
      throw new NotifyError("no Slack bot token is configured (FIREBREAK_SLACK_BOT_TOKEN)", {
        retryable: false,
        reason: "config",
      });
    return { botToken: token, apiBaseUrl: settings.apiBaseUrl };
  };
  const call = (method: string, auth: SlackWebApiAuth, body: object, signal: AbortSignal) =>
    callSlackWebApi(method, auth, body, { signal, timeoutMs: callTimeoutMs });
  const read = (method: string, auth: SlackWebApiAuth, params: Record<string, string>, signal: AbortSignal) =>
    callSlackWebApi(method, auth, params, { signal, timeoutMs: callTimeoutMs, form: true });

  /** The open public channels this bot created, by name (it is their creator; names are unique). */
  async function ownChannels(signal: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const auth = app();
    if (botUserId === undefined) {
      const me = (await read("auth.test", auth, {}, signal)).user_id;
      if (typeof me !== "string" || me === "") return new Map();
      botUserId = me;
    }
    // The bot's own channels (users.conversations), not the workspace's: a page or two, Tier 3.
    const byName = new Map<string, string>();
    let cursor = "";
    for (let page = 1; page <= CHANNEL_MAX_PAGES; page++) {
      const answer = await read(
        "users.conversations",
        auth,
        {
          types: "public_channel",
          exclude_archived: "true",
          limit: String(CHANNEL_PAGE_LIMIT),
          ...(cursor !== "" && { cursor }),
        },
        signal,
      );
      for (const c of listOf(answer, "channels"))
        if (c.creator === botUserId && typeof c.name === "string" && typeof c.id === "string" && c.id !== "")
          byName.set(c.name, c.id);
      cursor = nextCursorOf(answer);
      if (cursor === "") break;
    }
    return byName;
  }

  /** The messageId of the post carrying `options.idempotencyKey`, if an earlier attempt made it. */
  async function earlierPost(
    auth: SlackWebApiAuth,
    channel: string,
    threadTs: string | null,
    options: ChannelPostOptions,
    signal: AbortSignal,
  ): Promise<string | null> {
    const method = threadTs === null ? "conversations.history" : "conversations.replies";
    const params = {
      channel,
      include_all_metadata: "true",
      limit: String(MESSAGE_PAGE_LIMIT),
      ...(threadTs !== null && { ts: threadTs }),
      ...(options.notBefore && { oldest: slackTsOf(options.notBefore.getTime() - CLOCK_SKEW_MS) }),
    };
    try {
      let cursor = "";
      for (let page = 1; page <= MESSAGE_MAX_PAGES; page++) {
        const answer = await read(method, auth, { ...params, ...(cursor !== "" && { cursor }) }, signal);
        const found = listOf(answer, "messages").find((m) => carriesKey(m, options.idempotencyKey));
        if (found && typeof found.ts === "string") return slackExternalId(channel, found.ts);
        cursor = nextCursorOf(answer);
        if (cursor === "") return null;
      }
      return null;
    } catch (err) {
      // Cannot read the channel (scope, membership): post; a duplicate beats a lost message.
      if (lookupImpossible(err)) return null;
      throw err;
    }
  }

  /** chat.postMessage with the post's key in its metadata; on a retry, only if no attempt posted yet. */
  async function postOnce(
    auth: SlackWebApiAuth,
    channel: string,
    threadTs: string | null,
    text: string,
    options: ChannelPostOptions | undefined,
  ): Promise<{ messageId: string }> {
    return withDeadline(options?.signal, operationTimeoutMs, async (signal) => {
      if (options?.mayHavePosted) {
        const earlier = await earlierPost(auth, channel, threadTs, options, signal);
        if (earlier !== null) return { messageId: earlier };
      }
      const answer = await call(
        "chat.postMessage",
        auth,
        {
          channel,
          // Timeline text holds alert titles and what people typed: cleaned as every notifier cleans it.
          text: mrkdwn(multilineText(text), POST_TEXT_CHARS),
          ...(threadTs !== null && { thread_ts: threadTs }),
          unfurl_links: false,
          unfurl_media: false,
          ...(options && {
            metadata: {
              event_type: POST_EVENT_TYPE,
              event_payload: { idempotency_key: options.idempotencyKey },
            },
          }),
        },
        signal,
      );
      return { messageId: messageIdOf("chat.postMessage", answer, channel) };
    });
  }

  return {
    createsChannels: Boolean(token),

    createChannel(name, options?: ChannelCallOptions) {
      return withDeadline(options?.signal, operationTimeoutMs, async (signal) => {
        // Read once per call, at the first taken name; a lost answer of this call cannot be in it.
        let own: ReadonlyMap<string, string> | undefined;
        for (let attempt = 1; ; attempt++) {
          const suffix = attempt === 1 ? "" : `-${attempt}`;
          const tried = slackChannelName(name, suffix);
          try {
            const answer = await call(
              "conversations.create",
              app(),
              { name: tried, is_private: false },
              signal,
            );
            const channel = (answer.channel ?? {}) as { id?: unknown; name?: unknown };
            if (typeof channel.id !== "string" || channel.id === "")
              throw new NotifyError("Slack conversations.create: answer without a channel id", {
                retryable: true,
                reason: "server",
              });
            return {
              channelId: channel.id,
              name: typeof channel.name === "string" ? channel.name : tried,
              url: channelUrlOf(channel.id),
            };
          } catch (err) {
            if ((err as { slackError?: unknown }).slackError !== "name_taken") throw err;
          }
          // Taken, maybe by this very channel: an earlier attempt created it and its answer was lost.
          own ??= await ownChannels(signal).catch((err: unknown) => {
            if (lookupImpossible(err)) return new Map<string, string>();
            throw err;
          });
          const ownId = own.get(tried);
          if (ownId !== undefined) return { channelId: ownId, name: tried, url: channelUrlOf(ownId) };
          if (attempt >= NAME_ATTEMPTS)
            throw new NotifyError(
              `Slack conversations.create: ${slackChannelName(name)} and ${NAME_ATTEMPTS - 1} variants are taken`,
              { retryable: false, reason: "client" },
            );
        }
      });
    },

    async invite(channelId, memberIds, options?: ChannelCallOptions) {
      if (memberIds.length === 0) return;
      await withDeadline(options?.signal, operationTimeoutMs, async (signal) => {
        try {
          // force: invite the valid ones even if one id is unknown.
          await call(
            "conversations.invite",
            app(),
            { channel: channelId, users: memberIds.join(","), force: true },
            signal,
          );
        } catch (err) {
          if ((err as { slackError?: unknown }).slackError === "already_in_channel") return;
          throw err;
        }
      });
    },

    async post(channelId, text, options?: ChannelPostOptions) {
      return postOnce(app(), channelId, null, text, options);
    },

    postsToSharedChannel(channel: SharedChannelRef) {
      if (channel.kind !== "slack") return false;
      try {
        return slackNotifier.parseConfig(channel.config).mode === "app";
      } catch {
        return false;
      }
    },

    async postToSharedChannel(channel, parentMessageId, text, options?: ChannelPostOptions) {
      const config = slackNotifier.parseConfig(channel.config);
      if (config.mode !== "app")
        throw new NotifyError("the shared channel is not a Slack app channel", {
          retryable: false,
          reason: "config",
        });
      const parent = parentMessageId === null ? null : parseSlackExternalId(parentMessageId);
      const auth = { botToken: config.botToken, apiBaseUrl: config.apiBaseUrl };
      return postOnce(auth, parent?.channel ?? config.channel, parent?.ts ?? null, text, options);
    },
  };
}
