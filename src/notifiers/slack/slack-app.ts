import type { IncidentMessage } from "../../core/notifications/incident-message.js";
import { NotifyError, type SendContext, type SendResult } from "../contract.js";
import { hostOf, httpPost, parseRetryAfterSeconds } from "../http-post.js";
import { sanitizeSnippet } from "../safe-error-text.js";
import { renderSlackMessage } from "./slack-blocks.js";

export const DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api";

export interface SlackAppConfig {
  readonly mode: "app";
  /** Bot token (xoxb-…) with chat:write. */
  readonly botToken: string;
  /** Channel id (C0ALERTS) or name (#alerts); the id Slack answers with is what updates use. */
  readonly channel: string;
  /** Web API base, `https://slack.com/api` unless a test points it elsewhere. */
  readonly apiBaseUrl: string;
}

/** A Web API call that Slack answered with `ok: false`; `slackError` is its error code. */
export class SlackApiError extends NotifyError {
  readonly slackError: string;

  constructor(message: string, slackError: string, options: ConstructorParameters<typeof NotifyError>[1]) {
    super(message, options);
    this.name = "SlackApiError";
    this.slackError = slackError;
  }
}

const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "missing_scope",
  "no_permission",
  "not_allowed_token_type",
  "access_denied",
  "team_access_not_granted",
  "ekm_access_denied",
]);
// Sending the same request again gets the same answer (codes from each method's documented list).
const CLIENT_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "msg_too_long",
  "msg_blocks_too_long",
  "invalid_blocks",
  "invalid_blocks_format",
  "no_text",
  "too_many_attachments",
  "invalid_arguments",
  "invalid_arg_name",
  "invalid_json",
  "json_not_object",
  "restricted_action",
  // chat.update
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  // conversations.create: a name Slack refuses is refused on every retry
  "invalid_name",
  "invalid_name_maxlength",
  "invalid_name_punctuation",
  "invalid_name_required",
  "invalid_name_specials",
  "no_channel",
  // conversations.invite
  "user_not_found",
  "cant_invite",
  "cant_invite_self",
  "no_user",
  "user_is_restricted",
  "user_is_ultra_restricted",
  "ura_max_channels",
  "method_not_supported_for_channel_type",
]);

/** Classifies a Slack Web API error code: rate limit and unknown codes retry; auth and request errors do not. */
export function slackApiError(
  method: string,
  host: string,
  slackError: string,
  secrets: readonly string[] = [],
  retryAfterSeconds?: number,
): SlackApiError {
  const code = sanitizeSnippet(slackError, secrets, 80) || "unknown_error";
  const message = `Slack ${method} (${host}): ${code}`;
  const after = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (code === "ratelimited" || code === "rate_limited")
    return new SlackApiError(message, code, { retryable: true, reason: "rate_limited", ...after });
  if (AUTH_ERRORS.has(code)) return new SlackApiError(message, code, { retryable: false, reason: "auth" });
  if (CLIENT_ERRORS.has(code))
    return new SlackApiError(message, code, { retryable: false, reason: "client" });
  return new SlackApiError(message, code, { retryable: true, reason: "server", ...after });
}

/** `C0ALERTS:1740907512.000100` — what chat.update needs to find the message again. */
export const slackExternalId = (channelId: string, ts: string): string => `${channelId}:${ts}`;

export function parseSlackExternalId(externalId: string): { channel: string; ts: string } | null {
  const at = externalId.lastIndexOf(":");
  if (at <= 0 || at === externalId.length - 1) return null;
  return { channel: externalId.slice(0, at), ts: externalId.slice(at + 1) };
}

/** Posts a new message with interactive Acknowledge/Resolve buttons; externalId = `channel:ts`. */
export async function postSlackMessage(
  message: IncidentMessage,
  config: SlackAppConfig,
  context: SendContext,
): Promise<SendResult> {
  const body = {
    channel: config.channel,
    ...renderSlackMessage(message, { interactive: true }),
    unfurl_links: false,
    unfurl_media: false,
  };
  const answer = await callSlackApi("chat.postMessage", config, body, context);
  return { externalId: slackExternalId(answer.channel ?? config.channel, answer.ts) };
}

/** Replaces the message posted earlier (state changed, buttons go). Same externalId back. */
export async function updateSlackMessage(
  message: IncidentMessage,
  config: SlackAppConfig,
  externalId: string,
  context: SendContext,
): Promise<SendResult> {
  const target = parseSlackExternalId(externalId);
  if (target === null) {
    throw new NotifyError("Slack chat.update: the earlier message id is not of the form channel:ts", {
      retryable: false,
      reason: "client",
    });
  }
  const body = {
    channel: target.channel,
    ts: target.ts,
    ...renderSlackMessage(message, { interactive: true }),
  };
  const answer = await callSlackApi("chat.update", config, body, context);
  return { externalId: slackExternalId(answer.channel ?? target.channel, answer.ts) };
}

interface SlackOkAnswer {
  readonly channel: string | undefined;
  readonly ts: string;
}

async function callSlackApi(
  method: string,
  config: SlackAppConfig,
  body: object,
  context: SendContext,
): Promise<SlackOkAnswer> {
  const fields = await callSlackWebApi(method, config, body, { signal: context.signal });
  if (typeof fields.ts !== "string" || fields.ts === "") {
    throw new NotifyError(`Slack ${method} (${hostOf(config.apiBaseUrl)}): answer without a message ts`, {
      retryable: true,
      reason: "server",
    });
  }
  return {
    channel: typeof fields.channel === "string" && fields.channel !== "" ? fields.channel : undefined,
    ts: fields.ts,
  };
}

/** What a Web API call needs: the bot token and where the API is. */
export interface SlackWebApiAuth {
  readonly botToken: string;
  readonly apiBaseUrl: string;
}

/**
 * One Web API call: a JSON body, the token as Bearer (never in the URL, the body or an error). Slack
 * answers most failures with HTTP 200 and `ok: false`; those become a SlackApiError with its code.
 */
export async function callSlackWebApi(
  method: string,
  auth: SlackWebApiAuth,
  body: object,
  options: {
    readonly signal: AbortSignal;
    readonly timeoutMs?: number;
    /**
     * Form-encoded instead of JSON (string fields only): Slack ignores a JSON body on some read
     * methods (conversations.replies answers invalid_arguments, conversations.list drops `types`).
     */
    readonly form?: boolean;
  },
): Promise<Record<string, unknown>> {
  const url = `${auth.apiBaseUrl.replace(/\/+$/, "")}/${method}`;
  const host = hostOf(url);
  const response = await httpPost({
    channel: `Slack ${method}`,
    url,
    body: options.form
      ? new URLSearchParams(body as Record<string, string>).toString()
      : JSON.stringify(body),
    headers: {
      "Content-Type": options.form ? "application/x-www-form-urlencoded" : "application/json; charset=utf-8",
      Authorization: `Bearer ${auth.botToken}`,
    },
    signal: options.signal,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    secrets: [auth.botToken],
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
  if (fields.ok !== true) {
    // Slack may say when to come back on a 200 too (its rate-limit docs: "Retry-After").
    const retryAfterSeconds = parseRetryAfterSeconds(response.headers.get("retry-after"), Date.now());
    throw slackApiError(
      method,
      host,
      typeof fields.error === "string" ? fields.error : "unknown_error",
      [auth.botToken],
      retryAfterSeconds,
    );
  }
  return fields;
}
