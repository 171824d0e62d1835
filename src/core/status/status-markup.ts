/** Escaping and date wording shared by the status page's HTML and feeds. */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or attribute content for HTML and XML. Also drops characters XML 1.0 forbids. */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export const escapeMarkup = (text: string): string =>
  text.replace(XML_FORBIDDEN, "").replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${key}|${timeZone}`;
  let f = formatters.get(cacheKey);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    formatters.set(cacheKey, f);
  }
  return f;
}

/** "2 Mar 2025, 09:30 UTC" in the page's zone. */
export const formatDateTime = (ms: number, timeZone: string): string =>
  formatter("dt", timeZone, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(ms);

/** "2 March 2025". */
export const formatDay = (ms: number, timeZone: string): string =>
  formatter("day", timeZone, { day: "numeric", month: "long", year: "numeric" }).format(ms);

/** "2 Mar 2025". */
export const formatShortDay = (ms: number, timeZone: string): string =>
  formatter("short-day", timeZone, { day: "numeric", month: "short", year: "numeric" }).format(ms);

/** "March 2025". */
export const formatMonth = (ms: number, timeZone: string): string =>
  formatter("month", timeZone, { month: "long", year: "numeric" }).format(ms);

/** A duration in words: "45 minutes", "3 hours 5 minutes", "2 days 1 hour". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return minutes % 60 === 0
      ? plural(hours, "hour")
      : `${plural(hours, "hour")} ${plural(minutes % 60, "minute")}`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? plural(days, "day") : `${plural(days, "day")} ${plural(hours % 24, "hour")}`;
}

/** Statuspage's words for each status, as shown to people. */
export const STATUS_WORDS: Readonly<Record<string, string>> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
  no_data: "No data",
};
