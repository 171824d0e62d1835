// The Settings tab: the page's title, slug, logo, colour, domain, time zone and who can read it;
// rotating a private page's secret link; deleting the page.
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../dialog";
import { FormError, useSubmission } from "../forms";
import { useNavigate } from "../router";
import { statusPages, type PageSettings, type StatusPage } from "../status-api";
import { useStatusPage } from "./status-page-shell";
import {
  draftOf,
  PageSettingsFields,
  revealedSecretLinks,
  SecretLinkNotice,
  SETTINGS_FIELDS,
  settingsOf,
} from "./status-page-fields";

/** Only what differs from the page as loaded: an untouched field is not sent (nor checked) again. */
function changedSettings(page: StatusPage, next: PageSettings): Partial<PageSettings> {
  const changed: Partial<PageSettings> = {};
  for (const key of Object.keys(next) as (keyof PageSettings)[])
    if (next[key] !== page[key]) Object.assign(changed, { [key]: next[key] });
  return changed;
}

function SettingsForm() {
  const { page, setPage } = useStatusPage();
  const [draft, setDraft] = useState(() => draftOf(page));
  const [saved, setSaved] = useState<string>();
  const submission = useSubmission(SETTINGS_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    void submission.run(async () => {
      const next = await statusPages.update(page.id, changedSettings(page, settingsOf(draft)));
      setPage(next);
      setDraft(draftOf(next));
      setSaved(
        next.private && !page.private
          ? "Saved. The page is private now: rotate the secret link below to share it without a sign-in."
          : "Saved.",
      );
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="status-settings">
      <FormError message={submission.error} />
      <PageSettingsFields
        idPrefix="settings"
        draft={draft}
        errors={submission.fields}
        clear={submission.clear}
        onChange={setDraft}
      />
      <button type="submit" className="button button-primary" disabled={submission.busy}>
        {submission.busy ? "Saving…" : "Save settings"}
      </button>
      <p role="status">{saved}</p>
    </form>
  );
}

function SecretLink() {
  const { page } = useStatusPage();
  const [confirming, setConfirming] = useState(false);
  const [revealed, setRevealed] = useState(0);
  const rotation = useSubmission([]);
  return (
    <section className="panel" aria-labelledby="secret-link">
      <h2 id="secret-link">Secret link</h2>
      <p>
        People signed in to Firebreak can read this private page. Anyone else needs the secret link, which
        Firebreak shows only when it is made: on creating the page, and here when you rotate it.
      </p>
      <SecretLinkNotice key={revealed} pageId={page.id} />
      <button type="button" className="button" onClick={() => setConfirming(true)}>
        Rotate the secret link
      </button>
      <ConfirmDialog
        open={confirming}
        title="Rotate the secret link?"
        confirmLabel="Rotate"
        busy={rotation.busy}
        onConfirm={() =>
          void rotation.run(async () => {
            const { url } = await statusPages.rotateSecretLink(page.id);
            revealedSecretLinks.set(page.id, url);
            setRevealed((n) => n + 1);
            setConfirming(false);
          })
        }
        onCancel={() => {
          setConfirming(false);
          rotation.reset();
        }}
      >
        <p>The old link stops working at once; you get a new one to share.</p>
        <FormError message={rotation.error} />
      </ConfirmDialog>
    </section>
  );
}

function DeletePage() {
  const { page } = useStatusPage();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const removal = useSubmission([]);
  return (
    <section className="panel" aria-labelledby="delete-status-page">
      <h2 id="delete-status-page">Delete this status page</h2>
      <p className="muted">
        Customers get “not found”; subscribers hear nothing more. This cannot be undone.
      </p>
      <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
        Delete {page.title}
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${page.title}?`}
        confirmLabel="Delete the page"
        danger
        busy={removal.busy}
        onConfirm={() =>
          void removal.run(async () => {
            await statusPages.remove(page.id);
            navigate("/status-pages");
          })
        }
        onCancel={() => {
          setConfirming(false);
          removal.reset();
        }}
      >
        <p>Its components, incidents, maintenance, history and subscribers go with it.</p>
        <FormError message={removal.error} />
      </ConfirmDialog>
    </section>
  );
}

export function StatusSettingsTab() {
  const { page, isAdmin } = useStatusPage();
  if (!isAdmin)
    return (
      <section className="panel" aria-labelledby="status-settings">
        <h2 id="status-settings">Settings</h2>
        <dl className="status-facts">
          <div>
            <dt>Slug</dt>
            <dd>{page.slug}</dd>
          </div>
          <div>
            <dt>Custom domain</dt>
            <dd>{page.customDomain ?? "None"}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{page.timeZone}</dd>
          </div>
          <div>
            <dt>Who can read it</dt>
            <dd>{page.private ? "People signed in, or with the secret link" : "Everyone"}</dd>
          </div>
        </dl>
        <p className="muted">Admins change these.</p>
      </section>
    );
  return (
    <>
      <section className="panel" aria-labelledby="status-settings">
        <h2 id="status-settings">Settings</h2>
        <SettingsForm />
      </section>
      {page.private && <SecretLink />}
      <DeletePage />
    </>
  );
}
