// /directory: whom to call. Teams with their escalation policies and members, people with their
// phone numbers (the profile phone first, as a tel: link), and outside vendors' support lines
// (admins keep the vendor list).
import { useState, type FormEvent } from "react";
import { safeHref } from "../alerting-api";
import { ConfirmDialog } from "../dialog";
import { useLoad } from "../data";
import { Field, FormError, TextAreaField, useSubmission } from "../forms";
import { Page } from "../layout";
import { response, type DirectoryTeam, type Vendor, type VendorInput } from "../response-api";
import { useUser } from "../session";
import { Link } from "../router";
import { LoadState, telHref } from "../widgets";
import "../war-room.css";

function PhoneLink({ number, label }: { number: string; label?: string }) {
  return (
    <a href={telHref(number)} className="phone-link">
      {number}
      {label && <span className="muted"> ({label})</span>}
    </a>
  );
}

function TeamCard({ team }: { team: DirectoryTeam }) {
  return (
    <li>
      <h3>{team.name}</h3>
      <p>
        <span className="muted">Escalation: </span>
        {team.escalationPolicies.length > 0
          ? team.escalationPolicies.map((p) => p.name).join(", ")
          : "no policy pages this team"}
      </p>
      <p>
        <span className="muted">Members: </span>
        {team.members.length > 0 ? team.members.map((m) => m.name).join(", ") : "none"}
      </p>
    </li>
  );
}

function VendorForm(props: { vendor?: Vendor; onSaved(vendor: Vendor): void; onCancel?(): void }) {
  const [name, setName] = useState(props.vendor?.name ?? "");
  const [phone, setPhone] = useState(props.vendor?.phone ?? "");
  const [url, setUrl] = useState(props.vendor?.url ?? "");
  const [notes, setNotes] = useState(props.vendor?.notes ?? "");
  const submission = useSubmission(["name", "phone", "url", "notes"], { conflictField: "name" });
  const f = submission.fields;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body: VendorInput = { name, phone: phone.trim() || null, url: url.trim() || null, notes };
      const saved = props.vendor
        ? await response.updateVendor(props.vendor.id, body)
        : await response.addVendor(body);
      if (!props.vendor) {
        setName("");
        setPhone("");
        setUrl("");
        setNotes("");
      }
      props.onSaved(saved);
    });
  };
  return (
    <form
      className="form"
      onSubmit={submit}
      noValidate
      aria-label={props.vendor ? `Edit ${props.vendor.name}` : "Add a vendor"}
    >
      <FormError message={submission.error} />
      <div className="form-row">
        <Field
          label="Vendor"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            submission.clear("name");
          }}
          error={f.name}
        />
        <Field
          label="Support phone"
          type="tel"
          value={phone}
          onChange={(e) => {
            setPhone(e.target.value);
            submission.clear("phone");
          }}
          error={f.phone}
        />
      </div>
      <Field
        label="Support page"
        type="url"
        value={url}
        placeholder="https://status.example.com"
        onChange={(e) => {
          setUrl(e.target.value);
          submission.clear("url");
        }}
        error={f.url}
      />
      <TextAreaField
        label="Notes"
        rows={2}
        value={notes}
        onChange={(e) => {
          setNotes(e.target.value);
          submission.clear("notes");
        }}
        error={f.notes}
        hint="Contract number, support tier, what to say when you call."
      />
      <div className="actions actions-tight">
        <button type="submit" className="button button-primary" disabled={submission.busy}>
          {props.vendor ? "Save vendor" : "Add vendor"}
        </button>
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function VendorCard(props: { vendor: Vendor; isAdmin: boolean; onChanged(): void }) {
  const { vendor } = props;
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const remove = useSubmission([]);
  const href = vendor.url ? safeHref(vendor.url) : undefined;
  if (editing)
    return (
      <li>
        <VendorForm
          vendor={vendor}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            props.onChanged();
          }}
        />
      </li>
    );
  return (
    <li>
      <h3>{vendor.name}</h3>
      {vendor.phone && (
        <p>
          <PhoneLink number={vendor.phone} />
        </p>
      )}
      {href && (
        <p>
          <a href={href} target="_blank" rel="noopener noreferrer" className="break">
            {vendor.url}
          </a>
        </p>
      )}
      {vendor.notes && <p className="muted break">{vendor.notes}</p>}
      {props.isAdmin && (
        <div className="actions actions-tight">
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit<span className="visually-hidden"> {vendor.name}</span>
          </button>
          <button
            type="button"
            className="button button-small button-danger-quiet"
            onClick={() => setRemoving(true)}
          >
            Delete<span className="visually-hidden"> {vendor.name}</span>
          </button>
        </div>
      )}
      <ConfirmDialog
        open={removing}
        title={`Delete ${vendor.name}?`}
        confirmLabel="Delete"
        danger
        busy={remove.busy}
        onCancel={() => setRemoving(false)}
        onConfirm={() =>
          void remove.run(async () => {
            await response.removeVendor(vendor.id);
            setRemoving(false);
            props.onChanged();
          })
        }
      >
        <FormError message={remove.error} />
        <p>Responders will no longer see this support line in the directory or at triage.</p>
      </ConfirmDialog>
    </li>
  );
}

