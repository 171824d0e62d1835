// Where a heartbeat integration stands: waiting for its first check-in (it never alerts before one),
// on time with the instant it alerts by, overdue, or missed (its alert raised). The instant is the
// server's pending check (`nextCheckDueAt`), not the last check-in plus the interval: after a disable
// and an enable the check runs from the enable. The server's rule is core/alerts/heartbeat-rule.ts.
import type { Integration } from "../alerting-api";
import { formatRelative, formatTime, useNow } from "../data";

/** Said on the form and the card, so that adding a heartbeat at night pages nobody by surprise. */
export const WAITING_FOR_FIRST_CHECK_IN = "Waiting for its first check-in — it alerts only after that.";

type HeartbeatView =
  | { state: "waiting" }
  | { state: "missed"; lastCheckInAt: string }
  | { state: "on-time" | "overdue"; lastCheckInAt: string; deadline: string };

/** By the server's pending check, seen at `now`; none before the first check-in or once it alerted. */
function heartbeatView(i: Integration, now: number): HeartbeatView {
  if (!i.lastCheckInAt) return { state: "waiting" };
  if (!i.nextCheckDueAt) return { state: "missed", lastCheckInAt: i.lastCheckInAt };
  return {
    state: new Date(i.nextCheckDueAt).getTime() < now ? "overdue" : "on-time",
    lastCheckInAt: i.lastCheckInAt,
    deadline: i.nextCheckDueAt,
  };
}

export function HeartbeatState({ integration: i }: { integration: Integration }) {
  // Ticks, so "3 minutes ago" and on time turning overdue stay true on a page left open.
  const now = useNow();
  const view = heartbeatView(i, now);
  const settings = `Expected every ${i.heartbeatIntervalSeconds ?? "?"} s, ${i.heartbeatGraceSeconds ?? 0} s grace.`;
  if (i.disabledAt) {
    return <p className="muted">Disabled: check-ins are refused and it raises nothing. {settings}</p>;
  }
  if (view.state === "waiting") {
    return (
      <p className="muted">
        <strong>{WAITING_FOR_FIRST_CHECK_IN}</strong> {settings}
      </p>
    );
  }
  const ago = (
    <time dateTime={view.lastCheckInAt} title={formatTime(view.lastCheckInAt)}>
      {formatRelative(view.lastCheckInAt, now)}
    </time>
  );
  if (view.state === "missed") {
    return (
      <p className="muted">
        Last check-in {ago}; missed: its alert is raised, and the next check-in resolves it. {settings}
      </p>
    );
  }
  const by = <time dateTime={view.deadline}>{formatTime(view.deadline)}</time>;
  return view.state === "on-time" ? (
    <p className="muted">
      Last check-in {ago}; alerts if none by {by}. {settings}
    </p>
  ) : (
    <p className="muted">
      Last check-in {ago}; overdue since {by}: the next check-in resolves its alert. {settings}
    </p>
  );
}
