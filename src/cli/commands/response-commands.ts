import { callApi, type CliNames, type RemoteTarget } from "../api-client.js";
import { incidentRef, oneOf } from "../arguments.js";
import {
  EXIT,
  print,
  REMOTE_OPTIONS,
  REMOTE_USAGE,
  shown,
  table,
  type CliIo,
  type Command,
  type OptionValues,
  remoteTargetOf,
} from "../command.js";
import { checkPersonOption, personIdsByEmail } from "../people.js";
import { UsageError } from "../usage-error.js";

/** Incident response from the terminal: triage, the fix log, and one's open tasks (over the REST API). */

const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
const LEVELS = ["degradation", "data-corruption", "outage"];
const FIX_KINDS = ["rollback", "hotfix", "proper-fix"];
/** The API's bound on a fix's number in a path (src/http/routes/incident-fixes.ts), said in the CLI's words. */
const MAX_FIX_NUMBER = 100_000;

interface WarRoom {
  incident: { number: number; title: string; state: string };
  response: { phase: string; severity: string | null; level: string | null; handlerName: string | null };
  tasks: TaskRow[];
}
interface TaskRow {
  id: string;
  title: string;
  state: string;
  ownerName: string | null;
}
interface MyTaskRow extends TaskRow {
  incidentNumber: number;
  incidentResolved?: boolean;
}
interface FixRow {
  number: number;
  kind: string;
  state: string;
  description: string;
  followUp?: { dueAt: string } | null;
}

const json = (values: OptionValues) => values.json === true;

/** The options the API's fields came from, for its messages ("--note must be …"). */
const TRIAGE_NAMES: CliNames = {
  "/severity": "--severity",
  "/level": "--level",
  "/handlerId": "--handler",
  "/callIn": "--call-in",
  "/note": "--note",
};
const FIX_NAMES: CliNames = { "/kind": "--kind", "/override": "--override", "/note": "--note" };
const segment = (text: string) => encodeURIComponent(text);

const fixLine = (f: FixRow) =>
  `Fix #${f.number} (${f.kind}) ${f.state}: ${shown(f.description)}${f.followUp ? `\nProper fix due ${shown(f.followUp.dueAt)}` : ""}`;

