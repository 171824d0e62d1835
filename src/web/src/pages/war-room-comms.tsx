// One channel and two audiences: the incident channel and video call for the team, internal
// updates for stakeholders, and public updates (investigating → identified → monitoring → resolved)
// written from the level's template.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { alerting, safeHref } from "../alerting-api";
import { formatTime, useLoad, useNow } from "../data";
import { Field, FormError, SelectField, TextAreaField, useSubmission } from "../forms";
import { PHASE_LABEL, PHASES, response, type ResponsePhase, type WarRoom } from "../response-api";
import { When } from "../widgets";
import { ActionOutcome, useAction, useWarRoom } from "./war-room-context";

export const PUBLIC_UPDATE_FIELD = "public-update-message";

/**
 * What happens without an incident channel. Triage opens it (a Slack channel of its own when this
 * server's Slack app may create one, else a thread in the service's shared channel); meanwhile the
 * shared channel, if the service has one, hears of page- and notify-level incidents opening and changing.
 */
function NoIncidentChannel({ room }: { room: WarRoom }) {
  const { incident, response: r } = room;
  const service = useLoad(() => alerting.getService(incident.serviceId));
  const channels = useLoad(alerting.listChannels);
  const sharedId = service.data?.channelId;
  const shared = sharedId ? channels.data?.find((c) => c.id === sharedId) : undefined;
  if (service.loading || channels.loading) return <p className="muted">Checking where updates go…</p>;
  const hears = !shared
    ? "The service has no shared channel."
    : incident.level === "ticket"
      ? `${shared.name}, the service's shared channel, is not told of ticket-level incidents.`
      : `${shared.name}, the service's shared channel, hears when this incident opens, is acknowledged or resolved.`;
  if (r.triagedAt)
    // Triaged without one: neither the Slack app nor a shared channel was there when it was set.
    return (
      <p className="muted">
        No incident channel was set at triage, so the key events stay on this page&apos;s timeline. {hears}
      </p>
    );
  return (
    <p className="muted">
      Not triaged yet. {hears} Triage sets the incident channel: a Slack channel of its own when the Slack app
      is set up, otherwise{" "}
      {shared ? `a thread in ${shared.name}.` : "none, and the key events stay on this page's timeline."}
    </p>
  );
}

function ChannelLine({ room }: { room: WarRoom }) {
  const { channel } = room.response;
  const href = channel.url ? safeHref(channel.url) : undefined;
  const name = channel.name ?? "the incident channel";
  if (channel.kind === "none") return <NoIncidentChannel room={room} />;
  return (
    <p>
      {channel.kind === "slack-channel" ? "Slack channel " : "Thread in the service's channel "}
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {name}
        </a>
      ) : (
        <strong>{name}</strong>
      )}
      <span className="muted">: the key events of the timeline are posted there.</span>
    </p>
  );
}

