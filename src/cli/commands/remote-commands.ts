import { callApi, remoteTarget, type RemoteTarget } from "../api-client.js";
import {
  EXIT,
  noPositionals,
  print,
  REMOTE_OPTIONS,
  REMOTE_USAGE,
  table,
  type CliIo,
  type Command,
  type OptionValues,
} from "../command.js";
import { UsageError } from "../usage-error.js";

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
interface ServiceRow {
  id: string;
  name: string;
  escalationPolicyId: string | null;
}

const target = (values: OptionValues, io: CliIo): RemoteTarget =>
  remoteTarget(values as { url?: string; "api-key"?: string }, io.env);
const json = (values: OptionValues) => values.json === true;
const path = (segment: string) => encodeURIComponent(segment);

const INTEGRATION_KINDS = ["alertmanager", "prometheus", "pagerduty", "webhook", "heartbeat"];
const INCIDENT_STATES = ["triggered", "acknowledged", "resolved"];

const incidentLine = (i: IncidentRow) => `INC-${i.number} ${i.state}: ${i.title}`;

function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1 || positionals[0]!.trim() === "") throw new UsageError(`expected one ${what}`);
  return positionals[0]!;
}

const incidentAction = (verb: "acknowledge" | "resolve", summary: string): Command => ({
  summary,
  usage: `firebreak ${verb === "acknowledge" ? "ack" : "resolve"} INCIDENT [--url URL] [--api-key KEY] [--json]

INCIDENT is its number (42 or INC-42) or its id.
${REMOTE_USAGE}`,
  options: { ...REMOTE_OPTIONS },
  async run(values, positionals, io) {
    const ref = exactlyOne(positionals, "incident (a number like INC-42, or an id)");
    const incident = (await callApi(
      target(values, io),
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
      const session = (await callApi(target(values, io), "GET", "/api/v1/auth/session")) as {
        actor: { label: string; role: string; kind: string };
      };
      print(
        io,
        json(values),
        session,
        `${session.actor.label} (${session.actor.kind}, role ${session.actor.role})`,
      );
      return EXIT.ok;
    },
  },
  services: {
    summary: "List services, or create one (services create NAME)",
    usage: `firebreak services list [--json]
firebreak services create NAME [--json]

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS },
    async run(values, positionals, io) {
      const [sub, ...rest] = positionals;
      if (sub === "list" || sub === undefined) {
        noPositionals(rest);
        const services = (await callApi(target(values, io), "GET", "/api/v1/services")) as ServiceRow[];
        const human =
          services.length === 0
            ? "No services yet: firebreak services create NAME"
            : table([["ID", "NAME"], ...services.map((s) => [s.id, s.name])]);
        print(io, json(values), services, human);
        return EXIT.ok;
      }
      if (sub === "create") {
        const name = exactlyOne(rest, "service name");
        const service = (await callApi(target(values, io), "POST", "/api/v1/services", {
          name,
        })) as ServiceRow;
        print(io, json(values), service, `Created service ${service.name} (${service.id})`);
        return EXIT.ok;
      }
      throw new UsageError(`unknown subcommand "${sub}": use list or create`);
    },
  },
  integrations: {
    summary: "Create an integration for a service and print its URL and key",
    usage: `firebreak integrations create --service NAME --kind alertmanager|prometheus|pagerduty|webhook|heartbeat [--name NAME] [--json]

Prints the URL to paste into the sending tool, and the key. --json prints an object with url and key.
${REMOTE_USAGE}`,
    options: {
      ...REMOTE_OPTIONS,
      service: { type: "string" },
      kind: { type: "string" },
      name: { type: "string" },
    },
    async run(values, positionals, io) {
      if (positionals[0] !== "create" || positionals.length !== 1)
        throw new UsageError(`expected "integrations create"`);
      const serviceName = values.service as string | undefined;
      const kind = values.kind as string | undefined;
      if (!serviceName) throw new UsageError("--service is required");
      if (!kind || !INTEGRATION_KINDS.includes(kind))
        throw new UsageError(
          `--kind must be one of ${INTEGRATION_KINDS.join(", ")}${kind ? `, got "${kind}"` : ""}`,
        );
      const remote = target(values, io);
      const service = (await callApi(remote, "GET", `/api/v1/services/${path(serviceName)}`)) as ServiceRow;
      const body = { kind, ...(typeof values.name === "string" && { name: values.name }) };
      const integration = (await callApi(
        remote,
        "POST",
        `/api/v1/services/${path(service.id)}/integrations`,
        body,
      )) as {
        id: string;
        kind: string;
        key: string;
        url: string;
      };
      print(io, json(values), integration, `URL: ${integration.url}\nKey: ${integration.key}`);
      return EXIT.ok;
    },
  },
  incidents: {
    summary: "List incidents (open ones by default)",
    usage: `firebreak incidents [--state triggered|acknowledged|resolved] [--service NAME] [--json]

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS, state: { type: "string" }, service: { type: "string" } },
    async run(values, positionals, io) {
      noPositionals(positionals);
      const states =
        typeof values.state === "string" ? values.state.split(",") : ["triggered", "acknowledged"];
      // "" (from --state "" or a trailing comma) is wrong too, so compare with undefined.
      const wrong = states.find((s) => !INCIDENT_STATES.includes(s));
      if (wrong !== undefined)
        throw new UsageError(`--state must be triggered, acknowledged or resolved, got "${wrong}"`);
      const remote = target(values, io);
      const query = new URLSearchParams({ state: states.join(",") });
      if (typeof values.service === "string") {
        const service = (await callApi(
          remote,
          "GET",
          `/api/v1/services/${path(values.service)}`,
        )) as ServiceRow;
        query.set("service", service.id);
      }
      const incidents = (await callApi(remote, "GET", `/api/v1/incidents?${query}`)) as IncidentRow[];
      const human =
        incidents.length === 0
          ? `No ${states.join(" or ")} incidents.`
          : table([
              ["INCIDENT", "STATE", "LEVEL", "OPENED", "TITLE"],
              ...incidents.map((i) => [`INC-${i.number}`, i.state, i.level, i.openedAt, i.title]),
            ]);
      print(io, json(values), incidents, human);
      return EXIT.ok;
    },
  },
  ack: incidentAction("acknowledge", "Acknowledge an incident: stops its escalation"),
  resolve: incidentAction("resolve", "Resolve an incident"),
  page: {
    summary: 'Page a service\'s on-call by hand (page --service NAME "what is wrong")',
    usage: `firebreak page --service NAME "SUMMARY" [--json]

Opens a page-level incident on the service, escalated by its policy.
${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS, service: { type: "string" } },
    async run(values, positionals, io) {
      if (typeof values.service !== "string" || values.service.trim() === "")
        throw new UsageError("--service is required");
      const summary = exactlyOne(positionals, 'summary in quotes, e.g. "checkout is down"');
      const incident = (await callApi(target(values, io), "POST", "/api/v1/incidents", {
        service: values.service,
        summary,
      })) as IncidentRow;
      print(io, json(values), incident, `Paged: ${incidentLine(incident)}`);
      return EXIT.ok;
    },
  },
};
