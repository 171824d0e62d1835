import type { OverrideSource, TradeKind } from "./records.js";
import type { TimeRange } from "./schedule.js";
import { wallClockFormat } from "./wall-clock-format.js";

/**
 * The words of a notice to someone whose time on call an override's creation or removal changed
 * ("Alice removed the cover of your shift on Primary, Wed 9 Dec 09:00 – Mon 14 Dec 09:00
 * (Europe/Berlin): you are on call again"). Pure: the caller passes the names, ranges and now.
 */

export interface OverrideNoticeFacts {
  readonly change: "created" | "removed";
  readonly source: OverrideSource;
  readonly scheduleName: string;
  /** The schedule's zone: every time in the notice is on its wall clock. */
  readonly timeZone: string;
  readonly nowMs: number;
  /** Who made the change: a person's name, or an API key's label. */
  readonly actorName: string;
  /** The override's person (the one it puts on call). */
  readonly ownerName: string;
  readonly actorIsOwner: boolean;
  /** The part of the override the change concerns (from now at the earliest). */
  readonly window: TimeRange;
  /** The accepted trade that made the override, if it came from one. */
  readonly trade: {
    readonly kind: TradeKind;
    readonly requesterName: string;
    readonly acceptorName: string;
  } | null;
}

export interface RecipientChange {
  /** Whether the recipient is the override's person. */
  readonly isOwner: boolean;
  readonly gained: readonly TimeRange[];
  readonly lost: readonly TimeRange[];
  /** Who lost the time the recipient gained, for "in place of …". */
  readonly replacedNames: readonly string[];
}

export interface OverrideNoticeText {
  readonly title: string;
  readonly details: ReadonlyArray<{ readonly label: string; readonly value: string }>;
}

const NOUN: Record<OverrideSource, string> = {
  manual: "override",
  "take-over": "take-over",
  cover: "cover",
  swap: "swap",
};

/** Ranges listed one by one in the details; the rest are counted. */
const LISTED_RANGES = 10;

function partsOf(atMs: number, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(atMs)
      .map((p) => [p.type, p.value]),
  );
}

/** "Wed 9 Dec 09:00", with the year only when it is not the current one on that wall clock. */
export function wallClock(atMs: number, timeZone: string, nowMs: number): string {
  const p = partsOf(atMs, timeZone);
  const year = p.year === partsOf(nowMs, timeZone).year ? "" : ` ${p.year}`;
  return `${p.weekday} ${p.day} ${p.month}${year} ${p.hour}:${p.minute}`;
}

/** "Wed 9 Dec 09:00 – Mon 14 Dec 09:00 (Europe/Berlin)", or "from now until …" for one under way. */
export function rangeText(range: TimeRange, timeZone: string, nowMs: number): string {
  const end = wallClock(range.endMs, timeZone, nowMs);
  if (range.startMs <= nowMs) return `from now until ${end} (${timeZone})`;
  return `${wallClock(range.startMs, timeZone, nowMs)} – ${end} (${timeZone})`;
}

/** One range as rangeText says it; several as "3 shifts from … to … (zone)". */
function spanText(ranges: readonly TimeRange[], timeZone: string, nowMs: number): string {
  const first = ranges[0]!;
  if (ranges.length === 1) return rangeText(first, timeZone, nowMs);
  const last = ranges[ranges.length - 1]!;
  const from = first.startMs <= nowMs ? "now" : wallClock(first.startMs, timeZone, nowMs);
  return `${ranges.length} shifts from ${from} to ${wallClock(last.endMs, timeZone, nowMs)} (${timeZone})`;
}

const names = (list: readonly string[]): string =>
  list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;

function rangeDetails(label: string, ranges: readonly TimeRange[], f: OverrideNoticeFacts) {
  const listed = ranges
    .slice(0, LISTED_RANGES)
    .map((r) => ({ label, value: rangeText(r, f.timeZone, f.nowMs) }));
  const rest = ranges.length - listed.length;
  return rest > 0 ? [...listed, { label: "More", value: `${rest} more` }] : listed;
}

function titleOf(f: OverrideNoticeFacts, r: RecipientChange): string {
  const noun = NOUN[f.source];
  const span = (ranges: readonly TimeRange[]) => spanText(ranges, f.timeZone, f.nowMs);
  const shifts = (ranges: readonly TimeRange[]) => (ranges.length === 1 ? "shift" : "shifts");
  const offTail = (ranges: readonly TimeRange[]) =>
    ranges.length === 1 && ranges[0]!.startMs <= f.nowMs ? "you are off call now" : "you are off call then";
  if (f.change === "removed") {
    if (!r.isOwner && r.gained.length > 0) {
      const whose = f.actorIsOwner ? "the" : `${f.ownerName}'s`;
      return `${f.actorName} removed ${whose} ${noun} of your ${shifts(r.gained)} on ${f.scheduleName}, ${span(r.gained)}: you are on call again`;
    }
    const lost = r.lost.length > 0 ? r.lost : [f.window];
    return `${f.actorName} removed your ${noun} on ${f.scheduleName}, ${span(lost)}: ${offTail(lost)}`;
  }
  if (!r.isOwner && r.lost.length > 0) {
    const lead =
      f.actorIsOwner && f.source === "take-over"
        ? `${f.actorName} took over your ${shifts(r.lost)}`
        : f.actorIsOwner
          ? `${f.actorName} is taking your ${shifts(r.lost)}`
          : `${f.actorName} put ${f.ownerName} on call over your ${shifts(r.lost)}`;
    return `${lead} on ${f.scheduleName}, ${span(r.lost)}: ${offTail(r.lost)}`;
  }
  const gained = r.gained.length > 0 ? r.gained : [f.window];
  const instead = r.replacedNames.length > 0 ? `, in place of ${names(r.replacedNames)}` : "";
  return `${f.actorName} put you on call on ${f.scheduleName}, ${span(gained)}${instead}`;
}

export function overrideNoticeText(
  facts: OverrideNoticeFacts,
  recipient: RecipientChange,
): OverrideNoticeText {
  const noun = NOUN[facts.source];
  const label = noun.charAt(0).toUpperCase() + noun.slice(1);
  return {
    title: titleOf(facts, recipient),
    details: [
      { label: "Schedule", value: facts.scheduleName },
      { label: facts.change === "removed" ? "Removed by" : "Made by", value: facts.actorName },
      ...rangeDetails(facts.change === "removed" ? "On call again" : "On call", recipient.gained, facts),
      ...rangeDetails("Off call", recipient.lost, facts),
      {
        label,
        value: `${facts.ownerName}, ${rangeText(facts.window, facts.timeZone, facts.nowMs)}`,
      },
      ...(facts.trade
        ? [
            {
              label: "Trade",
              value: `${facts.trade.requesterName}'s ${facts.trade.kind} request, accepted by ${facts.trade.acceptorName}`,
            },
          ]
        : []),
    ],
  };
}
