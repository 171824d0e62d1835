import { callApi, RemoteError, type CliNames, type RemoteTarget } from "../api-client.js";
import {
  EXIT,
  noPositionals,
  print,
  REMOTE_OPTIONS,
  REMOTE_USAGE,
  shown,
  table,
  type Command,
  type OptionValues,
  remoteTargetOf,
} from "../command.js";
import { skippedLocalTime, zoneRules } from "../../core/schedules/zoned-time.js";
import { requiredText } from "../arguments.js";
import { instantByOffset, instantOnThisMachine, typedDateTime } from "../date-time-option.js";
import { checkPersonOption, personIdOf } from "../people.js";
import { UsageError } from "../usage-error.js";
import { withServiceHint } from "./service-lookup.js";

/** On-call commands over the REST API: who is on call, overrides, schedules. */

interface ScheduleRow {
  id: string;
  name: string;
  timeZone: string;
  layers: unknown[];
}
interface OnCallEntry {
  scheduleName: string | null;
  userName: string;
  start: string | null;
  end: string | null;
  via: string;
  /** What in the schedule puts them on call; older servers send neither. */
  layerName?: string | null;
  overrideId?: string | null;
  overrideSource?: string | null;
  /** Why no page now would reach them ("has no contact methods"); null: one would. Older servers send none. */
  unreachable?: string | null;
}
/** A schedule with nobody on call; older servers send no gaps. */
interface OnCallGap {
  scheduleName: string;
  reason: string;
  userName: string | null;
  start: string | null;
  end: string | null;
}
interface OverrideRow {
  id: string;
  userName: string;
  start: string;
  end: string;
  source: string;
}
/** Older servers send no warnings. */
type CreatedOverrideRow = OverrideRow & { warnings?: string[] };

const json = (values: OptionValues) => values.json === true;

/** "nobody (Carol Sydney is disabled)", or "nobody" where nobody is scheduled. */
const nobodyText = (gap: OnCallGap) =>
  gap.reason === "disabled" && gap.userName !== null ? `nobody (${gap.userName} is disabled)` : "nobody";

/**
 * A gap's VIA: nothing puts anyone on call, so it says "gap" and why, in the API's words for gaps
 * ("gap (disabled)", "gap (unscheduled)"), as an override's row names its kind.
 */
const gapVia = (gap: OnCallGap) => `gap (${gap.reason})`;

/**
 * The VIA column: "override" (with its kind when a trade or take-over made it) or the layer's name
 * for a schedule's entry, else how a policy names the person ("user", "team").
 */
function viaText(entry: OnCallEntry): string {
  if (entry.via !== "schedule") return entry.via;
  if (entry.overrideId) {
    const kind = entry.overrideSource;
    return kind && kind !== "manual" ? `override (${kind})` : "override";
  }
  return entry.layerName ?? "schedule";
}

/** The ON CALL cell: the name, and why a page would not reach them when it would not. */
const onCallText = (entry: OnCallEntry) =>
  entry.unreachable ? `${entry.userName} (unreachable: ${entry.unreachable})` : entry.userName;

/**
 * One stderr line naming each person on call whom a page would not reach, in the timeline's words
 * ("Carol has no contact methods"); undefined when a page reaches everyone listed.
 */
export function unreachableWarning(entries: readonly OnCallEntry[]): string | undefined {
  const reasons = new Set(entries.filter((e) => e.unreachable).map((e) => `${e.userName} ${e.unreachable}`));
  if (reasons.size === 0) return undefined;
  return `Warning: ${[...reasons].map(shown).join("; ")}: a page reaches nobody through ${
    reasons.size === 1 ? "them" : "these people"
  } (a contact method is added in the console under Settings → Notifications)\n`;
}

/** The options the API's fields came from, for its messages ("--time-zone must be …"). */
const OVERRIDE_NAMES: CliNames = { "/userId": "--user", "/start": "--start", "/end": "--end" };
const SCHEDULE_NAMES: CliNames = { "/timeZone": "--time-zone" };
const segment = (text: string) => encodeURIComponent(text);
const text = (values: OptionValues, name: string): string | undefined =>
  typeof values[name] === "string" && (values[name] as string).trim() !== ""
    ? (values[name] as string)
    : undefined;

