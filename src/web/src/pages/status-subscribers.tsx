// The Subscribers tab (admins): who hears about incidents and maintenance, by email (after they
// confirm) or webhook, and removing one.
import { useState } from "react";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { FormError, useSubmission } from "../forms";
import { statusPages, type Subscriber } from "../status-api";
import { LoadState } from "../widgets";
import { useStatusPage } from "./status-page-shell";
import { PageTime } from "./status-widgets";

const addressOf = (s: Subscriber): string => (s.kind === "webhook" ? (s.webhookUrl ?? s.email) : s.email);
const kindOf = (s: Subscriber): string => (s.kind === "webhook" ? "Webhook" : "Email");
const confirmed = (s: Subscriber): boolean => s.confirmedAt !== null;

export function StatusSubscribersTab() {
  const { page } = useStatusPage();
  const list = useLoad(() => statusPages.listSubscribers(page.id));
  const [removing, setRemoving] = useState<Subscriber>();
  const [message, setMessage] = useState<string>();
  const removal = useSubmission([]);
  const subscribers = [...(list.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const waiting = subscribers.filter((s) => !confirmed(s)).length;

  return (
    <section className="panel" aria-labelledby="status-subscribers">
      <h2 id="status-subscribers">Subscribers</h2>
      <p className="muted">
        Customers subscribe on the page. Email subscribers confirm first and can leave with one click from any
        message; webhooks get each incident update and maintenance notice as JSON.
      </p>
      <div role="status">
        {message && (
          <div className="notice notice-success">
            <p>{message}</p>
          </div>
        )}
      </div>
      <LoadState what="subscribers" loading={list.loading && !list.data} error={list.error} />
      {list.data && subscribers.length === 0 && <p className="empty">No subscribers yet.</p>}
      {subscribers.length > 0 && (
        <>
          <p>
            {subscribers.length} subscriber{subscribers.length === 1 ? "" : "s"}
            {waiting > 0 && `, ${waiting} not confirmed yet`}.
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Kind</th>
                <th scope="col">Confirmed</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subscribers.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="break">
                    {addressOf(s)}
                    {s.kind === "webhook" && (
                      <span className="muted status-subscriber-email"> confirmed by {s.email}</span>
                    )}
                  </th>
                  <td data-label="Kind">{kindOf(s)}</td>
                  <td data-label="Confirmed">
                    {confirmed(s) ? "Yes" : <span className="badge badge-warning">Waiting</span>}
                  </td>
                  <td data-label="Since">
                    <PageTime iso={s.createdAt} />
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-danger-quiet"
                      onClick={() => {
                        setMessage(undefined);
                        setRemoving(s);
                      }}
                    >
                      Remove<span className="visually-hidden"> {addressOf(s)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ConfirmDialog
        open={removing !== undefined}
        title="Remove this subscriber?"
        confirmLabel="Remove"
        danger
        busy={removal.busy}
        onConfirm={() =>
          void removal.run(async () => {
            if (!removing) return;
            await statusPages.removeSubscriber(page.id, removing.id);
            list.set((items) => items?.filter((x) => x.id !== removing.id));
            setMessage(`Removed ${addressOf(removing)}.`);
            setRemoving(undefined);
          })
        }
        onCancel={() => {
          setRemoving(undefined);
          removal.reset();
        }}
      >
        <p className="break">{removing && addressOf(removing)} gets no more messages from this page.</p>
        <FormError message={removal.error} />
      </ConfirmDialog>
    </section>
  );
}
