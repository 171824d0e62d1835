// The schedule timeline: one row per layer, the overrides, and the final schedule, on a percentage
// scale between the view's start and end; day lines at the schedule's local midnights and a "now"
// line. Each block names its person; its title gives the times in the schedule's zone and the
// person's own. Used by the schedule page and, without clicks, by the rotation editor's preview.
import type { CSSProperties, ReactNode } from "react";
import type { Gap, Override, Person, Shift, Span, Timeline } from "../schedules-api";
import { formatDay, formatNarrowDay, formatSpan, formatWeekday, localDays } from "./schedule-time";
import "../schedules.css";

export type RowKind = "layer" | "override" | "final";

export interface SelectedShift {
  shift: Shift;
  row: RowKind;
  layerName?: string;
}

interface TimelineViewProps {
  timeline: Timeline;
  /** The current time (ms), for the "now" line and "on call now" labels. */
  now: number;
  /** The signed-in user's id: their blocks say "your shift". */
  meId?: string;
  /** Blocks become buttons that call this; without it the timeline only shows. */
  onSelect?(selected: SelectedShift): void;
  /** A layer to pick out (the one being edited in a preview). */
  highlightLayerId?: string;
  /** Shown beside the final row's name, such as "Take over now". */
  finalActions?: ReactNode;
  /** Names the timeline for assistive technology, such as "Timeline of Primary". */
  label: string;
}

/** A stable hue per person, so that one person has one colour on every row and page. */
export function personHue(userId: string): number {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) | 0;
  // Reds are left out: they mean "nobody on call" here and danger everywhere else.
  return 25 + Math.round(((Math.abs(hash) % 360) * 137.508) % 310);
}

export const personStyle = (userId: string): CSSProperties =>
  ({ "--hue": personHue(userId) }) as CSSProperties;

interface Scale {
  startMs: number;
  endMs: number;
}

/** Left and width in percent of a span, clipped to the view; undefined when outside it. */
function place(scale: Scale, start: string, end: string): { left: number; width: number } | undefined {
  const s = Math.max(new Date(start).getTime(), scale.startMs);
  const e = Math.min(new Date(end).getTime(), scale.endMs);
  if (!(e > s)) return undefined;
  const total = scale.endMs - scale.startMs;
  return { left: ((s - scale.startMs) / total) * 100, width: ((e - s) / total) * 100 };
}

/** The hover text: when, in the schedule's zone and in the person's own. */
export function shiftTitle(
  who: string,
  span: Span,
  zone: string,
  person: Person | undefined,
  extra?: string,
): string {
  const lines = [who + (extra ? ` (${extra})` : ""), `${formatSpan(span.start, span.end, zone)} (${zone})`];
  const own = person?.timeZone;
  if (own && own !== zone) lines.push(`${who}’s time: ${formatSpan(span.start, span.end, own)} (${own})`);
  else if (own) lines.push(`${who}’s own zone is the schedule’s.`);
  else lines.push(`${who} has not set a time zone.`);
  return lines.join("\n");
}

interface BlockProps {
  shift: Shift;
  row: RowKind;
  layerName?: string;
  scale: Scale;
  timeline: Timeline;
  now: number;
  meId?: string;
  onSelect?(selected: SelectedShift): void;
  extraLabel?: string;
  className?: string;
}

