import { callApi, RemoteError, type CliNames, type RemoteTarget } from "../api-client.js";
import { durationSeconds, incidentRef, oneOf, requiredText } from "../arguments.js";
import {
  EXIT,
  noPositionals,
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
import { didYouMeanNamed } from "../suggest.js";
import { CATALOG_COMMANDS, findNamed } from "./catalog-commands.js";
import { UsageError } from "../usage-error.js";
import {
  DEFAULT_INCIDENTS_PAGE,
  incidentCursor,
  incidentsLimit,
  incidentStates,
  MAX_INCIDENTS_PAGE,
  moreIncidentsNotice,
} from "./incident-list-options.js";

/** Commands that talk to a running server over the REST API (--url/--api-key or FIREBREAK_URL/FIREBREAK_API_KEY). */

interface IncidentRow {
  id: string;
  number: number;
  title: string;
  state: string;
  level: string;
  serviceId: string;
  openedAt: string;
}
/** A page by hand's answer: older servers leave out whom it reached. */
interface ManualPageRow extends IncidentRow {
  pagedNobody?: boolean;
  warning?: string | null;
}
interface ServiceRow {
  id: string;
  name: string;
  teamId: string | null;
  escalationPolicyId: string | null;
  maintenanceUntil?: string | null;
}

/** The list of services; a column for maintenance only when a window holds a service's pages back now. */
function servicesTable(services: readonly ServiceRow[]): string {
  if (!services.some((s) => s.maintenanceUntil))
    return table([["ID", "NAME"], ...services.map((s) => [s.id, s.name])]);
  return table([
    ["ID", "NAME", "IN MAINTENANCE UNTIL"],
    ...services.map((s) => [s.id, s.name, s.maintenanceUntil ?? ""]),
  ]);
}

const json = (values: OptionValues) => values.json === true;
const path = (segment: string) => encodeURIComponent(segment);

const INTEGRATION_KINDS = ["alertmanager", "prometheus", "pagerduty", "webhook", "heartbeat"];
/** The options the API's fields came from, for its messages ("--interval must be …"). */
const INTEGRATION_NAMES: CliNames = {
  "/kind": "--kind",
  "/name": "--name",
  "/heartbeatIntervalSeconds": "--interval",
  "/heartbeatGraceSeconds": "--grace",
};
const SERVICE_NAMES: CliNames = { "/escalationPolicyId": "--policy", "/teamId": "--team" };

const incidentLine = (i: IncidentRow) => `INC-${i.number} ${i.state}: ${shown(i.title)}`;

interface IntegrationRow {
  id: string;
  kind: string;
  key: string;
  url: string;
  heartbeatIntervalSeconds?: number | null;
  heartbeatGraceSeconds?: number | null;
}

/** --interval and --grace as the API takes them; refused for kinds that have no check-ins. */
function heartbeatTiming(kind: string, values: OptionValues) {
  const given = (["interval", "grace"] as const).filter((o) => values[o] !== undefined);
  if (kind !== "heartbeat" && given.length > 0)
    throw new UsageError(`--${given[0]} is only for --kind heartbeat, not ${kind}`);
  return {
    ...(values.interval !== undefined && {
      heartbeatIntervalSeconds: durationSeconds("interval", values.interval),
    }),
    ...(values.grace !== undefined && { heartbeatGraceSeconds: durationSeconds("grace", values.grace) }),
  };
}

/** URL and key; for a heartbeat, also the timing it got (the server's defaults when none was given). */
function integrationLines(i: IntegrationRow): string {
  const lines = [`URL: ${shown(i.url)}`, `Key: ${shown(i.key)}`];
  if (typeof i.heartbeatIntervalSeconds === "number")
    lines.push(`Check-in: every ${i.heartbeatIntervalSeconds} s, grace ${i.heartbeatGraceSeconds ?? 0} s`);
  return lines.join("\n");
}

function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1 || positionals[0]!.trim() === "") throw new UsageError(`expected one ${what}`);
  return positionals[0]!;
}

