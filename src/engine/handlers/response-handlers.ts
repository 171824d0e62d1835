import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { IncidentChannelApi } from "../../app/ports/incident-channel.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import type { StatusPublisher } from "../../app/ports/status-publisher.js";
import {
  inviteToIncidentChannel,
  openIncidentChannel,
  postToIncidentChannel,
} from "../../app/response/incident-channel-jobs.js";
import { noteAlertFiredDuringResponse } from "../../app/response/note-alert-fired.js";
import { publishPublicUpdate } from "../../app/response/public-updates.js";
import { sendResponseNotice } from "../../app/response/response-notices.js";
import {
  followUpJobKey,
  publicUpdateJobKey,
  runFollowUpReminder,
  runPublicUpdateReminder,
  runWatchEnd,
} from "../../app/response/response-timers.js";
import type { HandlerRegistry } from "../handler-registry.js";

export interface ResponsePorts {
  readonly sender: NotificationSender;
  readonly channels: IncidentChannelApi;
  readonly statusPublisher: StatusPublisher;
}

/**
 * Incident response timers and outbound work. The watch end is fenced by the fix number; the
 * reminders by holding their job key (a re-armed timer moved the key on); notices and posts carry
 * idempotency keys; channel jobs and publishing check the stored state before acting.
 */
export function registerResponseHandlers(
  registry: HandlerRegistry,
  deps: AlertingDeps,
  ports: ResponsePorts,
): HandlerRegistry {
  return registry
    .register("response.alert-fired", async (payload, { now, logger }) => {
      const outcome = await deps.uow.run((tx) =>
        noteAlertFiredDuringResponse(tx, payload.incidentId, new Date(payload.firedAtMs), now),
      );
      if (outcome === "regression") logger.info(payload, "regression after a fix: paging again");
    })
    .register("response.watch-end", async (payload, { now, logger }) => {
      const outcome = await deps.uow.run((tx) => runWatchEnd(tx, payload, now));
      logger.debug({ ...payload, outcome }, "watch after a fix ended");
    })
    .register("response.follow-up-reminder", async (payload, { now, key, logger }) => {
      if (key !== followUpJobKey(payload.incidentId, payload.fixNumber)) return;
      const outcome = await deps.uow.run((tx) => runFollowUpReminder(tx, payload, now));
      logger.debug({ ...payload, outcome }, "follow-up reminder ran");
    })
    .register("response.public-update-reminder", async (payload, { now, key, logger }) => {
      if (key !== publicUpdateJobKey(payload.incidentId)) return;
      const outcome = await deps.uow.run((tx) => runPublicUpdateReminder(tx, payload, now));
      logger.debug({ ...payload, outcome }, "public-update reminder ran");
    })
    .register("response.notice", (payload, context) =>
      sendResponseNotice(deps, ports.sender, payload, context),
    )
    .register("response.channel-open", ({ incidentId }, context) =>
      openIncidentChannel(deps, ports.channels, incidentId, context),
    )
    .register("response.channel-invite", (payload, context) =>
      inviteToIncidentChannel(deps, ports.channels, payload, context),
    )
    .register("response.channel-post", (payload, context) =>
      postToIncidentChannel(deps, ports.channels, ports.sender, payload, context),
    )
    .register("response.public-update-publish", (payload, context) =>
      publishPublicUpdate(deps, ports.statusPublisher, payload, context),
    );
}
