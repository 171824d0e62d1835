// Pages for paths someone may not see, or that do not exist.
import { Page } from "../layout";
import { Link } from "../router";
import { ROLE_LABEL, useUser } from "../session";

/** `orTeamManagers`: the page also opens for a manager of the team that owns what it changes. */
export function AdminsOnlyPage({ orTeamManagers = false }: { orTeamManagers?: boolean }) {
  const user = useUser();
  return (
    <Page heading={orTeamManagers ? "Admins and team managers only" : "Admins only"}>
      <div className="notice notice-warning" role="alert">
        <p>
          {orTeamManagers
            ? "This page is for admins and for managers of the team that owns it."
            : "This page is for admins."}{" "}
          You are signed in as a {ROLE_LABEL[user.role].toLowerCase()}; ask{" "}
          {orTeamManagers ? "an admin or the team's manager" : "an admin"} if you need something changed here.
        </p>
      </div>
      <p>
        <Link to="/">Back to Home</Link>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page heading="Page not found">
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to="/">Back to Home</Link>
      </p>
    </Page>
  );
}