/**
 * A 404 for a service name says which one was meant ("Checkout", "chekout"), from the list of
 * services, so that nobody has to run "services list" in the middle of an incident.
 */
async function withServiceHint<T>(remote: RemoteTarget, name: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (!(err instanceof RemoteError) || err.status !== 404 || !err.message.startsWith("404 service"))
      throw err;
    const services = (await callApi(remote, "GET", "/api/v1/services").catch(() => [])) as ServiceRow[];
    const hint = didYouMeanNamed(name, services);
    const suggestion = hint || " (firebreak services list shows them)";
    // The server's problem stays whole for --json; the suggestion goes in its hint.
    throw new RemoteError(`${err.message}${suggestion}`, err.status, {
      ...err.problem,
      hint: suggestion.trim(),
    });
  }
}

/** --policy and --team as the API's ids, each looked up by exact name or id; --no-X as null (none). */
async function serviceLinks(
  remote: RemoteTarget,
  values: OptionValues,
): Promise<{ escalationPolicyId?: string | null; teamId?: string | null }> {
  for (const link of ["policy", "team"] as const) {
    if (values[link] !== undefined && values[`no-${link}`] === true)
      throw new UsageError(`give --${link} ${link.toUpperCase()} or --no-${link}, not both`);
  }
  const policy = values.policy === undefined ? undefined : requiredText(values.policy, "policy");
  const team = values.team === undefined ? undefined : requiredText(values.team, "team");
  return {
    ...(policy !== undefined && {
      escalationPolicyId: (
        await findNamed(remote, "/api/v1/escalation-policies", "escalation policy", policy, true)
      ).id,
    }),
    ...(values["no-policy"] === true && { escalationPolicyId: null }),
    ...(team !== undefined && { teamId: (await findNamed(remote, "/api/v1/teams", "team", team, true)).id }),
    ...(values["no-team"] === true && { teamId: null }),
  };
}

/** A service without a policy pages nobody: say so on stderr, and how to give it one. */
function warnIfPagesNobody(io: CliIo, values: OptionValues, service: ServiceRow): void {
  if (service.escalationPolicyId !== null || json(values)) return;
  io.stderr(
    `Warning: ${shown(service.name)} has no escalation policy, so its incidents page nobody: ` +
      `firebreak services update ${serviceWord(service)} --policy POLICY (firebreak policies list shows them).\n`,
  );
}

