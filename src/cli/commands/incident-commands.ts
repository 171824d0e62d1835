import { callApi, RemoteError, type RemoteTarget } from "../api-client.js";
import { incidentRef, requiredText } from "../arguments.js";
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
import { didYouMean } from "../suggest.js";
import { UsageError } from "../usage-error.js";
import { actorNames, type TimelineActor } from "./actor-names.js";
import {
  DEFAULT_INCIDENTS_PAGE,
  incidentCursor,
  incidentsLimit,
  incidentStates,
  MAX_INCIDENTS_PAGE,
  moreIncidentsNotice,
  nextPageCell,
} from "./incident-list-options.js";
import { findService, path, serviceNamesById, withServiceHint } from "./service-lookup.js";

/** The incident commands of an on-call engineer: list, acknowledge, resolve, reopen, page by hand. */

interface IncidentRow {
  id: string;
  number: number;
  title: string;
  state: string;
  level: string;
  serviceId: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** policyId "": a page by hand to chosen people, who are no stored policy. */
  escalation: { policyName: string; policyId?: string } | null;
}
/** A row of the list: when its escalation pages next (older servers leave it out). */
interface IncidentListRow extends IncidentRow {
  nextEscalationAt?: string | null;
  escalation: { policyName: string; policyId?: string; steps: unknown[]; repeatCount: number } | null;
  escalationStep?: number;
  escalationLoop?: number;
  assigneeIds?: string[];
}
/** A page by hand's answer: older servers leave out whom it reached. */
interface ManualPageRow extends IncidentRow {
  paged?: string[];
  pagedNobody?: boolean;
  warning?: string | null;
}
/** GET /api/v1/incidents/{ref}, as far as ack and resolve read it. */
interface IncidentDetailRow {
  incident: IncidentRow;
  timeline?: Array<{ actor: TimelineActor | null }>;
}

const json = (values: OptionValues) => values.json === true;

const incidentLine = (i: IncidentRow) => `INC-${i.number} ${i.state}: ${shown(i.title)}`;

const incidents: Command = {
  summary: "List incidents (open ones by default), newest first, a page at a time",
  usage: `firebreak incidents [--state open|all|triggered|acknowledged|resolved] [--service NAME] [--limit N] [--before NUMBER] [--json]

  --state    which incidents: open (the default: triggered and acknowledged), all, triggered,
             acknowledged or resolved; several as "triggered,resolved" or --state given again
  --limit    at most this many, newest first: 1 to ${MAX_INCIDENTS_PAGE} (default ${DEFAULT_INCIDENTS_PAGE})
  --before   only incidents numbered below this one (753 or INC-753): the API's cursor, to page on

Each incident's service is named ("NAME (deleted)" for a deleted one), and who acknowledged it: a
person, an API key or an integration (integrations are named for responders and admins). NEXT PAGE says
how soon a triggered incident's escalation moves on if nobody acknowledges ("in 4m"; nextEscalationAt
in --json), "-" when nothing is pending.
When more incidents match than were listed, a line on stderr says so and gives the --before for the
next page (the number of the last one listed). With --json, stdout is the list as the API answers it,
and that line is one JSON object on stderr instead: {"more":true,"before":753}.

${REMOTE_USAGE}`,
  // --state triggered --state resolved means both, as "triggered,resolved" does.
  options: {
    ...REMOTE_OPTIONS,
    state: { type: "string", multiple: true },
    service: { type: "string" },
    limit: { type: "string" },
    before: { type: "string" },
  },
  async run(values, positionals, io) {
    noPositionals(positionals);
    const states = incidentStates(values.state);
    const limit = incidentsLimit(values.limit);
    const before = values.before === undefined ? undefined : incidentCursor(values.before);
    const serviceName = values.service === undefined ? undefined : requiredText(values.service, "service");
    const remote = remoteTargetOf(values, io);
    const query = new URLSearchParams({ state: states.join(",") });
    const service = serviceName === undefined ? undefined : await findService(remote, serviceName);
    if (service !== undefined) query.set("service", service.id);
    const list = (page: number, below: number | undefined) => {
      const q = new URLSearchParams(query);
      q.set("limit", String(page));
      if (below !== undefined) q.set("before", String(below));
      return callApi(remote, "GET", `/api/v1/incidents?${q}`) as Promise<IncidentListRow[]>;
    };
    // The API says nothing of what is left: ask for one beyond the page, or (asking for its
    // largest page) look past the last one.
    const fetched = await list(Math.min(limit + 1, MAX_INCIDENTS_PAGE), before);
    const shownIncidents = fetched.slice(0, limit);
    const last = shownIncidents.at(-1);
    const more =
      last !== undefined &&
      (fetched.length > limit ||
        (shownIncidents.length === MAX_INCIDENTS_PAGE && (await list(1, last.number)).length > 0));
    let human = `No ${states.join(" or ")} incidents${before === undefined ? "" : ` before INC-${before}`}.`;
    // --json is the API's list as it is: the names are for people, and cost requests.
    if (shownIncidents.length > 0 && !json(values)) {
      const [services, actors] = await Promise.all([
        serviceNamesById(remote, service),
        actorNames(
          remote,
          shownIncidents.map((i) => ({ serviceId: i.serviceId, acknowledgedBy: i.acknowledgedBy })),
        ),
      ]);
      // Read once, here at the edge: the countdowns of one listing share an instant.
      const nowMs = Date.now();
      human = table([
        ["INCIDENT", "STATE", "NEXT PAGE", "LEVEL", "SERVICE", "OPENED", "ACKNOWLEDGED BY", "TITLE"],
        ...shownIncidents.map((i) => [
          `INC-${i.number}`,
          i.state,
          nextPageCell(i, nowMs),
          i.level,
          services.get(i.serviceId) ?? i.serviceId,
          i.openedAt,
          typeof i.acknowledgedBy === "string" ? (actors.get(i.acknowledgedBy) ?? i.acknowledgedBy) : "",
          titleCell(i.title),
        ]),
      ]);
    }
    print(io, json(values), shownIncidents, human);
    if (more) io.stderr(moreIncidentsNotice(last.number, limit, json(values)));
    return EXIT.ok;
  },
};

