/** The longest summary an event carries (PagerDuty's limit for `payload.summary`). */
export const MAX_SUMMARY_LENGTH = 1024;

/**
 * Alertmanager's and Grafana's default PagerDuty summary starts with the group's status and count
 * ("[FIRING:2] HighLatency api"). The count is stale as soon as the group changes and hides the
 * title in lists, so it is dropped; the counts stay in the event's custom_details.
 */
export function withoutGroupStatusPrefix(text: string): string {
  const rest = text.replace(/^\[(?:FIRING(?::\d+)?|RESOLVED)\]\s+/, "");
  return rest.trim() === "" ? text : rest;
}

/**
 * A summary fit for one line: line breaks become spaces, the ends are trimmed, and text longer than
 * 1024 UTF-16 code units is cut and ends with "…" (never splitting a surrogate pair).
 * Senders such as Alertmanager cut at 1024 *characters*, which can be more code units, so the limit
 * is enforced here by cutting, never by rejecting the event.
 */
export function summaryLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (line.length <= MAX_SUMMARY_LENGTH) return line;
  let cut = line.slice(0, MAX_SUMMARY_LENGTH - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}
