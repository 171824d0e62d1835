import { callApi, type CliNames, type RemoteTarget } from "../api-client.js";
import { durationSeconds, oneOf, requiredText } from "../arguments.js";
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
import { CATALOG_COMMANDS, findNamed } from "./catalog-commands.js";
import { UsageError } from "../usage-error.js";
import { INCIDENT_COMMANDS } from "./incident-commands.js";
import { findService, path, serviceWord, type ServiceRow } from "./service-lookup.js";

/** Commands that talk to a running server over the REST API (--url/--api-key or FIREBREAK_URL/FIREBREAK_API_KEY). */

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

const INTEGRATION_KINDS = ["alertmanager", "prometheus", "pagerduty", "webhook", "heartbeat"];
/** The options the API's fields came from, for its messages ("--interval must be …"). */
const INTEGRATION_NAMES: CliNames = {
  "/kind": "--kind",
  "/name": "--name",
  "/heartbeatIntervalSeconds": "--interval",
  "/heartbeatGraceSeconds": "--grace",
};
const SERVICE_NAMES: CliNames = { "/escalationPolicyId": "--policy", "/teamId": "--team" };

interface IntegrationRow {
  id: string;
  kind: string;
  key: string;
  url: string;
  heartbeatIntervalSeconds?: number | null;
  heartbeatGraceSeconds?: number | null;
  /** The console's copy-paste configuration, made by the server; older servers leave it out. */
  snippets?: Array<{ title: string; text: string }>;
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

/**
 * URL and key; for a heartbeat, also the timing it got (the server's defaults when none was given);
 * then the snippets the console shows, each under a "# title" line (a comment in YAML and shell).
 */
function integrationLines(i: IntegrationRow): string {
  const lines = [`URL: ${shown(i.url)}`, `Key: ${shown(i.key)}`];
  if (typeof i.heartbeatIntervalSeconds === "number")
    lines.push(`Check-in: every ${i.heartbeatIntervalSeconds} s, grace ${i.heartbeatGraceSeconds ?? 0} s`);
  // Line by line: the snippet's own line breaks stay, while an escape sequence in it cannot reach the terminal.
  for (const snippet of i.snippets ?? [])
    lines.push("", `# ${shown(snippet.title)}`, ...snippet.text.trimEnd().split("\n").map(shown));
  return lines.join("\n");
}

function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1 || positionals[0]!.trim() === "") throw new UsageError(`expected one ${what}`);
  return positionals[0]!;
}

/** --policy and --team as the API's ids, each looked up by exact name or id; --no-X as null (none). */
async function serviceLinks(
  remote: RemoteTarget,
  values: OptionValues,
): Promise<{ links: { escalationPolicyId?: string | null; teamId?: string | null }; policyName?: string }> {
  for (const link of ["policy", "team"] as const) {
    if (values[link] !== undefined && values[`no-${link}`] === true)
      throw new UsageError(`give --${link} ${link.toUpperCase()} or --no-${link}, not both`);
  }
  const policyRef = values.policy === undefined ? undefined : requiredText(values.policy, "policy");
  const team = values.team === undefined ? undefined : requiredText(values.team, "team");
  const policy =
    policyRef === undefined
      ? undefined
      : await findNamed(remote, "/api/v1/escalation-policies", "escalation policy", policyRef, true);
  const links = {
    ...(policy !== undefined && { escalationPolicyId: policy.id }),
    ...(values["no-policy"] === true && { escalationPolicyId: null }),
    ...(team !== undefined && { teamId: (await findNamed(remote, "/api/v1/teams", "team", team, true)).id }),
    ...(values["no-team"] === true && { teamId: null }),
  };
  return { links, ...(policy !== undefined && { policyName: policy.name }) };
}

/** What GET /api/v1/oncall?serviceId= answers, as far as the warning needs it (older servers: no unreachable). */
interface ServiceOnCall {
  entries: Array<{ userName: string; unreachable?: string | null }>;
  gaps?: Array<{ scheduleName: string; reason: string; userName: string | null }>;
}

/** Why step 1 reaches nobody, one reason per person or schedule, in the words of the incident's timeline. */
function whyStepOneReachesNobody(onCall: ServiceOnCall): string {
  const reasons = [
    ...onCall.entries.map((e) => `${e.userName} ${e.unreachable ?? ""}`.trim()),
    ...(onCall.gaps ?? []).map((g) =>
      g.reason === "disabled" && g.userName !== null
        ? `${g.userName}, on call in schedule ${g.scheduleName}, is disabled`
        : `nobody is on call in schedule ${g.scheduleName}`,
    ),
  ];
  // Disabled people and teams without members are left out of the answer altogether.
  return [...new Set(reasons)].join("; ") || "the people it names are disabled or its team has no members";
}

/**
 * A service given a policy whose first step would reach nobody now (nobody on call, or only people
 * with no contact methods) is told on stderr at once, not when a real page fails at 3 am.
 */
async function warnIfPolicyReachesNobody(
  remote: RemoteTarget,
  io: CliIo,
  values: OptionValues,
  service: ServiceRow,
  policyName: string | undefined,
): Promise<void> {
  if (policyName === undefined || service.escalationPolicyId === null || json(values)) return;
  let onCall: ServiceOnCall;
  try {
    onCall = (await callApi(
      remote,
      "GET",
      `/api/v1/oncall?serviceId=${encodeURIComponent(service.id)}`,
    )) as ServiceOnCall;
  } catch {
    return; // The service is saved: a failed check must not turn that into an error.
  }
  if (onCall.entries.some((e) => !e.unreachable)) return;
  io.stderr(
    `Warning: step 1 of escalation policy ${shown(policyName)} reaches nobody now ` +
      `(${shown(whyStepOneReachesNobody(onCall))}), so a page for ${shown(service.name)} wakes nobody ` +
      `(firebreak oncall --service ${serviceWord(service)} shows whom it pages).\n`,
  );
}

/** A service without a policy pages nobody: say so on stderr, and how to give it one. */
function warnIfPagesNobody(io: CliIo, values: OptionValues, service: ServiceRow): void {
  if (service.escalationPolicyId !== null || json(values)) return;
  io.stderr(
    `Warning: ${shown(service.name)} has no escalation policy, so its incidents page nobody: ` +
      `firebreak services update ${serviceWord(service)} --policy POLICY (firebreak policies list shows them).\n`,
  );
}

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

With --policy, create and update warn on stderr when the policy's first step would reach nobody now
(nobody on call, or only people with no contact methods), with why; the service is saved all the same.

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
        const { links, policyName } = await serviceLinks(remote, values);
        const service = (await callApi(
          remote,
          "POST",
          "/api/v1/services",
          { name, ...links },
          SERVICE_NAMES,
        )) as ServiceRow;
        print(io, json(values), service, `Created service ${shown(service.name)} (${service.id})`);
        warnIfPagesNobody(io, values, service);
        await warnIfPolicyReachesNobody(remote, io, values, service, policyName);
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
        const { links, policyName } = await serviceLinks(remote, values);
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
        await warnIfPolicyReachesNobody(remote, io, values, service, policyName);
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
sending tool, the key, and the configuration the console shows for the usual senders (prometheus.yml,
alertmanager.yml, Grafana, curl…), each under a "# title" line. --json prints the integration with
url, key and snippets.
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
      if (sub === "create") noPositionals(rest);
      if (sub !== "create")
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
  ...INCIDENT_COMMANDS,
  ...CATALOG_COMMANDS,
};