/** A name as it can be pasted back into a shell. */
const shellWord = (text: string) =>
  /^[\w.@:/+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;

/** A service as it can be pasted back: its name, or its id where the name would not show as it is. */
const serviceWord = (service: ServiceRow) =>
  shown(service.name) === service.name ? shellWord(service.name) : service.id;

const findService = (remote: RemoteTarget, name: string) =>
  withServiceHint(
    remote,
    name,
    callApi(remote, "GET", `/api/v1/services/${path(name)}`),
  ) as Promise<ServiceRow>;

async function listIntegrations(values: OptionValues, rest: string[], io: CliIo): Promise<number> {
  noPositionals(rest);
  const remote = remoteTargetOf(values, io);
  const service = await findService(remote, requiredText(values.service, "service"));
  const integrations = (await callApi(
    remote,
    "GET",
    `/api/v1/services/${path(service.id)}/integrations`,
  )) as Array<IntegrationRow & { name: string }>;
  const human =
    integrations.length === 0
      ? `No integrations on ${shown(service.name)} yet: firebreak integrations create --service ${serviceWord(service)} --kind KIND`
      : table([["ID", "KIND", "NAME", "URL"], ...integrations.map((i) => [i.id, i.kind, i.name, i.url])]);
  print(io, json(values), integrations, human);
  return EXIT.ok;
}

async function deleteIntegration(values: OptionValues, rest: string[], io: CliIo): Promise<number> {
  const id = exactlyOne(rest, "integration id (firebreak integrations list --service NAME shows them)");
  await callApi(remoteTargetOf(values, io), "DELETE", `/api/v1/integrations/${path(id)}`);
  print(io, json(values), { id, deleted: true }, `Deleted integration ${id}: its key no longer works`);
  return EXIT.ok;
}

const incidentAction = (verb: "acknowledge" | "resolve", summary: string): Command => ({
  summary,
  usage: `firebreak ${verb === "acknowledge" ? "ack" : "resolve"} INCIDENT [--url URL] [--api-key KEY] [--json]

INCIDENT is its number (42 or INC-42) or its id.

${REMOTE_USAGE}`,
  options: { ...REMOTE_OPTIONS },
  async run(values, positionals, io) {
    if (positionals.length > 1) throw new UsageError(`expected one incident, got ${positionals.length}`);
    if (positionals.length === 0)
      throw new UsageError("expected one incident (a number like INC-42, or an id)");
    const ref = incidentRef(positionals[0]);
    const incident = (await callApi(
      remoteTargetOf(values, io),
      "POST",
      `/api/v1/incidents/${path(ref)}/${verb}`,
    )) as IncidentRow;
    print(io, json(values), incident, incidentLine(incident));
    return EXIT.ok;
  },
});

export const REMOTE_COMMANDS: Record<string, Command> = {
  whoami: {
    summary: "Show who an API key is, on a running server",
    usage: `firebreak whoami [--url URL] [--api-key KEY] [--json]

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS },
    async run(values, positionals, io) {
      noPositionals(positionals);
      const session = (await callApi(remoteTargetOf(values, io), "GET", "/api/v1/auth/session")) as {
        actor: { label: string; role: string; kind: string };
        actsFor?: { name: string; email: string } | null;
      };
      const { actor, actsFor } = session;
      const person =
        actsFor === undefined
          ? ""
          : actsFor === null
            ? ", acts for no person"
            : `, acts for ${shown(actsFor.name)} <${shown(actsFor.email)}>`;
      print(io, json(values), session, `${shown(actor.label)} (${actor.kind}, role ${actor.role}${person})`);
      return EXIT.ok;
    },
  },
  services: {
    summary: "List services, create, update or delete one (services create NAME --policy POLICY)",
    usage: `firebreak services list [--json]
firebreak services create NAME [--policy POLICY] [--team TEAM] [--json]
firebreak services update NAME [--policy POLICY | --no-policy] [--team TEAM | --no-team] [--json]
firebreak services delete NAME [--json]

  --policy  the escalation policy that pages people for its page-level incidents: its exact name
            or id (firebreak policies list shows them; make one in the console under On-call →
            Escalation policies). A service without one pages nobody; create says so.
  --team    the team that owns it: its exact name or id (firebreak teams list shows them)
  --no-policy, --no-team  (update) take the service's policy or team away

A service with unresolved incidents cannot be deleted. A deleted service's integrations stop taking
alerts; its incidents stay readable, and its name is free again.

${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      policy: { type: "string" },
      team: { type: "string" },
      "no-policy": { type: "boolean" },
      "no-team": { type: "boolean" },
    },
    async run(values, positionals, io) {
      const [sub, ...rest] = positionals;
      if (sub === undefined || sub === "list" || sub === "delete") {
        const given = (["policy", "team"] as const).find((o) => values[o] !== undefined);
        if (given !== undefined)
          throw new UsageError(`--${given} is only for "services create" and "services update"`);
      }
      if (sub !== "update") {
        const given = (["no-policy", "no-team"] as const).find((o) => values[o] !== undefined);
        if (given !== undefined) throw new UsageError(`--${given} is only for "services update"`);
      }
      if (sub === "list" || sub === undefined) {
        noPositionals(rest);
        const services = (await callApi(
          remoteTargetOf(values, io),
          "GET",
          "/api/v1/services",
        )) as ServiceRow[];
        const human =
          services.length === 0
            ? "No services yet: firebreak services create NAME --policy POLICY"
            : servicesTable(services);
        print(io, json(values), services, human);
        return EXIT.ok;
      }
      if (sub === "create") {
        const name = exactlyOne(rest, "service name");
        const remote = remoteTargetOf(values, io);
        const service = (await callApi(
          remote,
          "POST",
          "/api/v1/services",
          { name, ...(await serviceLinks(remote, values)) },
          SERVICE_NAMES,
        )) as ServiceRow;
        print(io, json(values), service, `Created service ${shown(service.name)} (${service.id})`);
        warnIfPagesNobody(io, values, service);
        return EXIT.ok;
      }
      if (sub === "update") {
        const ref = exactlyOne(rest, "service name");
        const changes = ["policy", "team", "no-policy", "no-team"] as const;
        if (changes.every((o) => values[o] === undefined))
          throw new UsageError(
            "give what to change: --policy POLICY or --no-policy, --team TEAM or --no-team",
          );
        const remote = remoteTargetOf(values, io);
        const links = await serviceLinks(remote, values);
        const found = await findService(remote, ref);
        const service = (await callApi(
          remote,
          "PATCH",
          `/api/v1/services/${path(found.id)}`,
          links,
          SERVICE_NAMES,
        )) as ServiceRow;
        print(io, json(values), service, `Updated service ${shown(service.name)} (${service.id})`);
        warnIfPagesNobody(io, values, service);
        return EXIT.ok;
      }
      if (sub === "delete") {
        const remote = remoteTargetOf(values, io);
        const service = await findService(remote, exactlyOne(rest, "service name"));
        await callApi(remote, "DELETE", `/api/v1/services/${path(service.id)}`);
        const deleted = { id: service.id, name: service.name, deleted: true };
        print(io, json(values), deleted, `Deleted service ${shown(service.name)} (${service.id})`);
        return EXIT.ok;
      }
      throw new UsageError(`unknown subcommand "${sub}": use list, create, update or delete`);
    },
  },
  integrations: {
    summary: "Create, list or delete a service's integrations (URL and key to paste into the sender)",
    usage: `firebreak integrations create --service NAME --kind KIND [--name NAME] [--interval DURATION] [--grace DURATION] [--json]
firebreak integrations list --service NAME [--json]
firebreak integrations delete ID [--json]

KIND is alertmanager, prometheus, pagerduty, webhook or heartbeat. Prints the URL to paste into the
sending tool, and the key. --json prints an object with url and key.
list shows each integration's ID; delete makes its key stop working at once (its alerts stay).

  --interval  heartbeat only: how often it must check in (default 5m; 10s to 7 days)
  --grace     heartbeat only: how late a check-in may be before it alerts (default 1m; 0 to 24h)
  A DURATION is seconds (300) or a whole number with s, m, h or d (30s, 5m, 1h, 3d).

${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      service: { type: "string" },
      kind: { type: "string" },
      name: { type: "string" },
      interval: { type: "string" },
      grace: { type: "string" },
    },
    async run(values, positionals, io) {
      const [sub, ...rest] = positionals;
      if (sub === "list") return listIntegrations(values, rest, io);
      if (sub === "delete") return deleteIntegration(values, rest, io);
      if (sub !== "create" || rest.length > 0)
        throw new UsageError(
          `expected "integrations create", "integrations list" or "integrations delete"` +
            (sub === undefined ? "" : `, got "integrations ${positionals.join(" ")}"`),
        );
      const serviceName = requiredText(values.service, "service");
      const kind = oneOf("kind", values.kind, INTEGRATION_KINDS);
      const body = {
        kind,
        ...(typeof values.name === "string" && { name: values.name }),
        ...heartbeatTiming(kind, values),
      };
      const remote = remoteTargetOf(values, io);
      const service = await findService(remote, serviceName);
      const integration = (await callApi(
        remote,
        "POST",
        `/api/v1/services/${path(service.id)}/integrations`,
        body,
        INTEGRATION_NAMES,
      )) as IntegrationRow;
      print(io, json(values), integration, integrationLines(integration));
      return EXIT.ok;
    },
  },
  incidents: {
    summary: "List incidents (open ones by default), newest first, a page at a time",
    usage: `firebreak incidents [--state open|all|triggered|acknowledged|resolved] [--service NAME] [--limit N] [--before NUMBER] [--json]

  --state    which incidents: open (the default: triggered and acknowledged), all, triggered,
             acknowledged or resolved; several as "triggered,resolved" or --state given again
  --limit    at most this many, newest first: 1 to ${MAX_INCIDENTS_PAGE} (default ${DEFAULT_INCIDENTS_PAGE})
  --before   only incidents numbered below this one (753 or INC-753): the API's cursor, to page on

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
      if (serviceName !== undefined) query.set("service", (await findService(remote, serviceName)).id);
      const list = (page: number, below: number | undefined) => {
        const q = new URLSearchParams(query);
        q.set("limit", String(page));
        if (below !== undefined) q.set("before", String(below));
        return callApi(remote, "GET", `/api/v1/incidents?${q}`) as Promise<IncidentRow[]>;
      };
      // The API says nothing of what is left: ask for one beyond the page, or (asking for its
      // largest page) look past the last one.
      const fetched = await list(Math.min(limit + 1, MAX_INCIDENTS_PAGE), before);
      const incidents = fetched.slice(0, limit);
      const last = incidents.at(-1);
      const more =
        last !== undefined &&
        (fetched.length > limit ||
          (incidents.length === MAX_INCIDENTS_PAGE && (await list(1, last.number)).length > 0));
      const human =
        incidents.length === 0
          ? `No ${states.join(" or ")} incidents${before === undefined ? "" : ` before INC-${before}`}.`
          : table([
              ["INCIDENT", "STATE", "LEVEL", "OPENED", "TITLE"],
              ...incidents.map((i) => [`INC-${i.number}`, i.state, i.level, i.openedAt, i.title]),
            ]);
      print(io, json(values), incidents, human);
      if (more) io.stderr(moreIncidentsNotice(last.number, limit, json(values)));
      return EXIT.ok;
    },
  },
  ack: incidentAction("acknowledge", "Acknowledge an incident: stops its escalation"),
  resolve: incidentAction("resolve", "Resolve an incident"),
  page: {
    summary: 'Page a service\'s on-call by hand (page --service NAME "what is wrong")',
    usage: `firebreak page --service NAME "SUMMARY" [--json]

Opens a page-level incident on the service, escalated by its policy. The words after the options
are the summary, quoted or not; one that starts with "-" goes after --. When the policy's first step
reaches nobody (a disabled person on call, a gap, an empty team), a warning on stderr says why.

Exit code 3 means the incident is open but nobody was paged: no step of the policy reaches anyone
now, or the service has no policy. Do not run it again (that opens another incident); page someone
another way. With --json the answer on stdout says so too ("pagedNobody": true). 0: someone was
paged (perhaps by a later step, with a warning); 1 and 2 as for every command.

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS, service: { type: "string" } },
    async run(values, positionals, io) {
      const service = requiredText(values.service, "service");
      // Unquoted words are one summary: at 3 am "page --service db disk is full" means just that.
      const summary = positionals.join(" ").trim();
      if (summary === "") throw new UsageError('expected a summary, e.g. "checkout is down"');
      const remote = remoteTargetOf(values, io);
      const incident = await withServiceHint(
        remote,
        service,
        callApi(remote, "POST", "/api/v1/incidents", { service, summary }) as Promise<ManualPageRow>,
      );
      // The incident exists either way, so not 1 (a retry would open another), but nobody woke:
      // 3 lets `page … || call-someone-else` run. An older server leaves pagedNobody out: 0.
      const nobody = incident.pagedNobody === true;
      print(io, json(values), incident, `${nobody ? "Paged nobody" : "Paged"}: ${incidentLine(incident)}`);
      if (incident.warning && !json(values)) io.stderr(`Warning: ${shown(incident.warning)}\n`);
      return nobody ? EXIT.pagedNobody : EXIT.ok;
    },
  },
  ...CATALOG_COMMANDS,
};
