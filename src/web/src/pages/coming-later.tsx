// The honest page for an area that is not built yet, with links to what already does part of it.
import type { Area } from "../areas";
import { Page } from "../layout";
import { Link } from "../router";

export function ComingLaterPage({ area }: { area: Area }) {
  const later = area.comingLater;
  const links = later?.links ?? [];
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
        {links.length > 0 && (
          <>
            <h2 id="meanwhile">What you can use today</h2>
            <ul className="link-list" aria-labelledby="meanwhile">
              {links.map((link) => (
                <li key={link.to}>
                  <Link to={link.to}>{link.label}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
        <p>
          <Link to="/">Back to Home</Link>
        </p>
      </section>
    </Page>
  );
}