export const RESPONSE_COMMANDS: Record<string, Command> = {
  triage: {
    summary: "Triage an incident: severity, level, who handles it (acknowledges it if triggered)",
    usage: `firebreak triage INCIDENT --severity SEV1|SEV2|SEV3|SEV4 --level degradation|data-corruption|outage
                  [--handler EMAIL] [--needs-help --call-in EMAIL[,EMAIL…]] [--note TEXT] [--json]

The handler is you (the person the API key acts for) unless --handler names someone. A key acts
for a person when made with "firebreak apikey create --user EMAIL", or by an admin in the console
(Settings → API keys); a key that acts for no person is refused (403).
--needs-help: the on-call team cannot handle it alone; --call-in pages those people.

${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      severity: { type: "string" },
      level: { type: "string" },
      handler: { type: "string" },
      "needs-help": { type: "boolean" },
      "call-in": { type: "string" },
      note: { type: "string" },
    },
    async run(values, positionals, io) {
      if (positionals.length !== 1)
        throw new UsageError("expected one incident (a number like INC-42, or an id)");
      const ref = incidentRef(positionals[0]);
      const severity = oneOf("severity", values.severity, SEVERITIES);
      const level = oneOf("level", values.level, LEVELS);
      const remote = remoteTargetOf(values, io);
      const callInEmails = typeof values["call-in"] === "string" ? values["call-in"].split(",") : [];
      // Every address is checked before the first look-up, so a malformed one is a usage error anyway.
      for (const email of callInEmails) checkPersonOption("call-in", email);
      const [handlerId] =
        typeof values.handler === "string" ? await personIdsByEmail(remote, "handler", [values.handler]) : [];
      const callIn = (await personIdsByEmail(remote, "call-in", callInEmails)).map((userId) => ({
        kind: "user",
        userId,
      }));
      const room = (await callApi(
        remote,
        "POST",
        `/api/v1/incidents/${segment(ref)}/triage`,
        {
          severity,
          level,
          onCallCanHandle: values["needs-help"] !== true,
          ...(callIn.length > 0 && { callIn }),
          ...(typeof values.note === "string" && { note: values.note }),
          ...(handlerId !== undefined && { handlerId }),
        },
        TRIAGE_NAMES,
      )) as WarRoom;
      const r = room.response;
      print(
        io,
        json(values),
        room,
        `INC-${room.incident.number} ${room.incident.state}, ${r.phase}: ${r.severity} ${r.level}, handled by ${shown(r.handlerName ?? "nobody")}`,
      );
      return EXIT.ok;
    },
  },

  fix: {
    summary: 'Log a fix (fix INC --kind hotfix "what"), or move one (fix deploy|verify|fail INC N)',
    usage: `firebreak fix INCIDENT --kind rollback|hotfix|proper-fix "DESCRIPTION" [--override REASON] [--json]
firebreak fix deploy|verify|fail INCIDENT NUMBER [--note TEXT] [--json]

One fix may be in flight at a time; only the Incident Handler may --override, with a reason.
Deploying puts the incident into monitoring for the service's watch minutes.

${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      kind: { type: "string" },
      override: { type: "string" },
      note: { type: "string" },
    },
    async run(values, positionals, io) {
      const remote = remoteTargetOf(values, io);
      const [first, ...rest] = positionals;
      if (first === "deploy" || first === "verify" || first === "fail") {
        if (rest.length !== 2)
          throw new UsageError(`expected "fix ${first} INCIDENT NUMBER", as in: fix ${first} INC-42 1`);
        if (!/^\d+$/.test(rest[1]!))
          throw new UsageError(`NUMBER must be the fix's number, such as 1 (Fix #1), got "${rest[1]}"`);
        const number = Number(rest[1]);
        if (number < 1 || number > MAX_FIX_NUMBER)
          throw new UsageError(
            `NUMBER must be a fix's number from 1 to ${MAX_FIX_NUMBER}, such as 1 (Fix #1), got "${rest[1]}"`,
          );
        const ref = incidentRef(rest[0]);
        const fix = (await callApi(
          remote,
          "POST",
          `/api/v1/incidents/${segment(ref)}/fixes/${number}/${first}`,
          first === "fail" && typeof values.note === "string" ? { note: values.note } : undefined,
          FIX_NAMES,
        )) as FixRow;
        print(io, json(values), fix, fixLine(fix));
        return EXIT.ok;
      }
      const example = 'as in: fix INC-42 --kind hotfix "raise the pool"';
      if (first === undefined) throw new UsageError(`expected an incident and a description, ${example}`);
      if (rest.length === 0 || rest[0]!.trim() === "")
        throw new UsageError(`expected a description of the fix after the incident, ${example}`);
      // Unquoted words are refused, not joined: "fix 42 deploy 1" typed in the wrong order must not log a fix.
      if (rest.length > 1)
        throw new UsageError(
          `expected the description as one quoted argument, got ${rest.length} words, ${example}`,
        );
      const ref = incidentRef(first);
      const kind = oneOf("kind", values.kind, FIX_KINDS);
      const fix = (await callApi(
        remote,
        "POST",
        `/api/v1/incidents/${segment(ref)}/fixes`,
        {
          kind,
          description: rest[0],
          ...(typeof values.override === "string" && { override: { reason: values.override } }),
        },
        FIX_NAMES,
      )) as FixRow;
      print(io, json(values), fix, fixLine(fix));
      return EXIT.ok;
    },
  },

  tasks: {
    summary: "My open tasks across incidents (tasks --mine), or an incident's attack plan (tasks INCIDENT)",
    usage: `firebreak tasks [--mine] [--include-resolved] [--json]
firebreak tasks INCIDENT [--json]

--mine lists the open tasks you own in open incidents; those of resolved incidents are left out
(the incident is over, so their work may be moot) unless --include-resolved lists them last, marked.

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS, mine: { type: "boolean" }, "include-resolved": { type: "boolean" } },
    async run(values, positionals, io) {
      const remote = remoteTargetOf(values, io);
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      if (positionals.length === 1 && values.mine === true)
        throw new UsageError("give --mine or an incident, not both");
      if (positionals.length === 1 && values["include-resolved"] === true)
        throw new UsageError("--include-resolved goes with --mine, not with an incident");
      const ref = positionals[0] === undefined ? undefined : incidentRef(positionals[0]);
      if (ref === undefined) return printMyTasks(remote, values, io);
      const tasks = ((await callApi(remote, "GET", `/api/v1/incidents/${segment(ref)}/response`)) as WarRoom)
        .tasks;
      const human =
        tasks.length === 0
          ? "No tasks on this incident."
          : table([
              ["STATE", "OWNER", "TASK"],
              ...tasks.map((t) => [t.state, t.ownerName ?? "(nobody)", t.title]),
            ]);
      print(io, json(values), tasks, human);
      return EXIT.ok;
    },
  },
};

/** `tasks --mine`: asks for every open task, so it can say how many of resolved incidents it left out. */
async function printMyTasks(remote: RemoteTarget, values: OptionValues, io: CliIo): Promise<number> {
  const every = (await callApi(remote, "GET", "/api/v1/me/tasks?includeResolved=true")) as MyTaskRow[];
  const includeResolved = values["include-resolved"] === true;
  const tasks = includeResolved ? every : every.filter((t) => !t.incidentResolved);
  const hidden = every.length - tasks.length;
  const note =
    hidden === 0
      ? ""
      : `\n${hidden} more on resolved incident${hidden === 1 ? "" : "s"}: --include-resolved lists ${hidden === 1 ? "it" : "them"}.`;
  const human =
    tasks.length === 0
      ? `No open tasks of yours.${note}`
      : table([
          ["INCIDENT", "STATE", "TASK"],
          ...tasks.map((t) => [
            `INC-${t.incidentNumber}${t.incidentResolved ? " (resolved)" : ""}`,
            t.state,
            t.title,
          ]),
        ]) + note;
  print(io, json(values), tasks, human);
  return EXIT.ok;
}