/**
 * An ISO instant from an option; a person's typo is a usage error, not a server round trip. A time
 * without an offset is this machine's local time (as Date.parse reads it); overrides use `zonedInstant`.
 */
function instant(values: OptionValues, name: string, required: boolean): string | undefined {
  const raw = text(values, name);
  if (raw === undefined) {
    if (required)
      throw new UsageError(`--${name} is required (an ISO date and time, e.g. 2026-11-21T09:00:00Z)`);
    return undefined;
  }
  const typed = typedDateTime(name, raw);
  if (typed === undefined)
    throw new UsageError(`--${name} must be an ISO date and time such as 2026-11-21T09:00:00Z, got "${raw}"`);
  return new Date(instantOnThisMachine(typed)).toISOString();
}

/**
 * An ISO instant from an option, a time without an offset read on the schedule's clock (as the
 * console reads it), so "09:00" means 09:00 there whatever this machine's zone or the season.
 * `zone` is asked only when a time has no offset. A time the clocks skipped is refused, not moved.
 */
async function zonedInstant(
  values: OptionValues,
  name: string,
  zone: () => Promise<string>,
): Promise<string> {
  const raw = text(values, name);
  const example = "2026-11-21T09:00 (the schedule's time zone) or 2026-11-21T09:00:00Z";
  if (raw === undefined)
    throw new UsageError(`--${name} is required (an ISO date and time, e.g. ${example})`);
  const typed = typedDateTime(name, raw);
  if (typed === undefined)
    throw new UsageError(`--${name} must be an ISO date and time such as ${example}, got "${raw}"`);
  const byOffset = instantByOffset(typed);
  if (byOffset !== undefined) return new Date(byOffset).toISOString();
  const timeZone = await zone();
  const skipped = skippedLocalTime(typed.localMs, timeZone);
  if (skipped)
    throw new UsageError(
      `--${name} ${raw} does not exist in ${timeZone}: the clocks jump from ` +
        `${skipped.jumpFrom.slice(11)} to ${skipped.jumpTo.slice(11)} on ${skipped.jumpFrom.slice(0, 10)}; ` +
        "give a time outside the jump, or an offset such as Z or +01:00",
    );
  return new Date(zoneRules(timeZone).instantOf(typed.localMs)).toISOString();
}

const OVERRIDE_USAGE = `firebreak override --schedule NAME --user EMAIL|ID --start TIME --end TIME [--json]
firebreak override list --schedule NAME [--json]
firebreak override delete --schedule NAME ID [--json]

Puts someone on call over [start, end) above every layer of the schedule, lists the overrides from
now on, or removes one (one in progress ends now). An override that overlaps another of the same
person in the schedule is made all the same, with a warning on stderr.

TIME: an ISO date and time. Without an offset (2026-12-10T09:00) it is read in the schedule's time
zone, as the console reads it; with one (2026-12-10T09:00Z, 2026-12-10T09:00+01:00) as given. A time
the clocks skip when they go forward is refused; one they repeat when they go back is its first
occurrence (give an offset for the second).

${REMOTE_USAGE}`;

/** The command that lists what an oncall filter names, for its 404. */
const LIST_COMMAND: Record<string, string> = { scheduleId: "schedules list", teamId: "teams list" };

/**
 * oncall's 404 for the schedule, service or team it was given, with where their names are: a
 * service's with the one likely meant, as page and incidents say it.
 */
async function withListHint<T>(
  remote: RemoteTarget,
  filter: [string, string] | undefined,
  request: Promise<T>,
): Promise<T> {
  if (filter?.[0] === "serviceId") return withServiceHint(remote, filter[1], request);
  try {
    return await request;
  } catch (err) {
    const list = filter === undefined ? undefined : LIST_COMMAND[filter[0]];
    if (!(err instanceof RemoteError) || err.status !== 404 || list === undefined || err.problem.hint)
      throw err;
    const hint = `firebreak ${list} shows them`;
    throw new RemoteError(`${err.message} (${hint})`, err.status, { ...err.problem, hint });
  }
}

