/**
 * The chat workspace behind an incident's channel (Slack's Web API, implemented in src/notifiers/slack).
 * Every call happens in a job, never inside a request; errors say whether a retry can help
 * (`retryable: false` will not succeed on a retry) and never carry tokens.
 */
export interface IncidentChannelApi {
  /** Whether Firebreak may create a channel per incident (the Slack app's bot token is configured). */
  readonly createsChannels: boolean;
  /**
   * Creates a public channel named `name`, or `name-2`… when taken; returns what the workspace made.
   * A taken name that is a channel this app made itself (an earlier attempt whose answer was lost) is
   * returned instead of making another. Only when `createsChannels`.
   */
  createChannel(
    name: string,
    options?: ChannelCallOptions,
  ): Promise<{ channelId: string; name: string; url: string | null }>;
  /** Invites members (workspace member ids) to the channel; those already in it are fine. */
  invite(channelId: string, memberIds: readonly string[], options?: ChannelCallOptions): Promise<void>;
  /** Posts plain text to a channel Firebreak created. */
  post(channelId: string, text: string, options?: ChannelPostOptions): Promise<{ messageId: string }>;
  /** Whether this shared channel (its kind and settings) takes posts through this API (a Slack app channel). */
  postsToSharedChannel(channel: SharedChannelRef): boolean;
  /**
   * Posts plain text to a shared channel with its own settings: in the thread of `parentMessageId`
   * (the incident's first message there, an externalId `channel:ts`) when given, else at the top.
   */
  postToSharedChannel(
    channel: SharedChannelRef,
    parentMessageId: string | null,
    text: string,
    options?: ChannelPostOptions,
  ): Promise<{ messageId: string }>;
}

export interface ChannelCallOptions {
  /** Aborts the call (the job must stop); the adapter also gives up after its own deadline. */
  readonly signal?: AbortSignal;
}

export interface ChannelPostOptions extends ChannelCallOptions {
  /** Same for every attempt of one post; the message carries it so that a retry can find it. */
  readonly idempotencyKey: string;
  /**
   * An earlier attempt may have posted (it failed or timed out after sending): the adapter looks for
   * the message carrying `idempotencyKey` before posting again. False on a first attempt: no look-up.
   */
  readonly mayHavePosted: boolean;
  /** No attempt of this post started before this instant (the job's enqueue time): bounds the look-up. */
  readonly notBefore?: Date;
}

export interface SharedChannelRef {
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** No chat workspace: every incident's key events go to its service's shared channel as messages. */
export const noIncidentChannels: IncidentChannelApi = {
  createsChannels: false,
  createChannel: () => Promise.reject(new Error("no Slack app is configured")),
  invite: () => Promise.resolve(),
  post: () => Promise.reject(new Error("no Slack app is configured")),
  postsToSharedChannel: () => false,
  postToSharedChannel: () => Promise.reject(new Error("no Slack app is configured")),
};
