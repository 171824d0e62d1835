// The Preview tab: the page as customers see it, in a frame (on this host, so a private page opens
// with your session), at desktop or phone width, plus links to the page itself and its API and feeds.
import { useState } from "react";
import { previewPath } from "../status-api";
import { PublicLink, useStatusPage } from "./status-page-shell";

type Width = "desktop" | "phone";

export function StatusPreviewTab() {
  const { page } = useStatusPage();
  const [width, setWidth] = useState<Width>("desktop");
  const [reloads, setReloads] = useState(0);
  const path = previewPath(page);
  return (
    <section className="panel" aria-labelledby="status-preview">
      <h2 id="status-preview">Preview</h2>
      <p>
        As customers see it now, at <PublicLink page={page} />
        {page.private && " (private: your session opens it here; others need the secret link)"}.
      </p>
      <div className="actions actions-tight" role="group" aria-label="Preview width">
        <button
          type="button"
          className="button button-small"
          aria-pressed={width === "desktop"}
          onClick={() => setWidth("desktop")}
        >
          Desktop
        </button>
        <button
          type="button"
          className="button button-small"
          aria-pressed={width === "phone"}
          onClick={() => setWidth("phone")}
        >
          Phone
        </button>
        <button type="button" className="button button-small" onClick={() => setReloads((n) => n + 1)}>
          Reload the preview
        </button>
        <a className="button button-small" href={path} target="_blank" rel="noopener">
          Open in a new tab
        </a>
      </div>
      <div className={`status-preview status-preview-${width}`}>
        <iframe key={reloads} src={path} title={`${page.title} as customers see it`} />
      </div>
      <h3>For customers' tools</h3>
      <ul className="link-list">
        <li>
          <a href={`${path}/api/v2/summary.json`} target="_blank" rel="noopener">
            summary.json
          </a>{" "}
          <span className="muted">(Statuspage-compatible API)</span>
        </li>
        <li>
          <a href={`${path}/history.atom`} target="_blank" rel="noopener">
            Atom feed
          </a>{" "}
          and{" "}
          <a href={`${path}/history.rss`} target="_blank" rel="noopener">
            RSS feed
          </a>{" "}
          <span className="muted">of incidents</span>
        </li>
        <li>
          <a href={`${path}/history`} target="_blank" rel="noopener">
            Past incidents
          </a>
        </li>
      </ul>
    </section>
  );
}
