import { runMaintenanceTransition, syncMaintenancePaging } from "../../app/status/maintenance-jobs.js";
import { resolveStatusIncidentsWith } from "../../app/status/resolve-with-incident.js";
import type { StatusDeps } from "../../app/status/status-deps.js";
import {
  fanOutStatusNotice,
  sendStatusNotice,
  sendSubscriberConfirmation,
} from "../../app/status/status-notifications.js";
import type { HandlerRegistry } from "../handler-registry.js";

/**
 * Status-page jobs. Each subscriber send is a job of its own (retried with backoff; a 4xx or an
 * SMTP 5xx is permanent); maintenance transitions are fenced by the instant they were armed for.
 */
export function registerStatusHandlers(registry: HandlerRegistry, deps: StatusDeps): HandlerRegistry {
  return registry
    .register("status.notify-subscribers", async (payload, { now, logger }) => {
      const planned = await deps.uow.run((tx) => fanOutStatusNotice(tx, payload, now));
      logger.debug({ ...payload, planned }, "status update fanned out to subscribers");
    })
    .register("status.notify-subscriber", async (payload, { now, logger }) => {
      const outcome = await sendStatusNotice(deps, payload, now);
      logger.debug(
        { subscriberId: payload.subscriberId, updateId: payload.updateId, outcome },
        "status notice",
      );
    })
    .register("status.confirm-subscriber", async ({ subscriberId }, { logger }) => {
      const outcome = await sendSubscriberConfirmation(deps, subscriberId);
      logger.debug({ subscriberId, outcome }, "status subscription confirmation");
    })
    .register("status.maintenance-transition", async (payload, { now, logger }) => {
      const outcome = await runMaintenanceTransition(deps, payload, now);
      logger.debug({ ...payload, outcome }, "maintenance transition");
    })
    .register("status.maintenance-paging", ({ maintenanceId }, { now }) =>
      syncMaintenancePaging(deps, maintenanceId, now),
    )
    .register("status.resolve-with-incident", async (payload, { now, logger }) => {
      const outcome = await resolveStatusIncidentsWith(deps, payload, now);
      logger.debug({ ...payload, outcome }, "status pages resolved with the incident");
    });
}
