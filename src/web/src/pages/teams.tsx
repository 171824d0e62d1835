// Settings → Teams: the teams and who is in each. An escalation step can page a whole team,
// services and schedules name their team, and a schedule offers its cover requests to that team.
// Admins create and delete teams; admins and a team's managers change its members and their roles.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { alerting, type TeamMembership } from "../alerting-api";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { DeleteButton } from "../delete-button";
import { Field, FormError, useSubmission } from "../forms";
import { Page, SettingsNav } from "../layout";
import { response, type DirectoryPerson, type DirectoryTeam } from "../response-api";
import { useMayManageTeam, useSession, useUser } from "../session";
import { LoadState, OutcomeNotice, type Outcome } from "../widgets";

type TeamRole = TeamMembership["role"];

function CreateTeamForm(props: { onSubmitting(): void; onCreated(name: string): void }) {
  const [name, setName] = useState("");
  const submission = useSubmission(["name"], { conflictField: "name" });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmitting();
    void submission.run(async () => {
      const team = await alerting.createTeam({ name });
      setName("");
      props.onCreated(team.name);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-team">
      <FormError message={submission.error} />
      <Field
        label="Name"
        autoComplete="off"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={submission.fields.name}
        hint="Such as “Platform” or “Payments”."
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create team"}
      </button>
    </form>
  );
}

interface TeamItemProps {
  team: DirectoryTeam;
  /** Everyone who can sign in (the directory leaves out disabled accounts). */
  people: readonly DirectoryPerson[];
  /** An admin: may delete the team. */
  isAdmin: boolean;
  /** An admin, or a manager of this team: may change its members and their roles. */
  mayManage: boolean;
  onChanged(outcome: Outcome, changedUserId?: string): Promise<void>;
}

function TeamItem({ team, people, isAdmin, mayManage, onChanged }: TeamItemProps) {
  const [picked, setPicked] = useState("");
  const [role, setRole] = useState<TeamRole>("member");
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLSelectElement>(null);
  // After a change the pressed button may be gone (a removed member): focus goes to the picker,
  // once the list is drawn again.
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (changes > 0) picker.current?.focus();
  }, [changes]);
  const members = new Set(team.members.map((m) => m.userId));
  const candidates = people.filter((u) => !members.has(u.id));
  const pickerId = `team-${team.id}-add`;

  const change = async (action: () => Promise<unknown>, done: string, userId: string) => {
    setBusy(true);
    try {
      await action();
      await onChanged({ kind: "success", text: done }, userId);
      setPicked("");
    } catch (err) {
      await onChanged({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
      setChanges((n) => n + 1);
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    const user = candidates.find((u) => u.id === picked);
    if (!user || busy) return;
    const as = role === "manager" ? " as a manager" : "";
    void change(
      () => alerting.setTeamMember(team.id, user.id, role),
      `Added ${user.name} to ${team.name}${as}.`,
      user.id,
    );
  };

  return (
    <li className="card-item team-item">
      <div className="policy-head">
        <h3>{team.name}</h3>
        {isAdmin && (
          <DeleteButton
            name={team.name}
            onDelete={async () => {
              await alerting.deleteTeam(team.id);
              await onChanged({ kind: "success", text: `Deleted ${team.name}.` });
            }}
          >
            <p>
              Its memberships go with it. A team that owns services, or that an escalation policy pages,
              cannot be deleted until they are moved.
            </p>
          </DeleteButton>
        )}
      </div>
      <p className="muted">
        {team.escalationPolicies.length > 0
          ? `Paged by: ${team.escalationPolicies.map((p) => p.name).join(", ")}`
          : "No escalation policy pages this team yet."}
      </p>
      {team.members.length === 0 ? (
        <p>Nobody is in this team yet: paging it reaches nobody.</p>
      ) : (
        <ul className="chips" aria-label={`Members of ${team.name}`}>
          {team.members.map((m) => {
            const other: TeamRole = m.role === "manager" ? "member" : "manager";
            return (
              <li key={m.userId} className="chip">
                <span>
                  {m.name}
                  {m.role === "manager" && <span className="badge badge-quiet">manager</span>}
                </span>
                {mayManage && (
                  <>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Make ${other}: ${m.name} in ${team.name}`}
                      disabled={busy}
                      onClick={() =>
                        void change(
                          () => alerting.setTeamMember(team.id, m.userId, other),
                          `${m.name} is now a ${other} of ${team.name}.`,
                          m.userId,
                        )
                      }
                    >
                      Make {other}
                    </button>
                    <button
                      type="button"
                      className="chip-remove"
                      aria-label={`Remove ${m.name} from ${team.name}`}
                      disabled={busy}
                      onClick={() =>
                        void change(
                          () => alerting.removeTeamMember(team.id, m.userId),
                          `Removed ${m.name} from ${team.name}.`,
                          m.userId,
                        )
                      }
                    >
                      ×
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!mayManage ? null : candidates.length === 0 ? (
        <p className="muted">Everyone who can sign in is in this team.</p>
      ) : (
        <form className="field" onSubmit={add} noValidate>
          <label htmlFor={pickerId}>Add to {team.name}</label>
          <div className="inline-controls">
            <select id={pickerId} ref={picker} value={picked} onChange={(e) => setPicked(e.target.value)}>
              <option value="">Choose a person…</option>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
            <select
              aria-label={`Role in ${team.name}`}
              value={role}
              onChange={(e) => setRole(e.target.value as TeamRole)}
            >
              <option value="member">as a member</option>
              <option value="manager">as a manager</option>
            </select>
            <button type="submit" className="button" disabled={!picked || busy}>
              Add<span className="visually-hidden"> to {team.name}</span>
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export function TeamsPage() {
  // One load: the directory has the teams with their members, and everyone who could join them.
  const directory = useLoad(response.directory);
  const [message, setMessage] = useState<Outcome>();
  const user = useUser();
  const { refresh } = useSession();
  const mayManage = useMayManageTeam();
  const isAdmin = user.role === "admin";
  const teams = [...(directory.data?.teams ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const people = directory.data?.people ?? [];

  const changed = async (next: Outcome, changedUserId?: string) => {
    setMessage(next);
    // A manager who stepped down or left loses the team's controls: the session knows at once.
    if (changedUserId === user.id) await refresh();
    await directory.reload();
  };

  return (
    <Page
      heading="Teams"
      title="Teams · Settings"
      lead="Who works together. An escalation step can page everyone in a team, and a schedule offers its cover requests to its team."
    >
      <SettingsNav />
      {isAdmin && (
        <section className="panel" aria-labelledby="create-team">
          <h2 id="create-team">Create a team</h2>
          <CreateTeamForm
            // A new attempt's outcome replaces the last one: an old "Added" must not sit above a new error.
            onSubmitting={() => setMessage(undefined)}
            onCreated={(name) =>
              void changed({ kind: "success", text: `Created “${name}”. Add its members below.` })
            }
          />
        </section>
      )}
      <section className="panel" aria-labelledby="all-teams">
        <h2 id="all-teams">All teams</h2>
        <OutcomeNotice outcome={message} />
        <LoadState what="teams" loading={directory.loading && !directory.data} error={directory.error} />
        {directory.data && teams.length === 0 && (
          <p className="empty">No teams yet.{isAdmin && " Create the first one above."}</p>
        )}
        {directory.data && teams.length > 0 && (
          <ul className="card-list">
            {teams.map((team) => (
              <TeamItem
                key={team.id}
                team={team}
                people={people}
                isAdmin={isAdmin}
                mayManage={mayManage(team.id)}
                onChanged={changed}
              />
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
