// The top of the war room, always in view: phase (with the watch's countdown), level, severity, the
// Incident Handler and how long it has lasted; then the banners that ask for something now.
import { useNow } from "../data";
import {
  IMPACT_LABEL,
  PHASE_LABEL,
  PHASES,
  response,
  type ResponsePhase,
  type WarRoom,
} from "../response-api";
import { ActionOutcome, useAction, useWarRoom } from "./war-room-context";

const pad = (n: number) => String(n).padStart(2, "0");

/** "1:05:12" or "5:12": a clock that runs, for durations and countdowns. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const days = Math.floor(hours / 24);
  if (days > 0) return `${days} d ${hours % 24} h`;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** "1 h 5 min" for screen readers, which should not hear seconds tick. */
function spokenDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  const parts = [hours && `${hours} h`, `${minutes % 60} min`].filter(Boolean);
  return parts.join(" ");
}

function Ticking({ fromMs, toMs, label }: { fromMs?: number; toMs?: number; label: string }) {
  const now = useNow(1000);
  const ms = toMs !== undefined ? toMs - now : now - (fromMs ?? now);
  return (
    <span className="ticking" aria-label={`${label} ${spokenDuration(ms)}`}>
      {formatElapsed(ms)}
    </span>
  );
}

function PhaseFlow({ room }: { room: WarRoom }) {
  const { incidentId, isHandler, canAct } = useWarRoom();
  const action = useAction();
  const { phase, watch } = room.response;
  const move = (to: ResponsePhase) =>
    void action.run(() => response.movePhase(incidentId, to), `Phase: ${PHASE_LABEL[to]}.`);
  return (
    <div className="phase-block">
      <ol className="phase-flow" aria-label="Phase">
        {PHASES.map((p) => {
          const here = p === phase;
          const canMove = isHandler && canAct && !here && p !== "resolved" && phase !== "resolved";
          return (
            <li key={p} className={here ? `phase-step phase-current phase-${p}` : "phase-step"}>
              {canMove ? (
                <button type="button" className="phase-button" disabled={action.busy} onClick={() => move(p)}>
                  {PHASE_LABEL[p]}
                  <span className="visually-hidden"> (move the incident to this phase)</span>
                </button>
              ) : (
                <span aria-current={here ? "step" : undefined}>{PHASE_LABEL[p]}</span>
              )}
            </li>
          );
        })}
      </ol>
      {phase === "monitoring" && watch && (
        <p className="watch-line">
          Watching fix #{watch.fixNumber}:{" "}
          <strong>
            <Ticking toMs={new Date(watch.endsAt).getTime()} label="left:" />
          </strong>{" "}
          left of {watch.watchMinutes} min
        </p>
      )}
      <ActionOutcome action={action} />
    </div>
  );
}

export function WarRoomStrip({ room }: { room: WarRoom }) {
  const { me, nameOf } = useWarRoom();
  const { incident, response: r } = room;
  const severity = room.severities.find((s) => s.id === r.severity);
  const level = r.level ? room.levels.find((l) => l.id === r.level) : undefined;
  const openedMs = new Date(incident.openedAt).getTime();
  const handler = r.handlerId ? r.handlerName || nameOf(r.handlerId) : undefined;
  return (
    <div className="war-strip">
      <PhaseFlow room={room} />
      <dl className="war-facts">
        <div className={`war-fact war-level war-level-${r.level ?? "none"}`}>
          <dt>Level</dt>
          <dd title={level?.definition}>{r.level ? IMPACT_LABEL[r.level] : "Not triaged"}</dd>
        </div>
        <div className={`war-fact war-severity war-severity-${r.severity ?? "none"}`}>
          <dt>Severity</dt>
          <dd title={severity?.meaning}>
            {r.severity ? `${r.severity} · ${severity?.title ?? ""}` : "Not triaged"}
          </dd>
        </div>
        <div className="war-fact war-handler">
          <dt>Incident Handler</dt>
          <dd>
            {handler ? (
              <>
                <strong>{handler}</strong>
                {r.handlerId === me.id && <span className="badge badge-you">you</span>}
              </>
            ) : (
              <span className="muted">
                {incident.resolvedAt ? "Nobody: it was not triaged" : "Nobody yet: triage names one"}
              </span>
            )}
            {r.pendingHandover && (
              <span className="pending-handover">pending handover to {nameOf(r.pendingHandover.toId)}</span>
            )}
          </dd>
        </div>
        <div className="war-fact">
          <dt>{incident.resolvedAt ? "Lasted" : "Duration"}</dt>
          <dd>
            {incident.resolvedAt ? (
              formatElapsed(new Date(incident.resolvedAt).getTime() - openedMs)
            ) : (
              <Ticking fromMs={openedMs} label="open for" />
            )}
          </dd>
        </div>
      </dl>
      {/* What the handler found at triage is what the next person in needs first. */}
      {r.triageNote.trim() !== "" && (
        <p className="war-triage-note">
          <strong>Triage note:</strong> {r.triageNote}
        </p>
      )}
    </div>
  );
}