export const SCHEDULE_COMMANDS: Record<string, Command> = {
  oncall: {
    summary:
      "Who is on call now (or --at a time): in a schedule, for a service or a team, or in every schedule",
    usage: `firebreak oncall [SCHEDULE | --service NAME | --team NAME] [--at ISO] [--json]

--at: an ISO date and time; without an offset it is this machine's local time.

SCHEDULE, NAME: an id or exact name.
  (none)     who is on call in every schedule
  SCHEDULE   who is on call in that schedule
  --service  whom its escalation policy's first step pages: schedules' on-call, and people and
             teams the policy names directly
  --team     its schedules' on-call, and whom the first steps of its services' policies page

VIA: for a schedule, the rotation (layer) that puts the person on call, or "override" (a take-over,
swap or cover says so too); for a service or team, "user" or "team" for people its policy names;
"gap (unscheduled)" or "gap (disabled)" where nobody is on call.

A schedule whose shift belongs to a disabled person shows "nobody (NAME is disabled)" with VIA
"gap (disabled)": disabled people are not on call, and nobody takes their shifts until an override does.

A person on call whom a page would not reach now shows "NAME (unreachable: has no contact methods)",
the reason firebreak page gives, and a warning on stderr names them (with --json, "unreachable" in the
answer says so instead). The exit code stays 0: oncall only reads; "firebreak page" is the command
that exits 3 when a page reached nobody.

${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      service: { type: "string" },
      team: { type: "string" },
      at: { type: "string" },
    },
    async run(values, positionals, io) {
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      const filters: Array<[string, string]> = [];
      // A blank one is refused, not dropped: dropped, "--team $TEAM" with TEAM unset would list everyone.
      if (positionals[0] !== undefined) {
        if (positionals[0].trim() === "") throw new UsageError("SCHEDULE is blank: give its name or id");
        filters.push(["scheduleId", positionals[0]]);
      }
      if (values.service !== undefined) filters.push(["serviceId", requiredText(values.service, "service")]);
      if (values.team !== undefined) filters.push(["teamId", requiredText(values.team, "team")]);
      if (filters.length > 1) throw new UsageError("give one of SCHEDULE, --service or --team");
      const query = new URLSearchParams(filters);
      const at = instant(values, "at", false);
      if (at) query.set("at", at);
      const remote = remoteTargetOf(values, io);
      const answer = (await withListHint(
        remote,
        filters[0],
        callApi(remote, "GET", `/api/v1/oncall?${query}`),
      )) as {
        at: string;
        entries: OnCallEntry[];
        gaps?: OnCallGap[];
      };
      const gaps = answer.gaps ?? [];
      // A disabled person's shift is a row of its own, so nobody takes it for coverage or for silence.
      const quiet = answer.entries.length === 0 && gaps.every((g) => g.reason !== "disabled");
      // Without a filter the server lists schedules only: a policy that pages a person directly is not
      // in it, so "nobody is on call" would not be true.
      const human = quiet
        ? filters.length === 0
          ? `No schedule has anyone on call at ${shown(answer.at)}. People a policy pages directly are not in ` +
            "schedules: firebreak oncall --service NAME shows whom a service pages."
          : `Nobody is on call at ${shown(answer.at)}.`
        : table([
            ["SCHEDULE", "ON CALL", "FROM", "UNTIL", "VIA"],
            ...answer.entries.map((e) => [
              e.scheduleName ?? "-",
              onCallText(e),
              e.start ?? "-",
              e.end ?? "-",
              viaText(e),
            ]),
            ...gaps.map((g) => [g.scheduleName, nobodyText(g), g.start ?? "-", g.end ?? "-", gapVia(g)]),
          ]);
      print(io, json(values), answer, human);
      const warning = unreachableWarning(answer.entries);
      if (warning && !json(values)) io.stderr(warning);
      return EXIT.ok;
    },
  },
  override: {
    summary: "Put someone on call in a schedule for a while; list or remove overrides",
    usage: OVERRIDE_USAGE,
    options: {
      ...REMOTE_OPTIONS,
      schedule: { type: "string" },
      user: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
    },
    async run(values, positionals, io) {
      const scheduleRef = requiredText(values.schedule, "schedule");
      const [sub, ...rest] = positionals;
      const base = `/api/v1/schedules/${segment(scheduleRef)}/overrides`;
      if (sub === "list" || sub === "delete") {
        // Ignored silently, "override delete --user bob" would read as removing only Bob's.
        const onlyForCreate = (["user", "start", "end"] as const).find((o) => values[o] !== undefined);
        if (onlyForCreate !== undefined)
          throw new UsageError(`--${onlyForCreate} is only for creating an override, not "override ${sub}"`);
      }
      if (sub === "list") {
        noPositionals(rest);
        const overrides = (await callApi(remoteTargetOf(values, io), "GET", base)) as OverrideRow[];
        const human =
          overrides.length === 0
            ? `No overrides from now on in ${shown(scheduleRef)}.`
            : table([
                ["ID", "ON CALL", "FROM", "UNTIL", "SOURCE"],
                ...overrides.map((o) => [o.id, o.userName, o.start, o.end, o.source]),
              ]);
        print(io, json(values), overrides, human);
        return EXIT.ok;
      }
      if (sub === "delete") {
        if (rest.length !== 1 || rest[0]!.trim() === "") throw new UsageError("expected one override id");
        await callApi(remoteTargetOf(values, io), "DELETE", `${base}/${segment(rest[0]!)}`);
        print(io, json(values), { deleted: rest[0] }, `Removed override ${rest[0]}`);
        return EXIT.ok;
      }
      if (sub !== undefined && sub !== "create")
        throw new UsageError(`unknown subcommand "${sub}": use list, delete, or none to create`);
      noPositionals(rest);
      const userRef = text(values, "user");
      if (!userRef) throw new UsageError("--user is required (an email or a user id)");
      checkPersonOption("user", userRef, true);
      const remote = remoteTargetOf(values, io);
      let zone: Promise<string> | undefined;
      // Asked once, and only for a time without an offset.
      const scheduleZone = () =>
        (zone ??= (
          callApi(remote, "GET", `/api/v1/schedules/${segment(scheduleRef)}`) as Promise<ScheduleRow>
        ).then((s) => s.timeZone));
      const start = await zonedInstant(values, "start", scheduleZone);
      const end = await zonedInstant(values, "end", scheduleZone);
      const override = (await callApi(
        remote,
        "POST",
        base,
        { userId: await personIdOf(remote, "user", userRef), start, end },
        OVERRIDE_NAMES,
      )) as CreatedOverrideRow;
      print(
        io,
        json(values),
        override,
        `${shown(override.userName)} is on call ${override.start} – ${override.end} (${override.id})`,
      );
      // The override stands either way (overlaps are allowed), so exit 0; JSON carries them as `warnings`.
      if (!json(values))
        for (const warning of override.warnings ?? []) io.stderr(`Warning: ${shown(warning)}\n`);
      return EXIT.ok;
    },
  },
  schedules: {
    summary: "List schedules, or create one (schedules create NAME --time-zone ZONE)",
    usage: `firebreak schedules list [--json]
firebreak schedules create NAME --time-zone ZONE [--json]

ZONE is an IANA time zone such as Europe/Berlin. Add rotations in the console or over the API.

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS, "time-zone": { type: "string" } },
    async run(values, positionals, io) {
      const [sub, ...rest] = positionals;
      if (sub === "list" || sub === undefined) {
        noPositionals(rest);
        if (values["time-zone"] !== undefined)
          throw new UsageError('--time-zone is only for "schedules create"');
        const schedules = (await callApi(
          remoteTargetOf(values, io),
          "GET",
          "/api/v1/schedules",
        )) as ScheduleRow[];
        const human =
          schedules.length === 0
            ? "No schedules yet: firebreak schedules create NAME --time-zone ZONE"
            : table([
                ["ID", "NAME", "TIME ZONE", "LAYERS"],
                ...schedules.map((s) => [s.id, s.name, s.timeZone, String(s.layers.length)]),
              ]);
        print(io, json(values), schedules, human);
        return EXIT.ok;
      }
      if (sub === "create") {
        if (rest.length !== 1 || rest[0]!.trim() === "") throw new UsageError("expected one schedule name");
        const timeZone = text(values, "time-zone");
        if (!timeZone) throw new UsageError("--time-zone is required (an IANA zone such as Europe/Berlin)");
        const schedule = (await callApi(
          remoteTargetOf(values, io),
          "POST",
          "/api/v1/schedules",
          { name: rest[0], timeZone },
          SCHEDULE_NAMES,
        )) as ScheduleRow;
        print(
          io,
          json(values),
          schedule,
          `Created schedule ${shown(schedule.name)} (${schedule.id}) in ${schedule.timeZone}`,
        );
        return EXIT.ok;
      }
      throw new UsageError(`unknown subcommand "${sub}": use list or create`);
    },
  },
};
