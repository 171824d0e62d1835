import type { AlertingDeps } from "../../app/alerting-deps.js";
import { expireAlert, expireDueAlerts } from "../../app/alerts/expire-alert.js";
import { releaseHeldAlerts } from "../../app/alerts/release-held-alerts.js";
import { checkHeartbeat } from "../../app/heartbeats/heartbeats.js";
import { advanceIncidentEscalation } from "../../app/incidents/incident-lifecycle.js";
import {
  groupedDeliveryLoader,
  groupedOutcomeRecorder,
  sendDelivery,
} from "../../app/notifications/send-delivery.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import type { HandlerRegistry } from "../handler-registry.js";

const nextTurnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The alert pipeline's timers. Each is fenced: escalation by the incident's escalation version,
 * notifications by the delivery's status, expiry by the alerts' endsAt, heartbeats by the check-in time.
 */
export function registerAlertingHandlers(
  registry: HandlerRegistry,
  deps: AlertingDeps,
  sender: NotificationSender,
): HandlerRegistry {
  const recordOutcome = groupedOutcomeRecorder(deps, nextTurnOfEventLoop);
  const loadDelivery = groupedDeliveryLoader(deps, nextTurnOfEventLoop);
  return registry
    .register("escalation.advance", (payload, { now }) => {
      // A timer armed before its due time was recorded has none: its step is written without lateness.
      const { incidentId, version, dueAtMs } = payload;
      const dueAt = typeof dueAtMs === "number" ? new Date(dueAtMs) : undefined;
      return deps.uow.run((tx) => advanceIncidentEscalation(tx, incidentId, version, now, dueAt));
    })
    .register("notification.send", ({ deliveryId }, context) =>
      sendDelivery(deps, sender, deliveryId, context, recordOutcome, loadDelivery),
    )
    .register("alerts.expire-due", ({ serviceId }, { now }) =>
      deps.uow.run((tx) => expireDueAlerts(tx, serviceId, now)),
    )
    .register("alert.expire", ({ alertId, expiresAtMs }, { now }) =>
      deps.uow.run((tx) => expireAlert(tx, alertId, expiresAtMs, now)),
    )
    .register("maintenance.release", ({ serviceId }, { now }) =>
      deps.uow.run((tx) => releaseHeldAlerts(tx, serviceId, now)),
    )
    .register("heartbeat.check", ({ integrationId, checkInAtMs, clockFromMs }) =>
      checkHeartbeat(deps, integrationId, checkInAtMs, clockFromMs),
    );
}
