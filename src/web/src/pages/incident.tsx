// /incidents/:number: the war room. At the top, always: phase, level, severity, the Incident Handler
// and the duration, then the big buttons; below, the playbook, tasks, fixes, communication, diagnosis,
// the people and the timeline. Built for a phone at 3 a.m.; live through the incident stream.
import { useEffect, useMemo, useState } from "react";
import { alerting, LEVEL_HELP, LEVEL_LABEL, type Incident, type IncidentDetail } from "../alerting-api";
import { api, messageOf, roleAllows } from "../api";
import { formatDuration, formatTime, useLoad, useNow } from "../data";
import { Page } from "../layout";
import { useIncidentStream, useLiveDownSince } from "../live";
import { IMPACT_LABEL, response, type WarRoom } from "../response-api";
import { Link } from "../router";
import { useUser } from "../session";
import { LiveDownWarning, LiveIndicator, LoadState, StateBadge } from "../widgets";
import { IncidentActions } from "./incident-actions";
import { Alerts, escalationRanOut, escalationText, RecentChanges, Timeline } from "./incident-parts";
import { hourMinuteOf } from "./escalation-when";
import { CommsPanel, PUBLIC_UPDATE_FIELD } from "./war-room-comms";
import { WarRoomProvider, type Person, type WarRoomValue } from "./war-room-context";
import { DiagnosisPanel } from "./war-room-diagnosis";
import { FIX_FIELD, FixesPanel } from "./war-room-fixes";
import { WarRoomBanners, WarRoomStrip } from "./war-room-head";
import { RolesPanel } from "./war-room-roles";
import { focusField, type Shortcut } from "./war-room-shortcuts";
import { NEW_TASK_FIELD, TasksPanel } from "./war-room-tasks";
import "../war-room.css";

/** While messages are still being sent, look again this often so their outcome shows up. */
const PENDING_POLL_MS = 3_000;

const clockOf = hourMinuteOf;

/** Whether every alert came from "Page someone" (the manual integration's keys): no sender to fall silent. */
const pagedByHand = (detail: IncidentDetail): boolean =>
  detail.alerts.length > 0 &&
  detail.alerts.length === detail.alertCounts.total &&
  detail.alerts.every((a) => a.dedupKey.startsWith("manual:"));

/** People by id, so the timeline can say who by name (the server records their email). */
export type Names = ReadonlyMap<string, string>;

/** Who did it: their name when they are a user we know, else what the timeline recorded. */
function whoDid(detail: IncidentDetail, kind: string, names: Names): string | undefined {
  const actor = [...detail.timeline].reverse().find((t) => t.kind === kind)?.actor;
  return actor ? (names.get(actor.id) ?? actor.label) : undefined;
}

function Facts(props: { detail: IncidentDetail; now: number; names: Names; withDuration: boolean }) {
  const { detail, now, names } = props;
  const { incident } = detail;
  const end = incident.resolvedAt ? new Date(incident.resolvedAt).getTime() : now;
  const duration = formatDuration(end - new Date(incident.openedAt).getTime());
  const ackBy = whoDid(detail, "incident.acknowledged", names);
  return (
    <dl className="facts">
      <div>
        <dt>State</dt>
        <dd>
          <StateBadge state={incident.state} large />
        </dd>
      </div>
      <div>
        <dt>Paging</dt>
        <dd>
          {LEVEL_LABEL[incident.level]} <span className="muted">({LEVEL_HELP[incident.level]})</span>
        </dd>
      </div>
      <div>
        <dt>Service</dt>
        <dd>
          <Link to={`/services/${incident.serviceId}`}>{detail.serviceName}</Link>
        </dd>
      </div>
      {props.withDuration ? (
        <div>
          <dt>{incident.resolvedAt ? "Resolved after" : "Open for"}</dt>
          <dd>
            {duration}{" "}
            <span className="muted">
              (since <time dateTime={incident.openedAt}>{formatTime(incident.openedAt)}</time>)
            </span>
          </dd>
        </div>
      ) : (
        <div>
          <dt>Opened</dt>
          <dd>
            <time dateTime={incident.openedAt}>{formatTime(incident.openedAt)}</time>
          </dd>
        </div>
      )}
      <div>
        <dt>Escalation</dt>
        <dd>
          {escalationText({
            incident,
            nextEscalationAt: detail.nextEscalationAt ?? null,
            ranOut: escalationRanOut(detail.timeline),
            nowMs: now,
            nameOf: (id) => names.get(id) ?? "someone",
            clockOf,
          })}
        </dd>
      </div>
      {incident.acknowledgedAt && (
        <div>
          <dt>Acknowledged</dt>
          <dd>
            {ackBy ? `by ${ackBy}, ` : ""}
            <time dateTime={incident.acknowledgedAt}>{formatTime(incident.acknowledgedAt)}</time>
          </dd>
        </div>
      )}
    </dl>
  );
}