function PublicUpdateBanner({ room, onPost }: { room: WarRoom; onPost(): void }) {
  const now = useNow(15_000);
  const { response: r } = room;
  if (!r.publicUpdateRequired || room.publicUpdates.length > 0 || r.phase === "resolved") return null;
  const level = r.level ? IMPACT_LABEL[r.level].toLowerCase() : "this incident";
  const next = r.nextPublicUpdateReminderAt ? new Date(r.nextPublicUpdateReminderAt).getTime() : null;
  const minutes = next === null ? null : Math.max(0, Math.ceil((next - now) / 60_000));
  return (
    <div className="notice notice-warning war-banner" role="status">
      <p>
        <strong>
          A public update is required for {r.level === "outage" ? "an" : "a"} {level}
        </strong>
        {minutes !== null && ` — next reminder in ${minutes < 1 ? "under a minute" : `${minutes} min`}`}.
      </p>
      <button type="button" className="button" onClick={onPost}>
        Write the public update
      </button>
    </div>
  );
}

function HandoverBanner({ room }: { room: WarRoom }) {
  const { me, nameOf, incidentId, isHandler } = useWarRoom();
  const action = useAction();
  const pending = room.response.pendingHandover;
  if (!pending || (pending.toId !== me.id && !isHandler)) return <ActionOutcome action={action} />;
  const answer = (verb: "accept" | "decline" | "cancel", done: string) =>
    void action.run(() => response.answerHandover(incidentId, verb), done);
  return (
    <div className="notice notice-info war-banner">
      {pending.toId === me.id ? (
        <>
          <p>
            <strong>{nameOf(pending.fromId)} offers you the Incident Handler role.</strong> Until you accept,{" "}
            {nameOf(pending.fromId)} stays the handler.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={action.busy}
              onClick={() => answer("accept", "You are the Incident Handler now.")}
            >
              Accept the handler role
            </button>
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() => answer("decline", "Declined: the handler keeps the role.")}
            >
              Decline
            </button>
          </div>
        </>
      ) : (
        <>
          <p>
            You offered the Incident Handler role to <strong>{nameOf(pending.toId)}</strong>; you stay the
            handler until they accept.
          </p>
          <button
            type="button"
            className="button"
            disabled={action.busy}
            onClick={() => answer("cancel", "Handover withdrawn.")}
          >
            Withdraw the offer
          </button>
        </>
      )}
      <ActionOutcome action={action} />
    </div>
  );
}

/**
 * The watch ran out: with no alert firing the handler decides whether it is over; with one still
 * firing the fix has not worked yet, and the banner must not invite resolving.
 */
function WatchEndedBanner({ room, onResolve }: { room: WarRoom; onResolve(): void }) {
  const now = useNow(5_000);
  const { isHandler } = useWarRoom();
  const watch = room.response.watch;
  if (!watch || room.response.phase !== "monitoring" || new Date(watch.endsAt).getTime() > now) return null;
  const firing = room.diagnosis.alertCounts.firing;
  if (firing > 0)
    return (
      <div className="notice notice-warning war-banner" role="status">
        <p>
          <strong>
            {firing === 1 ? "An alert is" : `${firing} alerts are`} still firing {watch.watchMinutes} min
            after fix #{watch.fixNumber}.
          </strong>{" "}
          The fix has not worked yet: mark it failed and try another, or verify it once the alerts clear.
        </p>
      </div>
    );
  return (
    <div className="notice notice-success war-banner" role="status">
      <p>
        <strong>
          No alert in the {watch.watchMinutes} min after fix #{watch.fixNumber}.
        </strong>{" "}
        {isHandler
          ? "Resolve the incident if it is over."
          : "The Incident Handler decides whether to resolve."}
      </p>
      {isHandler && room.incident.state !== "resolved" && (
        <button type="button" className="button button-primary" onClick={onResolve}>
          Resolve
        </button>
      )}
    </div>
  );
}

export function WarRoomBanners(props: { room: WarRoom; onWritePublicUpdate(): void; onResolve(): void }) {
  return (
    <>
      <HandoverBanner room={props.room} />
      <PublicUpdateBanner room={props.room} onPost={props.onWritePublicUpdate} />
      <WatchEndedBanner room={props.room} onResolve={props.onResolve} />
    </>
  );
}