/** POST …/acknowledge, …/resolve and …/reopen: the incident, and whether this request changed it. */
interface ActionAnswer extends IncidentRow {
  /** Left out by older servers: then the answer is taken as a change. */
  changed?: boolean;
}

/** "by NAME at TIME" for who acknowledged or resolved it, named as the incident's timeline names them. */
async function byWhom(remote: RemoteTarget, incident: IncidentRow, ref: string, read?: IncidentDetailRow) {
  // The timeline names actors (an integration, another's API key) the caller may not look up.
  const detail =
    read ??
    ((await callApi(remote, "GET", `/api/v1/incidents/${path(ref)}`).catch(() => undefined)) as
      IncidentDetailRow | undefined);
  const names = await actorNames(
    remote,
    [incident],
    (detail?.timeline ?? []).flatMap((entry) => (entry.actor ? [entry.actor] : [])),
  );
  return (id: string | null, at: string | null) =>
    `${typeof id === "string" ? ` by ${shown(names.get(id) ?? id)}` : ""}${typeof at === "string" ? ` at ${at}` : ""}`;
}

/** The one incident a command acts on, from its positionals. */
function oneIncident(positionals: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one incident, got ${positionals.length}`);
  if (positionals.length === 0)
    throw new UsageError("expected one incident (a number like INC-42, or an id)");
  return incidentRef(positionals[0]);
}

/** The table shows this much of a title (a 1,024-character one made rows of a thousand columns); --json has it whole. */
const TITLE_CELL_MAX_CHARACTERS = 80;

/** A title cut to the table's width in characters (never inside a surrogate pair), "…" saying so. */
function titleCell(title: string): string {
  const characters = Array.from(title);
  if (characters.length <= TITLE_CELL_MAX_CHARACTERS) return title;
  return `${characters.slice(0, TITLE_CELL_MAX_CHARACTERS - 1).join("")}…`;
}

/**
 * ack and resolve. An incident already in the state asked for, or past it (ack of a resolved one),
 * is what was wanted: exit 0, saying so and who got there first, so nobody thinks they just did it.
 * The answer's `changed` says which; an ack of a resolved incident is refused (412) and read again.
 */
const incidentAction = (verb: "acknowledge" | "resolve", summary: string): Command => ({
  summary,
  usage: `firebreak ${verb === "acknowledge" ? "ack" : "resolve"} INCIDENT [--url URL] [--api-key KEY] [--json]

INCIDENT is its number (42 or INC-42) or its id. An incident already ${verb === "acknowledge" ? "acknowledged or resolved" : "resolved"}
is left as it is: that is said, with who did it and when, and the exit code is 0. With --json, the
incident as the API answers it, with "changed": false when it was so already.

${REMOTE_USAGE}`,
  options: { ...REMOTE_OPTIONS },
  async run(values, positionals, io) {
    const ref = oneIncident(positionals);
    const remote = remoteTargetOf(values, io);
    let incident: IncidentRow;
    let changed: boolean;
    let detail: IncidentDetailRow | undefined;
    try {
      const answer = (await callApi(
        remote,
        "POST",
        `/api/v1/incidents/${path(ref)}/${verb}`,
      )) as ActionAnswer;
      ({ changed = true, ...incident } = answer);
    } catch (err) {
      // Acknowledging a resolved incident: nothing to do, which is said with who resolved it.
      if (!(err instanceof RemoteError) || err.status !== 412 || verb !== "acknowledge") throw err;
      detail = (await callApi(remote, "GET", `/api/v1/incidents/${path(ref)}`)) as IncidentDetailRow;
      incident = detail.incident;
      if (incident.state !== "resolved") throw err;
      changed = false;
    }
    if (changed) {
      print(io, json(values), { ...incident, changed }, incidentLine(incident));
      return EXIT.ok;
    }
    const by = json(values) ? () => "" : await byWhom(remote, incident, ref, detail);
    const already =
      incident.state === "resolved"
        ? `INC-${incident.number} was already resolved${by(incident.resolvedBy, incident.resolvedAt)}`
        : `INC-${incident.number} was already acknowledged${by(incident.acknowledgedBy, incident.acknowledgedAt)}`;
    const nothing =
      verb === "acknowledge" && incident.state === "resolved" ? "nothing to acknowledge" : "nothing changed";
    print(io, json(values), { ...incident, changed }, `${already} (${nothing}): ${shown(incident.title)}`);
    return EXIT.ok;
  },
});

const reopen: Command = {
  summary: "Reopen a resolved incident: triggered again, paged from step 1 of its escalation",
  usage: `firebreak reopen INCIDENT [--reason TEXT] [--url URL] [--api-key KEY] [--json]

INCIDENT is its number (42 or INC-42) or its id. A resolved incident (the fix did not hold) is
triggered again and paged from step 1 of its service's escalation policy (or of the people or policy
chosen when it was paged by hand), as when one of its alerts fires again; at notify level only the
shared channel hears it. The timeline says you reopened it, and why with --reason (at most 1024
characters). An incident still open is left as it is: that is said, and the exit code is 0. One
whose service was deleted is refused. With --json, the incident as the API answers it, with
"changed": false when it was open already.

