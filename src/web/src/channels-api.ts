// Changing and deleting shared channels (Settings → Channels). Listing, creating and testing them are
// in alerting-api.ts; the settings go in and never come back, so a change replaces them whole or not at all.
import type { Channel } from "./alerting-api";
import { request } from "./api";

export interface ChannelChanges {
  name?: string;
  /** With `config`: another kind needs its own settings. */
  kind?: string;
  /** Replaces every setting; left out, the settings are kept. */
  config?: Record<string, unknown>;
}

const id = encodeURIComponent;

export const channelEdits = {
  updateChannel: (channelId: string, changes: ChannelChanges) =>
    request<Channel>("PATCH", `/api/v1/channels/${id(channelId)}`, changes),
  deleteChannel: (channelId: string) => request<void>("DELETE", `/api/v1/channels/${id(channelId)}`),
};
