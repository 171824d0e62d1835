// The honest page for an area that is not built yet.
import type { Area } from "../areas";
import { Page } from "../layout";
import { Link } from "../router";

export function ComingLaterPage({ area }: { area: Area }) {
  const later = area.comingLater;
  return (
    <Page heading={area.label} lead={`${area.label} is coming in a later release of Firebreak.`}>
      <section className="panel">
        <h2>What it will do</h2>
        <p>{later?.summary}</p>
        {later?.meanwhile && (
          <div className="notice notice-warning">
            <p>{later.meanwhile}</p>
          </div>
        )}
        <p>
          <Link to="/">Back to Home</Link>
        </p>
      </section>
    </Page>
  );
}