${REMOTE_USAGE}`,
  options: { ...REMOTE_OPTIONS, reason: { type: "string" } },
  async run(values, positionals, io) {
    const ref = oneIncident(positionals);
    const reason = typeof values.reason === "string" ? values.reason.trim() : "";
    const remote = remoteTargetOf(values, io);
    const answer = (await callApi(
      remote,
      "POST",
      `/api/v1/incidents/${path(ref)}/reopen`,
      reason === "" ? undefined : { reason },
    )) as ActionAnswer;
    const { changed = true, ...incident } = answer;
    if (changed) {
      print(io, json(values), { ...incident, changed }, `Reopened ${incidentLine(incident)}`);
      return EXIT.ok;
    }
    const by = json(values) ? () => "" : await byWhom(remote, incident, ref);
    const state =
      incident.state === "acknowledged"
        ? `acknowledged${by(incident.acknowledgedBy, incident.acknowledgedAt)}`
        : incident.state;
    print(
      io,
      json(values),
      { ...incident, changed },
      `INC-${incident.number} is not resolved but ${state} (nothing to reopen): ${shown(incident.title)}`,
    );
    return EXIT.ok;
  },
};

/** Whom a page reached, and by which policy: from the answer, whose `paged` older servers leave out. */
function pagedLine(incident: ManualPageRow): string {
  if (incident.pagedNobody === true) return `Paged nobody: ${incidentLine(incident)}`;
  const policy = incident.escalation?.policyId === "" ? undefined : incident.escalation?.policyName;
  // A warning means step 1 reached nobody, and names the step that paged instead.
  const by =
    policy === undefined
      ? undefined
      : `escalation policy ${shown(policy)}${incident.warning ? ", see the warning" : ", step 1"}`;
  const whom = incident.paged?.map(shown).join(", ");
  if (whom === undefined || whom === "")
    return `Paged${by === undefined ? "" : ` by ${by}`} (the server does not say whom): ${incidentLine(incident)}`;
  return `Paged ${whom}${by === undefined ? "" : ` (${by})`}: ${incidentLine(incident)}`;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  disabledAt?: string | null;
}

/**
 * The ids of the people typed with --user, each an id, an email or an exact name (any case); one
 * GET /users. A disabled one goes as is: the server refuses it and names them.
 */
async function userIdsOf(remote: RemoteTarget, typed: readonly string[]): Promise<string[]> {
  const people = (await callApi(remote, "GET", "/api/v1/users")) as UserRow[];
  return typed.map((ref) => {
    const wanted = ref.trim().toLowerCase();
    const byName = people.filter((p) => p.name.toLowerCase() === wanted);
    const person =
      people.find((p) => p.id === ref.trim() || p.email.toLowerCase() === wanted) ??
      (byName.length === 1 ? byName[0] : undefined);
    if (byName.length > 1)
      throw new UsageError(`--user "${ref}" names ${byName.length} people: give an email instead`);
    if (person) return person.id;
    const enabled = people.filter((p) => !p.disabledAt);
    const hint = didYouMean(
      ref.trim(),
      [...enabled.map((p) => p.name), ...enabled.map((p) => p.email)],
      true,
    );
    const detail = `nobody with the name, email or id ${ref}`;
    // A missing person is a missing thing, as a missing service is: 404, exit 1.
    throw new RemoteError(`404 ${detail}${hint}`, 404, {
      code: "NOT_FOUND",
      detail,
      ...(hint !== "" && { hint: hint.trim() }),
    });
  });
}

/** The --user list, or undefined when none was given; "" is a usage error, not nobody. */
function typedUsers(values: OptionValues): string[] | undefined {
  const users = values.user;
  if (users === undefined) return undefined;
  const list = Array.isArray(users) ? users : [String(users)];
  if (list.some((u) => u.trim() === "")) throw new UsageError("--user needs a name, an email or an id");
  return list;
}

const page: Command = {
  summary:
    'Page a service\'s on-call, or chosen people or policy, by hand (page --service NAME "what is wrong")',
  usage: `firebreak page --service NAME [--user NAME_OR_EMAIL ...] [--policy NAME] "SUMMARY" [--json]

