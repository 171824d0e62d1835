// Who does what: the Incident Handler (handed over only when the other person accepts), the
// communications lead and the responders.
import { useState, type FormEvent } from "react";
import { SelectField } from "../forms";
import { response, type WarRoom } from "../response-api";
import { ActionOutcome, useAction, useWarRoom } from "./war-room-context";

export function RolesPanel({ room }: { room: WarRoom }) {
  const { me, people, nameOf, incidentId, isHandler, canAct } = useWarRoom();
  const action = useAction();
  const r = room.response;
  const [handoverTo, setHandoverTo] = useState("");
  const [addId, setAddId] = useState("");
  const others = people.filter((p) => p.id !== r.handlerId);
  const notResponding = others.filter((p) => !r.responderIds.includes(p.id));
  const involved = r.handlerId === me.id || r.commsLeadId === me.id || r.responderIds.includes(me.id);

  const handover = (event: FormEvent) => {
    event.preventDefault();
    if (!handoverTo) return;
    void action
      .run(
        () => response.proposeHandover(incidentId, handoverTo),
        `Offered the Incident Handler role to ${nameOf(handoverTo)}; you stay the handler until they accept.`,
      )
      .then((ok) => ok && setHandoverTo(""));
  };
  const addResponder = (event: FormEvent) => {
    event.preventDefault();
    if (!addId) return;
    void action
      .run(() => response.addResponder(incidentId, addId), `${nameOf(addId)} joined the response.`)
      .then((ok) => ok && setAddId(""));
  };

  return (
    <section className="panel" aria-labelledby="roles">
      <h2 id="roles">People</h2>
      <dl className="roles">
        <dt>Incident Handler</dt>
        <dd>
          {r.handlerId ? (
            <strong>{nameOf(r.handlerId)}</strong>
          ) : room.incident.resolvedAt ? (
            "Nobody: it was not triaged"
          ) : (
            "Nobody yet"
          )}
          {r.pendingHandover && (
            <span className="pending-handover"> pending handover to {nameOf(r.pendingHandover.toId)}</span>
          )}
        </dd>
        <dt>Communications lead</dt>
        <dd>{r.commsLeadId ? nameOf(r.commsLeadId) : "None: the handler speaks for the incident"}</dd>
        <dt>Responders</dt>
        <dd>
          {r.responderIds.length === 0 ? (
            "None yet"
          ) : (
            <ul className="inline-list">
              {r.responderIds.map((id) => (
                <li key={id}>
                  {nameOf(id)}
                  {canAct && (isHandler || id === me.id) && (
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      disabled={action.busy}
                      onClick={() =>
                        void action.run(
                          () => response.removeResponder(incidentId, id),
                          `${nameOf(id)} left the response.`,
                        )
                      }
                    >
                      {id === me.id ? "Leave" : "Remove"}
                      <span className="visually-hidden"> {nameOf(id)}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>

      {canAct && r.handlerId && !involved && (
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(() => response.addResponder(incidentId, me.id), "You joined the response.")
          }
        >
          Join the response
        </button>
      )}

      {canAct && isHandler && (
        <div className="role-forms">
          {!r.pendingHandover && others.length > 0 && (
            <form className="inline-form" onSubmit={handover}>
              <SelectField
                label="Hand the handler role to"
                value={handoverTo}
                onChange={(e) => setHandoverTo(e.target.value)}
                options={[
                  { value: "", label: "Choose a person" },
                  ...others.map((p) => ({ value: p.id, label: p.name })),
                ]}
              />
              <button type="submit" className="button" disabled={action.busy || !handoverTo}>
                Offer the role
              </button>
            </form>
          )}
          <SelectField
            label="Communications lead"
            value={r.commsLeadId ?? ""}
            disabled={action.busy}
            onChange={(e) => {
              const userId = e.target.value || null;
              void action.run(
                () => response.setCommsLead(incidentId, userId),
                userId ? `${nameOf(userId)} is the communications lead.` : "No communications lead.",
              );
            }}
            options={[
              { value: "", label: "None: I speak for the incident" },
              ...others.map((p) => ({ value: p.id, label: p.name })),
            ]}
          />
          {notResponding.length > 0 && (
            <form className="inline-form" onSubmit={addResponder}>
              <SelectField
                label="Add a responder"
                value={addId}
                onChange={(e) => setAddId(e.target.value)}
                options={[
                  { value: "", label: "Choose a person" },
                  ...notResponding.map((p) => ({ value: p.id, label: p.name })),
                ]}
              />
              <button type="submit" className="button" disabled={action.busy || !addId}>
                Add
              </button>
            </form>
          )}
        </div>
      )}
      <ActionOutcome action={action} />
    </section>
  );
}
