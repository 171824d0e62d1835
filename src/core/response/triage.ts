import type { FieldError } from "../errors.js";
import { idAsName, isNonEmptyId, type NameOf, type TimelineDraft } from "./response-action.js";

/** What the first responder answers at acknowledge: how serious, which level, can on-call cope, who else. */

export type Severity = "SEV1" | "SEV2" | "SEV3" | "SEV4";

export const SEVERITIES: readonly Severity[] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/** Shown next to each choice, so two responders pick the same one for the same situation. */
export const SEVERITY_MEANINGS: Readonly<
  Record<Severity, { readonly title: string; readonly meaning: string }>
> = {
  SEV1: {
    title: "Critical",
    meaning: "Customer-facing outage or data loss. All hands: call in whoever can help, now.",
  },
  SEV2: {
    title: "Major",
    meaning:
      "A core feature is broken or badly degraded for many customers, or data is at risk. Call in the owning team.",
  },
  SEV3: {
    title: "Minor",
    meaning:
      "Limited impact: few customers or a secondary feature, with a workaround. The on-call team handles it.",
  },
  SEV4: {
    title: "Low",
    meaning: "No customer impact yet: a risk, a warning or a cosmetic fault. Fix in working hours.",
  },
};

/** The blog's impact taxonomy: what customers experience, which decides playbook, deadlines and public duty. */
export type ImpactLevel = "degradation" | "data-corruption" | "outage";

export const IMPACT_LEVELS: readonly ImpactLevel[] = ["degradation", "data-corruption", "outage"];

export const IMPACT_LEVEL_DEFINITIONS: Readonly<
  Record<ImpactLevel, { readonly title: string; readonly definition: string }>
> = {
  degradation: { title: "Degradation", definition: "Available and correct, but slow or delayed." },
  "data-corruption": { title: "Data corruption", definition: "Available, but processing data wrongly." },
  outage: { title: "Outage", definition: "Unavailable." },
};

/** The first steps shown on the incident for its level, in order; short enough to read at 3 am. */
export const IMPACT_LEVEL_PLAYBOOKS: Readonly<Record<ImpactLevel, readonly string[]>> = {
  degradation: [
    "Measure it: which requests, queues or customers are slow, by how much, since when.",
    "Check recent changes (deploys, config, traffic spikes); roll back the one that lines up.",
    "Relieve the pressure: scale out, pause batch work, shed non-essential load.",
    "Watch latency and backlog until they are back to baseline.",
  ],
  "data-corruption": [
    "Stop the writes: switch off the faulty path, pause the jobs and consumers that write.",
    "Protect backups: pause backup rotation and retention, take a snapshot now.",
    "Find the first bad write and list the records touched since.",
    "Tell customers: post a public update, even before the scope is known.",
    "Repair the records, check them, and only then turn the writes back on.",
  ],
  outage: [
    "Tell customers: post a public update, they can see it already.",
    "Roll back the latest change if it lines up with the start.",
    "Check the dependencies: network, DNS, certificates, database, cloud provider status.",
    "Restore service first (fail over, add capacity); find the root cause after.",
    "Call in the owners of a failing dependency early.",
  ],
};

/** Who "call in" pages: a person or a team through their notification rules, or a directory contact (vendor line). */
export type CallInTarget =
  | { readonly kind: "user"; readonly userId: string }
  | { readonly kind: "team"; readonly teamId: string }
  | { readonly kind: "contact"; readonly contactId: string };

export const callInTargetId = (target: CallInTarget): string =>
  target.kind === "user" ? target.userId : target.kind === "team" ? target.teamId : target.contactId;

export interface Triage {
  readonly severity: Severity;
  readonly level: ImpactLevel;
  /** False: the responder needs help beyond the on-call team, and `callIn` says whom. */
  readonly onCallCanHandle: boolean;
  readonly callIn: readonly CallInTarget[];
  readonly note: string;
}

export const MAX_CALL_IN_TARGETS = 20;
export const MAX_TRIAGE_NOTE_LENGTH = 2000;

/** Every problem with a triage answer at once, each naming its field. */
export function checkTriage(input: Triage): FieldError[] {
  const errors: FieldError[] = [];
  if (!SEVERITIES.includes(input.severity))
    errors.push({ path: "/severity", message: "must be SEV1, SEV2, SEV3 or SEV4" });
  if (!IMPACT_LEVELS.includes(input.level))
    errors.push({ path: "/level", message: "must be degradation, data-corruption or outage" });
  if (typeof input.onCallCanHandle !== "boolean")
    errors.push({ path: "/onCallCanHandle", message: "must be true or false" });
  if (!Array.isArray(input.callIn)) {
    errors.push({ path: "/callIn", message: "must be a list of people, teams or contacts" });
  } else {
    if (input.callIn.length > MAX_CALL_IN_TARGETS)
      errors.push({ path: "/callIn", message: `at most ${MAX_CALL_IN_TARGETS} people, teams or contacts` });
    if (input.onCallCanHandle === false && input.callIn.length === 0)
      errors.push({
        path: "/callIn",
        message: "the on-call team cannot handle it: name at least one person, team or contact to call in",
      });
    errors.push(...checkCallIn(input.callIn));
  }
  if (typeof input.note !== "string" || input.note.length > MAX_TRIAGE_NOTE_LENGTH)
    errors.push({ path: "/note", message: `must be text of at most ${MAX_TRIAGE_NOTE_LENGTH} characters` });
  return errors;
}

function checkCallIn(callIn: readonly CallInTarget[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  callIn.forEach((target, i) => {
    if (!["user", "team", "contact"].includes(target?.kind)) {
      errors.push({ path: `/callIn/${i}/kind`, message: "must be user, team or contact" });
      return;
    }
    const id = callInTargetId(target);
    if (!isNonEmptyId(id)) errors.push({ path: `/callIn/${i}`, message: `needs a ${target.kind} id` });
    else if (seen.has(`${target.kind}:${id}`))
      errors.push({ path: `/callIn/${i}`, message: `${target.kind} ${id} is listed twice` });
    else seen.add(`${target.kind}:${id}`);
  });
  return errors;
}

/** The timeline entry for a recorded triage. `nameOf` names users; teams and contacts show their ids. */
export function triageTimeline(triage: Triage, nameOf: NameOf = idAsName): TimelineDraft {
  const level = IMPACT_LEVEL_DEFINITIONS[triage.level].title.toLowerCase();
  const help = triage.onCallCanHandle ? "the on-call team can handle it" : "the on-call team needs help";
  const called = triage.callIn.map((t) =>
    t.kind === "user" ? nameOf(t.userId) : `${t.kind} ${callInTargetId(t)}`,
  );
  return {
    kind: "triage.recorded",
    message: `Triaged ${triage.severity} ${level}: ${help}${called.length > 0 ? `; calling in ${called.join(", ")}` : ""}`,
    data: { ...triage },
  };
}