Opens a page-level incident on the service, escalated by its policy, and says whom it paged. The
words after the options are the summary, quoted or not; one that starts with "-" goes after --.
When the policy's first step reaches nobody (a disabled person on call, a gap, an empty team), a
warning on stderr says why.

  --user     page this person instead of the service's on-call (a name, an email or a user id);
             repeat it for more people. They get one step, no repeat; a service without a policy
             can be paged this way
  --policy   page by this escalation policy (a name or an id) instead of the service's own;
             not with --user

Exit code 3 means the incident is open but nobody was paged: no step of the policy reaches anyone
now, or the service has no policy. Do not run it again (that opens another incident); page someone
another way. With --json the answer on stdout says so too ("pagedNobody": true). 0: someone was
paged (perhaps by a later step, with a warning); 1 and 2 as for every command.

${REMOTE_USAGE}`,
  options: {
    ...REMOTE_OPTIONS,
    service: { type: "string" },
    user: { type: "string", multiple: true },
    policy: { type: "string" },
  },
  async run(values, positionals, io) {
    const service = requiredText(values.service, "service");
    const users = typedUsers(values);
    const policy = values.policy === undefined ? undefined : requiredText(values.policy, "policy");
    if (users !== undefined && policy !== undefined)
      throw new UsageError(
        "--user and --policy do not go together: page chosen people or a policy, not both",
      );
    // Unquoted words are one summary: at 3 am "page --service db disk is full" means just that.
    const summary = positionals.join(" ").trim();
    if (summary === "") throw new UsageError('expected a summary, e.g. "checkout is down"');
    const remote = remoteTargetOf(values, io);
    const assignment =
      users !== undefined
        ? { userIds: await userIdsOf(remote, users) }
        : policy !== undefined
          ? { escalationPolicyId: policy }
          : {};
    const incident = await withServiceHint(
      remote,
      service,
      callApi(remote, "POST", "/api/v1/incidents", {
        service,
        summary,
        ...assignment,
      }) as Promise<ManualPageRow>,
    );
    // The incident exists either way, so not 1 (a retry would open another), but nobody woke:
    // 3 lets `page … || call-someone-else` run. An older server leaves pagedNobody out: 0.
    const nobody = incident.pagedNobody === true;
    print(io, json(values), incident, pagedLine(incident));
    if (incident.warning && !json(values)) io.stderr(`Warning: ${shown(incident.warning)}\n`);
    return nobody ? EXIT.pagedNobody : EXIT.ok;
  },
};

export const INCIDENT_COMMANDS: Record<string, Command> = {
  incidents,
  ack: incidentAction("acknowledge", "Acknowledge an incident: stops its escalation"),
  resolve: incidentAction("resolve", "Resolve an incident"),
  reopen,
  page,
};
