import { IMPACT_LEVELS, SEVERITIES, type ImpactLevel, type Severity } from "../response/triage.js";

/** What the `/firebreak` Slack slash command asks for, read from the text after the command. */
export type SlackCommand =
  | { readonly kind: "help" }
  | {
      readonly kind: "triage";
      readonly incidentRef: string;
      readonly severity: Severity;
      readonly level: ImpactLevel;
      readonly onCallCanHandle: boolean;
    }
  | { readonly kind: "ack"; readonly incidentRef: string }
  | { readonly kind: "resolve"; readonly incidentRef: string }
  | { readonly kind: "oncall"; readonly schedule: string | null }
  /** The text could not be read; `message` says why, in words for the person who typed it. */
  | { readonly kind: "invalid"; readonly message: string };

export const SLACK_COMMAND_HELP = [
  "*/firebreak* commands:",
  "• `/firebreak triage INC-12 SEV1 outage|degradation|data-corruption [--cannot-handle]`: acknowledge and triage; you become the Incident Handler",
  "• `/firebreak ack INC-12`: acknowledge",
  "• `/firebreak resolve INC-12`: resolve",
  "• `/firebreak oncall [SCHEDULE]`: who is on call now",
  "• `/firebreak help`: this list",
].join("\n");

const CANNOT_HANDLE_FLAG = "--cannot-handle";
const INCIDENT_USAGE = "name the incident, e.g. INC-12";

const invalid = (message: string): SlackCommand => ({ kind: "invalid", message });

function parseTriage(args: readonly string[]): SlackCommand {
  const flags = args.filter((a) => a.startsWith("--"));
  const words = args.filter((a) => !a.startsWith("--"));
  const unknownFlag = flags.find((f) => f.toLowerCase() !== CANNOT_HANDLE_FLAG);
  if (unknownFlag) return invalid(`unknown option ${unknownFlag}: the only option is ${CANNOT_HANDLE_FLAG}`);
  const [incidentRef, severityWord, levelWord, ...extra] = words;
  if (!incidentRef) return invalid(`triage: ${INCIDENT_USAGE}, then the severity and level`);
  const severity = SEVERITIES.find((s) => s === severityWord?.toUpperCase());
  if (!severity)
    return invalid(
      `triage: severity must be ${SEVERITIES.join(", ")}${severityWord ? ` (not ${severityWord})` : ""}`,
    );
  const level = IMPACT_LEVELS.find((l) => l === levelWord?.toLowerCase());
  if (!level)
    return invalid(
      `triage: level must be ${IMPACT_LEVELS.join(", ")}${levelWord ? ` (not ${levelWord})` : ""}`,
    );
  if (extra.length > 0) return invalid(`triage: unexpected ${extra.join(" ")}`);
  return { kind: "triage", incidentRef, severity, level, onCallCanHandle: flags.length === 0 };
}

function parseIncidentOnly(kind: "ack" | "resolve", args: readonly string[]): SlackCommand {
  const [incidentRef, ...extra] = args;
  if (!incidentRef) return invalid(`${kind}: ${INCIDENT_USAGE}`);
  if (extra.length > 0) return invalid(`${kind}: unexpected ${extra.join(" ")}`);
  return { kind, incidentRef };
}

/** Reads the command text; an empty text or `help` asks for help. Pure: no I/O, no clock. */
export function parseSlackCommand(text: string): SlackCommand {
  const [verb, ...args] = text.trim().split(/\s+/).filter(Boolean);
  switch (verb?.toLowerCase()) {
    case undefined:
    case "help":
      return { kind: "help" };
    case "triage":
      return parseTriage(args);
    case "ack":
    case "acknowledge":
      return parseIncidentOnly("ack", args);
    case "resolve":
      return parseIncidentOnly("resolve", args);
    case "oncall":
    case "on-call":
      // Schedule names may hold spaces ("Database on-call").
      return { kind: "oncall", schedule: args.length > 0 ? args.join(" ") : null };
    default:
      return invalid(`unknown command ${verb}: try \`/firebreak help\``);
  }
}
