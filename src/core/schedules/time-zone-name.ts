/**
 * The name a schedule's zone is stored under: the tz database's own spelling of the zone as typed,
 * so "europe/berlin" is kept as "Europe/Berlin" and lists, feeds and notices say it one way.
 */

let listed: Map<string, string> | undefined;
const listedByLowerCase = (): Map<string, string> => {
  if (!listed) {
    let names: string[] = [];
    try {
      names = Intl.supportedValuesOf("timeZone");
    } catch {
      // An engine without the list still answers resolvedOptions below.
    }
    listed = new Map(names.map((name) => [name.toLowerCase(), name]));
  }
  return listed;
};

/** Whole parts of old names the tz database writes in capitals or in camel case. */
const SPECIAL_PARTS = new Map(
  [
    "US",
    "GB",
    "GB-Eire",
    "NZ",
    "NZ-CHAT",
    "PRC",
    "ROC",
    "ROK",
    "UCT",
    "UTC",
    "GMT",
    "W-SU",
    "EST5EDT",
    "CST6CDT",
    "MST7MDT",
    "PST8PDT",
    "ACT",
    "LHI",
    "NSW",
    "Knox_IN",
    "McMurdo",
    "DumontDUrville",
    "ComodRivadavia",
    "DeNoronha",
    "EasterIsland",
    "BajaNorte",
    "BajaSur",
  ].map((part) => [part.toLowerCase(), part]),
);

/** Each word capitalised, "au", "of" and "es" kept small (Port-au-Prince): V8's own rule for zone names. */
function titleCase(part: string): string {
  const special = SPECIAL_PARTS.get(part.toLowerCase());
  if (special) return special;
  return part
    .toLowerCase()
    .split(/([_-])/)
    .map((word) =>
      word === "au" || word === "of" || word === "es" ? word : word.charAt(0).toUpperCase() + word.slice(1),
    )
    .join("");
}

const resolvedName = (timeZone: string): string | null => {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};

/**
 * The canonical spelling of `timeZone`, or null when it is no zone. An alias stays itself: Node 20's
 * ICU resolves "Asia/Kolkata" to the older "Asia/Calcutta", and a person who chose the current name
 * should not see the old one, so only its letters' case changes.
 */
export function canonicalTimeZone(timeZone: string): string | null {
  const resolved = resolvedName(timeZone);
  if (resolved === null) return null;
  const lower = timeZone.toLowerCase();
  const known = listedByLowerCase().get(lower);
  if (known) return known;
  if (resolved.toLowerCase() === lower) return resolved;
  const cased = timeZone.split("/").map(titleCase).join("/");
  // Should the casing ever miss (it is never other than the same zone), the engine's name is safe.
  return resolvedName(cased) === resolved ? cased : resolved;
}
