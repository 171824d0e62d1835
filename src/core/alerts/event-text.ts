/** The longest summary an event carries (PagerDuty's limit for `payload.summary`). */
export const MAX_SUMMARY_LENGTH = 1024;

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