function Block({
  shift,
  row,
  layerName,
  scale,
  timeline,
  now,
  meId,
  onSelect,
  extraLabel,
  className,
}: BlockProps) {
  const at = place(scale, shift.start, shift.end);
  if (!at) return null;
  const person = timeline.people.find((p) => p.id === shift.userId);
  const current = new Date(shift.start).getTime() <= now && now < new Date(shift.end).getTime();
  const mine = meId !== undefined && shift.userId === meId;
  const title = shiftTitle(shift.userName, shift, timeline.timeZone, person, extraLabel);
  const label = [
    shift.userName,
    extraLabel,
    formatSpan(shift.start, shift.end, timeline.timeZone),
    current ? "on call now" : undefined,
    mine ? "your shift" : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const classes = ["tl-block", mine ? "tl-mine" : "", current ? "tl-current" : "", className ?? ""]
    .filter(Boolean)
    .join(" ");
  const style = { left: `${at.left}%`, width: `${at.width}%`, ...personStyle(shift.userId) };
  const text = <span className="tl-block-text">{shift.userName}</span>;
  return (
    <li className="tl-item" style={style}>
      {onSelect ? (
        <button
          type="button"
          className={classes}
          title={title}
          aria-label={label}
          onClick={() => onSelect({ shift, row, ...(layerName !== undefined && { layerName }) })}
        >
          {text}
        </button>
      ) : (
        <span className={classes} title={title} aria-label={label} role="img">
          {text}
        </span>
      )}
    </li>
  );
}

const overrideAsShift = (o: Override): Shift => ({
  userId: o.userId,
  userName: o.userName,
  start: o.start,
  end: o.end,
  layerId: null,
  overrideId: o.id,
});

const SOURCE_WORD: Record<Override["source"], string> = {
  manual: "override",
  swap: "swap",
  cover: "cover",
  "take-over": "take-over",
};

export function TimelineView(props: TimelineViewProps) {
  const { timeline, now, meId, onSelect, highlightLayerId, finalActions, label } = props;
  const scale: Scale = {
    startMs: new Date(timeline.start).getTime(),
    endMs: new Date(timeline.end).getTime(),
  };
  const total = scale.endMs - scale.startMs;
  const zone = timeline.timeZone;
  const days = localDays(scale.startMs, scale.endMs, zone);
  const dayPercent = (ms: number) => ((ms - scale.startMs) / total) * 100;
  const nowPercent = now >= scale.startMs && now < scale.endMs ? dayPercent(now) : undefined;
  const layers = [...timeline.layers].sort((a, b) => b.priority - a.priority);
  const common = { scale, timeline, now, ...(meId !== undefined && { meId }), ...(onSelect && { onSelect }) };
  const wide = days.length > 16 ? " tl-month" : days.length > 8 ? " tl-fortnight" : "";

  return (
    <div className="tl-scroll" role="region" aria-label={label} tabIndex={0}>
      <div className={`tl${wide}`}>
        <div className="tl-row tl-head" aria-hidden="true">
          <div className="tl-label">{zone}</div>
          <div className="tl-track">
            {days.map((d) => (
              <span key={d} className="tl-day" style={{ left: `${dayPercent(d)}%` }}>
                {days.length > 16
                  ? formatNarrowDay(d, zone)
                  : days.length > 8
                    ? formatWeekday(d, zone)
                    : formatDay(d, zone)}
              </span>
            ))}
          </div>
        </div>
        {layers.map((layer) => (
          <div
            key={layer.id}
            className={layer.id === highlightLayerId ? "tl-row tl-row-highlight" : "tl-row"}
          >
            <div className="tl-label">
              <span className="tl-label-name">{layer.name}</span>
              <span className="tl-label-kind">Layer, priority {layer.priority}</span>
            </div>
            <ol className="tl-track" aria-label={`Layer ${layer.name}`}>
              {layer.shifts.map((s, i) => (
                <Block key={`${i}-${s.start}`} shift={s} row="layer" layerName={layer.name} {...common} />
              ))}
            </ol>
          </div>
        ))}
        <div className="tl-row">
          <div className="tl-label">
            <span className="tl-label-name">Overrides</span>
            <span className="tl-label-kind">Swaps, covers and take-overs</span>
          </div>
          <ol className="tl-track" aria-label="Overrides">
            {timeline.overrides.map((o) => (
              <Block
                key={o.id}
                shift={overrideAsShift(o)}
                row="override"
                extraLabel={SOURCE_WORD[o.source]}
                className="tl-override"
                {...common}
              />
            ))}
          </ol>
        </div>
        <div className="tl-row tl-row-final">
          <div className="tl-label">
            <span className="tl-label-name">Final schedule</span>
            <span className="tl-label-kind">Who is paged</span>
            {finalActions}
          </div>
          <ol className="tl-track" aria-label="Final schedule">
            {timeline.final.map((s, i) => (
              <Block key={`${i}-${s.start}`} shift={s} row="final" {...common} />
            ))}
            {timeline.gaps.map((g) => {
              const at = place(scale, g.start, g.end);
              if (!at) return null;
              const when = `${formatSpan(g.start, g.end, zone)} (${zone})`;
              const why = gapReason(g);
              return (
                <li key={g.start} className="tl-item" style={{ left: `${at.left}%`, width: `${at.width}%` }}>
                  <span
                    className="tl-block tl-gap"
                    title={`Nobody on call${why ? `: ${why}` : ""}\n${when}`}
                    role="img"
                    aria-label={`Nobody on call${why ? ` (${why})` : ""}, ${when}`}
                  >
                    <span className="tl-block-text">{why ? `Nobody: ${why}` : "Nobody"}</span>
                  </span>
                </li>
              );
            })}
          </ol>
        </div>
        <div className="tl-lines" aria-hidden="true">
          {days.map((d) => (
            <span key={d} className="tl-line" style={{ left: `${dayPercent(d)}%` }} />
          ))}
          {now > scale.startMs && <span className="tl-past" style={{ width: `${nowPercent ?? 100}%` }} />}
          {nowPercent !== undefined && (
            <span className="tl-now" style={{ left: `${nowPercent}%` }} title="Now">
              <span className="tl-now-label">now</span>
            </span>
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * The gaps still ahead in words, below the timeline: colour and hatching only repeat this. Past gaps
 * (such as before the first rotation began) are history, shown on the timeline only.
 */
/** Why nobody is on call, when it is more than nobody being scheduled: "Carol is disabled". */
const gapReason = (gap: Gap): string | undefined =>
  gap.reason === "disabled" ? `${gap.userName ?? "the person on call"} is disabled` : undefined;

export function GapList(props: { gaps: readonly Gap[]; zone: string; now: number; viewEnd: string }) {
  const { zone, now } = props;
  if (new Date(props.viewEnd).getTime() <= now) return null;
  const gaps = props.gaps
    .filter((g) => new Date(g.end).getTime() > now)
    .map((g) => (new Date(g.start).getTime() < now ? { ...g, start: new Date(now).toISOString() } : g));
  if (gaps.length === 0)
    return <p className="muted">From now on, somebody is on call all the time in this view.</p>;
  return (
    <div className="notice notice-warning">
      <p>
        <strong>
          {gaps.length === 1 ? "One gap" : `${gaps.length} gaps`} ahead with nobody on call in this view:
        </strong>
      </p>
      <ul>
        {gaps.map((g) => (
          <li key={g.start}>
            {formatSpan(g.start, g.end, zone)} ({zone}){gapReason(g) && `: ${gapReason(g)}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
