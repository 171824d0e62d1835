import type { IncidentMessage } from "../core/notifications/incident-message.js";
import type { NotifierConfigField } from "../core/notifications/config-field-names.js";
import { ConfigFields } from "./config-fields.js";
import type { Notifier } from "./contract.js";
import { hostOf, httpPost } from "./http-post.js";

/** The settings of a channel that is only a URL to POST JSON to (Teams workflows, Discord webhooks). */
export interface UrlConfig {
  /** The URL carries the channel's secret; it never appears in errors or descriptions. */
  readonly url: string;
}

/**
 * A channel that POSTs one JSON payload per message to a URL and keeps no id of what it sent.
 * `label` names it in errors and descriptions, e.g. "Discord webhook".
 */
export function jsonPostNotifier(options: {
  readonly kind: string;
  readonly label: string;
  readonly payload: (message: IncidentMessage) => unknown;
  readonly retryAfterFromBody?: (bodyText: string) => number | undefined;
}): Notifier<UrlConfig> {
  return {
    kind: options.kind,
    parseConfig(raw: unknown): UrlConfig {
      const fields = new ConfigFields<NotifierConfigField<"teams" | "discord">>(raw);
      const url = fields.requiredHttpUrl("url");
      fields.done();
      return { url };
    },
    async send(message, config, context) {
      await httpPost({
        channel: options.label,
        url: config.url,
        body: JSON.stringify(options.payload(message)),
        headers: { "Content-Type": "application/json" },
        signal: context.signal,
        ...(options.retryAfterFromBody && { retryAfterFromBody: options.retryAfterFromBody }),
      });
      return { externalId: null };
    },
    describe: (config) => `${options.label} (${hostOf(config.url)})`,
  };
}
