// /status-pages: every status page with where customers see it; admins create new ones here.
import { useState, type FormEvent } from "react";
import { useLoad } from "../data";
import { FormError, useSubmission } from "../forms";
import { Page } from "../layout";
import { Link, useNavigate } from "../router";
import { useUser } from "../session";
import { statusPages, type StatusPage } from "../status-api";
import { LoadState } from "../widgets";
import {
  emptyDraft,
  PageSettingsFields,
  revealedSecretLinks,
  secretLinkOf,
  SETTINGS_FIELDS,
  settingsOf,
} from "./status-page-fields";
import { PublicLink } from "./status-page-shell";
import "../status-pages.css";

function CreatePageForm() {
  const navigate = useNavigate();
  const [draft, setDraft] = useState(emptyDraft);
  const [slugEdited, setSlugEdited] = useState(false);
  const submission = useSubmission(SETTINGS_FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const settings = settingsOf(draft);
      const created = await statusPages.create({
        title: settings.title,
        slug: settings.slug,
        brandColor: settings.brandColor,
        timeZone: settings.timeZone,
        private: settings.private,
        ...(settings.logoUrl && { logoUrl: settings.logoUrl }),
        ...(settings.customDomain && { customDomain: settings.customDomain }),
      });
      if (created.secretLinkToken)
        revealedSecretLinks.set(created.id, secretLinkOf(created, created.secretLinkToken));
      navigate(`/status-pages/${encodeURIComponent(created.id)}`);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-status-page">
      <FormError message={submission.error} />
      <PageSettingsFields
        idPrefix="create-page"
        draft={draft}
        errors={submission.fields}
        clear={submission.clear}
        slugFollowsTitle={!slugEdited}
        onChange={(next) => {
          if (next.slug !== draft.slug && next.title === draft.title) setSlugEdited(true);
          setDraft(next);
        }}
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Creating…" : "Create status page"}
      </button>
    </form>
  );
}

function PageTable({ list }: { list: StatusPage[] }) {
  const sorted = [...list].sort((a, b) => a.title.localeCompare(b.title));
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Status page</th>
          <th scope="col">Customers see it at</th>
          <th scope="col">Who can read it</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((p) => (
          <tr key={p.id}>
            <th scope="row" className="break">
              <Link to={`/status-pages/${encodeURIComponent(p.id)}`}>{p.title}</Link>
            </th>
            <td data-label="Customers see it at">
              <PublicLink page={p} />
            </td>
            <td data-label="Who can read it">
              {p.private ? (
                <span className="badge badge-warning">Private</span>
              ) : (
                <span className="badge badge-success">Public</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusPagesPage() {
  const user = useUser();
  const list = useLoad(statusPages.list);
  const isAdmin = user.role === "admin";
  return (
    <Page
      heading="Status pages"
      lead="What customers see: components and their status, incidents and maintenance as you post them, 90 days of history, feeds and a Statuspage-compatible API. The page works without JavaScript."
    >
      <section className="panel" aria-labelledby="all-status-pages">
        <h2 id="all-status-pages">All status pages</h2>
        <LoadState what="status pages" loading={list.loading && !list.data} error={list.error} />
        {list.data && list.data.length === 0 && (
          <p className="empty">
            No status page yet. {isAdmin ? "Create the first one below." : "An admin creates them."}
          </p>
        )}
        {list.data && list.data.length > 0 && <PageTable list={list.data} />}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="create-status-page">
          <h2 id="create-status-page">Create a status page</h2>
          <CreatePageForm />
        </section>
      )}
    </Page>
  );
}
