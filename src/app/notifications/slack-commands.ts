import {
  parseSlackCommand,
  SLACK_COMMAND_HELP,
  type SlackCommand,
} from "../../core/notifications/slack-command.js";
import { escapeMrkdwn as esc } from "../../core/notifications/slack-mrkdwn.js";
import type { AlertingDeps } from "../alerting-deps.js";
import type { Caller } from "../deps.js";
import { acknowledge, resolve } from "../incidents/incident-actions.js";
import { triageIncident } from "../response/triage-incident.js";
import { whoIsOnCall, type OnCallEntry, type OnCallGap } from "../schedules/on-call.js";
import { userActor } from "./act-on-link.js";
import { usersLinkedTo } from "./slack-actions.js";

export type SlackCommandOutcome =
  | { readonly kind: "unlinked" }
  | { readonly kind: "ambiguous" }
  | { readonly kind: "reply"; readonly text: string };

const reply = (text: string): SlackCommandOutcome => ({ kind: "reply", text });

/** Slack shows `<!date^…>` in each reader's own time zone; the text after `|` is the fallback. */
const slackTime = (at: Date) =>
  `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${at.toISOString()}>`;

/** Names are people's words: escaped, so a `<!channel>` in a schedule's name stays text. */
function onCallLine(entry: OnCallEntry): string {
  const where = entry.scheduleName === null ? `paged directly (${esc(entry.via)})` : esc(entry.scheduleName);
  const who = esc(entry.userName);
  const until = entry.end ? ` until ${slackTime(entry.end)}` : "";
  return `• *${entry.scheduleName ? where : who}*: ${entry.scheduleName ? who : where}${until}`;
}

/** A schedule nobody covers because its person was disabled: said, not left out. */
const disabledGapLine = (gap: OnCallGap): string =>
  `• *${esc(gap.scheduleName)}*: nobody (${esc(gap.userName ?? "the person on call")} is disabled)`;

async function runLinked(
  deps: AlertingDeps,
  caller: Caller,
  command: Exclude<SlackCommand, { kind: "help" | "invalid" }>,
): Promise<string> {
  switch (command.kind) {
    case "triage": {
      // The person who types the command is the caller, so they become the Incident Handler.
      const view = await triageIncident(deps, caller, command.incidentRef, {
        severity: command.severity,
        level: command.level,
        onCallCanHandle: command.onCallCanHandle,
      });
      return `INC-${view.incident.number} is ${view.incident.state}, triaged ${command.severity} ${command.level}; ${esc(view.response.handlerName ?? "nobody")} is the Incident Handler.`;
    }
    case "ack": {
      const incident = await acknowledge(deps, caller, command.incidentRef);
      return `INC-${incident.number} is ${incident.state}.`;
    }
    case "resolve": {
      const incident = await resolve(deps, caller, command.incidentRef);
      return `INC-${incident.number} is ${incident.state}.`;
    }
    case "oncall": {
      const { entries, gaps } = await whoIsOnCall(
        deps,
        caller,
        command.schedule === null ? {} : { scheduleId: command.schedule },
      );
      const disabled = gaps.filter((g) => g.reason === "disabled");
      if (entries.length === 0 && disabled.length === 0)
        return command.schedule === null
          ? "Nobody is on call now."
          : `Nobody is on call now in ${esc(command.schedule)}.`;
      return ["On call now:", ...entries.map(onCallLine), ...disabled.map(disabledGapLine)].join("\n");
    }
  }
}

/**
 * The `/firebreak` slash command, run as the Firebreak user the Slack member is linked to (their Slack
 * contact method). The request's signature was checked by the caller. AppErrors (unknown incident,
 * viewer role, bad triage) propagate with messages fit to show.
 */
export async function runSlackCommand(
  deps: AlertingDeps,
  input: { slackUserId: string; text: string; requestId: string | null },
): Promise<SlackCommandOutcome> {
  const command = parseSlackCommand(input.text);
  if (command.kind === "help") return reply(SLACK_COMMAND_HELP);
  // The message may quote what was typed.
  if (command.kind === "invalid") return reply(esc(command.message));
  const linked = await deps.uow.run((tx) => usersLinkedTo(tx, input.slackUserId));
  const user = linked[0];
  if (!user) return { kind: "unlinked" };
  if (linked.length > 1) return { kind: "ambiguous" };
  return reply(await runLinked(deps, { actor: userActor(user), requestId: input.requestId }, command));
}