export function DirectoryPage() {
  const user = useUser();
  const directory = useLoad(response.directory);
  const isAdmin = user.role === "admin";
  const d = directory.data;
  const reload = () => void directory.reload();

  return (
    <Page
      heading="Directory"
      lead="Whom to call: teams and their escalation, people and their phones, and your vendors' support lines. Triage and “Call in help” use the same list."
    >
      <LoadState what="the directory" loading={directory.loading && !d} error={directory.error} />
      {d && (
        <>
          <section className="panel" aria-labelledby="teams">
            <h2 id="teams">Teams</h2>
            {d.teams.length === 0 ? (
              <p className="empty">
                No teams yet.
                {isAdmin && (
                  <>
                    {" "}
                    Create them under <Link to="/settings/teams">Settings → Teams</Link>.
                  </>
                )}
              </p>
            ) : (
              <ul className="card-grid">
                {d.teams.map((t) => (
                  <TeamCard key={t.id} team={t} />
                ))}
              </ul>
            )}
            {isAdmin && d.teams.length > 0 && (
              <p>
                <Link to="/settings/teams">Change teams and their members</Link>
              </p>
            )}
          </section>
          <section className="panel" aria-labelledby="people">
            <h2 id="people">People</h2>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                </tr>
              </thead>
              <tbody>
                {d.people.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.name}</th>
                    <td data-label="Email" className="break">
                      <a href={`mailto:${p.email}`}>{p.email}</a>
                    </td>
                    <td data-label="Phone">
                      {p.phones.length > 0 ? (
                        p.phones.map((n) => <PhoneLink key={n.number} number={n.number} label={n.label} />)
                      ) : (
                        <span className="muted">No phone on record</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">
              Everyone sets their own phone under <Link to="/settings/account">Settings → My account</Link>
              {isAdmin && (
                <>
                  ; admins can set anyone's under <Link to="/settings/users">Settings → Users</Link>
                </>
              )}
              .
            </p>
          </section>
          <section className="panel" aria-labelledby="vendors">
            <h2 id="vendors">Vendors</h2>
            {d.vendors.length === 0 ? (
              <p className="empty">No vendors yet.</p>
            ) : (
              <ul className="card-grid">
                {d.vendors.map((v) => (
                  <VendorCard key={v.id} vendor={v} isAdmin={isAdmin} onChanged={reload} />
                ))}
              </ul>
            )}
            {isAdmin && (
              <>
                <h3>Add a vendor</h3>
                <VendorForm onSaved={reload} />
              </>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
