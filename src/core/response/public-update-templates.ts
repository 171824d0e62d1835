import type { ResponsePhase } from "./response-phase.js";
import { IMPACT_LEVEL_DEFINITIONS, type ImpactLevel } from "./triage.js";

/**
 * Starting points for what customers read, per level and status. Plain words, no blame, no internals
 * (no hosts, vendors or people); the poster edits before posting. Placeholders: `{components}` (the
 * affected components' public names, or the service's when none) and `{service}`.
 */

/** The public status flow uses the response phases' words: investigating → identified → monitoring → resolved. */
export type PublicStatus = ResponsePhase;

export const PUBLIC_UPDATE_TEMPLATES: Readonly<Record<ImpactLevel, Readonly<Record<PublicStatus, string>>>> =
  {
    outage: {
      investigating:
        "We are investigating an outage affecting {components}. We will post updates here as we learn more.",
      identified: "We have found the cause of the outage affecting {components} and are working on a fix.",
      monitoring:
        "We have applied a fix for the outage affecting {components} and are watching closely to make sure it holds.",
      resolved:
        "The outage affecting {components} is resolved and everything is working normally. We are sorry for the disruption.",
    },
    "data-corruption": {
      investigating:
        "We are investigating an issue where {components} may be processing some data incorrectly. " +
        "While we investigate, some changes may be paused to protect your data. We will post updates here as we learn more.",
      identified:
        "We have found the cause of the data issue affecting {components} and are working on a fix. " +
        "We are also identifying which data was affected.",
      monitoring:
        "We have applied a fix for the data issue affecting {components}, and data is being processed correctly again. " +
        "We are watching closely and correcting the data that was affected.",
      resolved:
        "The data issue affecting {components} is resolved. If your data was affected, we will contact you directly. " +
        "We are sorry for the trouble.",
    },
    degradation: {
      investigating: "We are investigating slow responses and delays affecting {components}.",
      identified: "We have found the cause of the slowdown affecting {components} and are working on a fix.",
      monitoring:
        "We have applied a fix for the slowdown affecting {components} and are watching closely to make sure it holds.",
      resolved:
        "The slowdown affecting {components} is resolved and everything is working normally. Thank you for your patience.",
    },
  };

/** Matches a placeholder left in a message: a message with one is not ready to post. */
export const UNFILLED_PLACEHOLDER = /\{(service|components)\}/;

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export interface PublicNames {
  /** The service's public name. */
  readonly serviceName: string;
  /** The affected components' public names; empty: the whole service. */
  readonly componentNames: readonly string[];
}

export function fillPublicUpdateTemplate(template: string, names: PublicNames): string {
  const components = names.componentNames.length > 0 ? joinNames(names.componentNames) : names.serviceName;
  return template.replaceAll("{components}", components).replaceAll("{service}", names.serviceName);
}

/** The filled template for a level and status: what the console puts in the message box. */
export const draftPublicUpdate = (level: ImpactLevel, status: PublicStatus, names: PublicNames): string =>
  fillPublicUpdateTemplate(PUBLIC_UPDATE_TEMPLATES[level][status], names);

/**
 * A status incident's title: the affected components' public names and the level ("Checkout and
 * Refunds: Degradation"), never the service's name, which is internal.
 */
export const publicIncidentTitle = (level: ImpactLevel, componentNames: readonly string[]): string =>
  `${joinNames(componentNames)}: ${IMPACT_LEVEL_DEFINITIONS[level].title}`;