function VideoCall({ room }: { room: WarRoom }) {
  const { canAct, incidentId } = useWarRoom();
  const action = useAction();
  const current = room.response.videoCallUrl;
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(current ?? "");
  const href = current ? safeHref(current) : undefined;
  const save = (event: FormEvent) => {
    event.preventDefault();
    const value = url.trim() || null;
    void action
      .run(
        () => response.setVideoCall(incidentId, value),
        value ? "Video call link saved." : "Video call link removed.",
      )
      .then((ok) => ok && setEditing(false));
  };
  return (
    <div className="video-call">
      {href && !editing ? (
        <p>
          <a className="button button-primary" href={href} target="_blank" rel="noopener noreferrer">
            Join the video call
          </a>{" "}
          <span className="muted break">{current}</span>
        </p>
      ) : (
        !editing && <p className="muted">No video call yet.</p>
      )}
      {canAct && !editing && (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setUrl(current ?? "");
            setEditing(true);
          }}
        >
          {current ? "Change the call link" : "Add a video call link"}
        </button>
      )}
      {editing && (
        <form className="inline-form" onSubmit={save} noValidate>
          <Field
            label="Video call link"
            type="url"
            inputMode="url"
            value={url}
            placeholder="https://meet.example.com/inc-42"
            onChange={(e) => setUrl(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={action.busy}>
            Save link
          </button>
          <button type="button" className="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      <ActionOutcome action={action} />
    </div>
  );
}

function InternalUpdate() {
  const { incidentId, refresh } = useWarRoom();
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState<string>();
  const submission = useSubmission(["message"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(undefined);
    void submission.run(async () => {
      const posted = await response.postInternalUpdate(incidentId, message);
      setMessage("");
      const emailed = posted.emailed.length;
      const told = posted.backOff.length;
      setSent(
        `Sent to the incident channel${emailed > 0 ? `, emailed to ${emailed} stakeholder${emailed === 1 ? "" : "s"}` : ""}${told > 0 ? `, and a “back off” notice to ${told} dependent service${told === 1 ? "" : "s"}` : ""}.`,
      );
      await refresh();
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError message={submission.error} />
      <TextAreaField
        label="Internal update"
        rows={2}
        value={message}
        onChange={(e) => {
          setMessage(e.target.value);
          submission.clear("message");
        }}
        error={submission.fields.message}
        hint="For the team and stakeholders: the channel, the service's stakeholders by email, and a “back off” note to teams of dependent services."
      />
      <button type="submit" className="button" disabled={submission.busy}>
        {submission.busy ? "Sending…" : "Send internal update"}
      </button>
      <p role="status">{sent}</p>
    </form>
  );
}

function PublicUpdateForm({ room }: { room: WarRoom }) {
  const { incidentId, refresh } = useWarRoom();
  const draft = room.publicUpdateDraft;
  const [status, setStatus] = useState<ResponsePhase>(draft?.status ?? room.response.phase);
  const [message, setMessage] = useState(draft?.message ?? "");
  const [posted, setPosted] = useState<string>();
  const lastDraft = useRef(draft?.message ?? "");
  const submission = useSubmission(["status", "message", "componentIds"]);

  // A newer draft (after triage set the level) replaces the text only if nobody has edited it.
  const serverDraft = draft?.message;
  useEffect(() => {
    if (serverDraft === undefined) return;
    setMessage((text) => (text === "" || text === lastDraft.current ? serverDraft : text));
    lastDraft.current = serverDraft;
  }, [serverDraft]);

  const loadTemplate = async (forStatus: ResponsePhase, force: boolean) => {
    try {
      const next = await response.publicUpdateDraft(incidentId, forStatus);
      setMessage((text) => (force || text === "" || text === lastDraft.current ? next.message : text));
      lastDraft.current = next.message;
    } catch {
      // No template (an untriaged incident): the poster writes the message.
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPosted(undefined);
    void submission.run(async () => {
      await response.postPublicUpdate(incidentId, { status, message });
      setPosted(`Public update posted (${PHASE_LABEL[status].toLowerCase()}).`);
      await refresh();
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Public update">
      <FormError message={submission.error} />
      <SelectField
        label="Public status"
        value={status}
        onChange={(e) => {
          const next = e.target.value as ResponsePhase;
          setStatus(next);
          submission.clear("status");
          void loadTemplate(next, false);
        }}
        options={PHASES.map((p) => ({ value: p, label: PHASE_LABEL[p] }))}
        error={submission.fields.status}
      />
      <TextAreaField
        id={PUBLIC_UPDATE_FIELD}
        label="Public message"
        rows={4}
        maxLength={5000}
        value={message}
        onChange={(e) => {
          setMessage(e.target.value);
          submission.clear("message");
        }}
        error={submission.fields.message}
        hint="What customers read on the status page: plain words, no internals, no blame."
        aria-keyshortcuts="u"
      />
      <div className="actions actions-tight">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {submission.busy ? "Posting…" : "Post public update"}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            submission.clear("message");
            void loadTemplate(status, true);
          }}
        >
          Start again from the template
        </button>
      </div>
      <p role="status">{posted}</p>
    </form>
  );
}

function PublicUpdates({ room }: { room: WarRoom }) {
  const now = useNow();
  const updates = [...room.publicUpdates].sort((a, b) => b.postedAt.localeCompare(a.postedAt));
  if (updates.length === 0) return <p className="muted">No public update yet.</p>;
  return (
    <ol className="public-updates" aria-label="Posted public updates">
      {updates.map((u) => (
        <li key={u.id}>
          <p>
            <span className={`phase-badge phase-${u.status}`}>{PHASE_LABEL[u.status]}</span>{" "}
            <span className="muted">
              {u.postedByName}, <When iso={u.postedAt} now={now} />
            </span>
          </p>
          <p className="break" title={formatTime(u.postedAt)}>
            {u.message}
          </p>
        </li>
      ))}
    </ol>
  );
}

export function CommsPanel({ room }: { room: WarRoom }) {
  const { me, canAct, nameOf } = useWarRoom();
  const r = room.response;
  const maySpeak = canAct && (r.handlerId === me.id || r.commsLeadId === me.id);
  return (
    <section className="panel" aria-labelledby="comms">
      <h2 id="comms">Communication</h2>
      <ChannelLine room={room} />
      <VideoCall room={room} />
      {canAct && <InternalUpdate />}
      <h3 id="public-updates">Public updates</h3>
      <PublicUpdates room={room} />
      {maySpeak ? (
        <PublicUpdateForm room={room} />
      ) : (
        <p className="muted">
          {r.handlerId
            ? `One voice: ${r.commsLeadId ? `${nameOf(r.commsLeadId)} (communications lead) or ` : ""}${nameOf(r.handlerId)} (Incident Handler) posts public updates.`
            : "The Incident Handler posts public updates once the incident is triaged."}
        </p>
      )}
    </section>
  );
}
