import type { AlertingDeps } from "../../app/alerting-deps.js";
import type { NotificationSender } from "../../app/ports/notifications.js";
import {
  handoffJobKey,
  rearmAllSchedules,
  weeklySummaryJobKey,
} from "../../app/schedules/arm-schedule-jobs.js";
import { checkScheduleGaps } from "../../app/schedules/schedule-gap-watch.js";
import { sendScheduleNotice } from "../../app/schedules/schedule-notices.js";
import { runHandoffJob } from "../../app/schedules/shift-handoff-notices.js";
import { runWeeklySummaryJob } from "../../app/schedules/weekly-on-call-summary.js";
import type { HandlerRegistry } from "../handler-registry.js";

export interface ScheduleJobSettings {
  /** How many days ahead `schedule.gap-check` looks for stretches nobody covers. */
  readonly gapLookaheadDays: number;
}

/**
 * On-call schedule timers. Handoff and weekly-summary jobs are fenced by holding their job key (a
 * second run of the same row holds none); notices carry an idempotency key; gap checks are
 * idempotent by their alerts' dedup keys; the re-arm sweep is idempotent by job keys.
 */
export function registerScheduleHandlers(
  registry: HandlerRegistry,
  deps: AlertingDeps,
  sender: NotificationSender,
  settings: ScheduleJobSettings,
): HandlerRegistry {
  return registry
    .register("schedule.handoff", async (payload, { now, key, logger }) => {
      const holdsKey = key === handoffJobKey(payload.scheduleId);
      const outcome = await deps.uow.run((tx) => runHandoffJob(tx, { ...payload, holdsKey }, now));
      logger.debug({ scheduleId: payload.scheduleId, outcome }, "schedule handoff job ran");
    })
    .register("schedule.notice", (payload, context) => sendScheduleNotice(deps, sender, payload, context))
    .register("schedule.weekly-summary", async (payload, { now, key, logger }) => {
      const holdsKey = key === weeklySummaryJobKey(payload.scheduleId);
      const outcome = await deps.uow.run((tx) => runWeeklySummaryJob(tx, { ...payload, holdsKey }, now));
      logger.debug({ scheduleId: payload.scheduleId, outcome }, "weekly on-call summary job ran");
    })
    .register("schedule.gap-check", async ({ scheduleId }, { now, logger }) => {
      const outcome = await checkScheduleGaps(deps, scheduleId, settings.gapLookaheadDays, now);
      logger.debug({ scheduleId, outcome }, "schedule gap check ran");
    })
    .register("schedule.rearm-all", async (_payload, { now, logger }) => {
      const schedules = await deps.uow.run((tx) => rearmAllSchedules(tx, now));
      logger.debug({ schedules }, "schedule jobs re-armed");
    });
}