function Playbook({ room }: { room: WarRoom }) {
  if (!room.playbook) return null;
  return (
    <section className="panel playbook" aria-labelledby="playbook">
      <h2 id="playbook">{IMPACT_LABEL[room.playbook.level]} playbook</h2>
      <ol className="playbook-steps">
        {room.playbook.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
    </section>
  );
}

const SECTIONS = [
  ["tasks", "Tasks"],
  ["fixes", "Fixes"],
  ["comms", "Communication"],
  ["diagnosis", "Diagnosis"],
  ["roles", "People"],
  ["timeline", "Timeline"],
] as const;

function JumpNav() {
  return (
    <nav className="war-jump" aria-label="Incident sections">
      <ul>
        {SECTIONS.map(([id, label]) => (
          <li key={id}>
            <a href={`#${id}`}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface Loaded {
  detail: IncidentDetail;
  room: WarRoom | undefined;
  roomError: string | undefined;
}

/** The incident, then its response data; the page still works (acknowledge, resolve) without the latter. */
async function loadIncident(reference: string): Promise<Loaded> {
  const detail = await alerting.getIncident(reference);
  try {
    return { detail, room: await response.warRoom(detail.incident.id), roomError: undefined };
  } catch (err) {
    return { detail, room: undefined, roomError: messageOf(err) };
  }
}

export function IncidentPage({ reference }: { reference: string }) {
  const user = useUser();
  const now = useNow(15_000);
  const loaded = useLoad(() => loadIncident(reference));
  const users = useLoad(api.listUsers);
  const directory = useLoad(response.directory);
  const [confirmResolve, setConfirmResolve] = useState(false);
  const detail = loaded.data?.detail;
  const room = loaded.data?.room;
  const incidentId = detail?.incident.id;
  const { reload } = loaded;

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of directory.data?.people ?? []) map.set(p.id, p.name);
    for (const u of users.data ?? []) map.set(u.id, u.name);
    if (room) {
      const r = room.response;
      if (r.handlerId && r.handlerName) map.set(r.handlerId, r.handlerName);
      for (const t of room.tasks) if (t.ownerId && t.ownerName) map.set(t.ownerId, t.ownerName);
      for (const f of room.fixes) map.set(f.authorId, f.authorName);
      for (const f of room.followUps) map.set(f.ownerId, f.ownerName);
      for (const u of room.publicUpdates) map.set(u.postedBy, u.postedByName);
    }
    map.set(user.id, user.name);
    return map;
  }, [directory.data, users.data, room, user]);

  const people = useMemo<Person[]>(() => {
    const list = directory.data?.people ?? (users.data ?? []).filter((u) => !u.disabledAt);
    const all = list.map((p) => ({ id: p.id, name: p.name }));
    if (!all.some((p) => p.id === user.id)) all.push({ id: user.id, name: user.name });
    return all.sort((a, b) => a.name.localeCompare(b.name));
  }, [directory.data, users.data, user]);

  const live = useIncidentStream(
    (event) => {
      if (event.id === incidentId) void reload();
    },
    () => void reload(),
  );
  const downSince = useLiveDownSince(live);

  // Messages still going out: check again shortly, so failures appear without a reload.
  const pending = detail?.deliveries.some((d) => d.status === "pending") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => void reload(), PENDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, loaded.data, reload]);

  const canAct = roleAllows(user.role, "responder");
  const moreShortcuts: Shortcut[] = [
    {
      key: "t",
      label: "Add a task",
      enabled: room !== undefined && canAct,
      run: () => void focusField(NEW_TASK_FIELD),
    },
    {
      key: "f",
      label: "Log a fix",
      enabled: room !== undefined && canAct && detail?.incident.state !== "resolved",
      run: () => void focusField(FIX_FIELD),
    },
    {
      key: "u",
      label: "Write a public update",
      enabled: room !== undefined && canAct,
      run: () => {
        if (!focusField(PUBLIC_UPDATE_FIELD)) document.getElementById("public-updates")?.scrollIntoView();
      },
    },
  ];

  if (!detail) {
    return (
      <Page heading={`Incident ${reference}`}>
        <LoadState what="the incident" loading={loaded.loading} error={loaded.error} />
        <p>
          <Link to="/incidents">All incidents</Link>
        </p>
      </Page>
    );
  }

  const { incident } = detail;
  const onChanged = (updated: Incident) => {
    // Until the reload, no next-step time: the one loaded belonged to the escalation before the change.
    loaded.set((d) => (d ? { ...d, detail: { ...d.detail, incident: updated, nextEscalationAt: null } } : d));
    void reload();
  };

  const value: WarRoomValue | undefined = room && {
    room,
    incidentId: incident.id,
    me: user,
    canAct,
    isHandler: room.response.handlerId === user.id,
    directory: directory.data,
    people,
    nameOf: (id) => (id ? (names.get(id) ?? "someone") : "nobody"),
    refresh: reload,
  };

  const timeline = (
    <Timeline
      entries={detail.timeline}
      names={names}
      omitted={detail.omittedTimelineEntries}
      deliveries={detail.deliveries}
      unanswered={incident.state === "triggered"}
    />
  );
  const head = (
    <>
      {/* Quiet while live (the first screen is for acting); amber once updates are paused. */}
      {(live === "reconnecting" || live === "offline") && (
        <LiveIndicator status={live} downSince={downSince} />
      )}
      {downSince !== null && (
        <LiveDownWarning
          what="this page"
          missed="Changes to it"
          downSince={downSince}
          loadedAt={loaded.loadedAt}
        />
      )}
      <section
        className={`panel incident-head incident-head-${incident.state}`}
        aria-label="Status and actions"
      >
        <IncidentActions
          incident={incident}
          canAct={canAct}
          room={room}
          firingAlerts={detail.alertCounts.firing}
          totalAlerts={detail.alertCounts.total}
          pagedByHand={pagedByHand(detail)}
          confirmResolve={confirmResolve}
          onConfirmResolve={setConfirmResolve}
          onChanged={onChanged}
          onRefresh={() => void reload()}
          moreShortcuts={moreShortcuts}
        />
        {room && (
          <WarRoomBanners
            room={room}
            onWritePublicUpdate={() => void focusField(PUBLIC_UPDATE_FIELD)}
            onResolve={() => setConfirmResolve(true)}
          />
        )}
        <Facts detail={detail} now={now} names={names} withDuration={!room} />
      </section>
      {loaded.error && (
        <div className="notice notice-warning" role="status">
          <p>Could not refresh: {loaded.error} The page may be out of date.</p>
        </div>
      )}
    </>
  );

  return (
    <Page
      heading={incident.title}
      title={`INC-${incident.number} ${incident.title}`}
      foldLongHeading
      eyebrow={
        <>
          <Link to="/incidents">Incidents</Link> <span aria-hidden="true">›</span>{" "}
          <span className="incident-number">INC-{incident.number}</span>
        </>
      }
    >
      {value ? (
        <WarRoomProvider value={value}>
          <div className="war-strip-bar">
            <WarRoomStrip room={value.room} />
          </div>
          {head}
          <JumpNav />
          <Playbook room={value.room} />
          <div className="war-room-body">
            <div className="war-main">
              <TasksPanel room={value.room} />
              <FixesPanel room={value.room} />
              <CommsPanel room={value.room} />
              <DiagnosisPanel
                diagnosis={value.room.diagnosis}
                serviceId={incident.serviceId}
                incidentId={incident.id}
              />
            </div>
            <div className="war-side">
              <RolesPanel room={value.room} />
              {timeline}
            </div>
          </div>
        </WarRoomProvider>
      ) : (
        <>
          {head}
          {loaded.data?.roomError && (
            <div className="notice notice-warning" role="status">
              <p>
                The response tools (triage, tasks, fixes, updates) could not load: {loaded.data.roomError}{" "}
                Acknowledge, resolve and escalate still work.
              </p>
            </div>
          )}
          <div className="incident-body">
            {timeline}
            <div>
              <Alerts incidentId={incident.id} alerts={detail.alerts} counts={detail.alertCounts} now={now} />
              <RecentChanges changes={detail.recentChanges} now={now} />
            </div>
          </div>
        </>
      )}
    </Page>
  );
}
