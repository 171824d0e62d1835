// Which page a path shows, and the rule that everything but sign-in and welcome needs a session.
import { lazy, Suspense, type ReactNode } from "react";
import { areaAt } from "./areas";
import { Frame } from "./layout";
import { ApiKeysPage } from "./pages/api-keys";
import { ChannelsPage } from "./pages/channels";
import { ComingLaterPage } from "./pages/coming-later";
import { EscalationPoliciesPage } from "./pages/escalation-policies";
import { HomePage } from "./pages/home";
import { IncidentPage } from "./pages/incident";
import { IncidentsPage } from "./pages/incidents";
import { MyAccountPage } from "./pages/my-account";
import { AdminsOnlyPage, NotFoundPage } from "./pages/not-allowed";
import { NotAnsweringPage } from "./pages/not-answering";
import { NotificationsPage } from "./pages/notifications";
import { PolicyEditorPage } from "./pages/policy-editor";
import { scheduleRoute } from "./pages/schedules-routes";
import { ServicePage } from "./pages/service";
import { ServicesPage } from "./pages/services";
import { SignInPage } from "./pages/sign-in";
import { TeamsPage } from "./pages/teams";
import { UsersPage } from "./pages/users";
import { DirectoryPage } from "./pages/war-room-directory";
import { FollowUpsPage } from "./pages/war-room-follow-ups";
import { MyTasksPage } from "./pages/war-room-my-tasks";
import { WelcomePage } from "./pages/welcome";
import { Redirect, useLocation } from "./router";
import { useManagesSomeTeam, useSession, useUser } from "./session";

// Loaded on first visit: the status-page screens are a chunk of their own.
const StatusPagesArea = lazy(() => import("./pages/status-routes"));

function AdminOnly({ children }: { children: ReactNode }) {
  const user = useUser();
  return user.role === "admin" ? <>{children}</> : <AdminsOnlyPage />;
}

/** Admins, and responders who manage a team (the page shows controls only for their teams). */
function AdminOrTeamManager({ children }: { children: ReactNode }) {
  const may = useManagesSomeTeam();
  if (may === undefined) return <p role="status">Loading your teams…</p>;
  return may ? <>{children}</> : <AdminsOnlyPage orTeamManagers />;
}

/** Paths with a parameter: `/incidents/12` → the incident page for "12". */
function paramRoute(path: string): ReactNode {
  const [, first, second, third, ...rest] = path.split("/");
  if (rest.length > 0 || !first) return null;
  const param = (value: string | undefined) => (value ? decodeURIComponent(value) : undefined);
  if (first === "incidents" && second && !third) {
    const ref = param(second) ?? "";
    return <IncidentPage key={ref} reference={ref} />;
  }
  if (first === "services" && second && !third) {
    const id = param(second) ?? "";
    return <ServicePage key={id} serviceId={id} />;
  }
  if (first === "on-call" && second === "escalation-policies" && third) {
    const id = param(third);
    return (
      <AdminOnly>
        <PolicyEditorPage key={id} policyId={id === "new" ? undefined : id} />
      </AdminOnly>
    );
  }
  return null;
}

function SignedInRoutes({ path }: { path: string }) {
  switch (path) {
    case "/":
      return <HomePage />;
    case "/incidents":
      return <IncidentsPage />;
    case "/my-tasks":
      return <MyTasksPage />;
    case "/follow-ups":
      return <FollowUpsPage />;
    case "/directory":
      return <DirectoryPage />;
    case "/services":
      return <ServicesPage />;
    case "/on-call":
      return <Redirect to="/on-call/escalation-policies" />;
    case "/on-call/escalation-policies":
      return <EscalationPoliciesPage />;
    case "/settings/notifications":
      return <NotificationsPage />;
    case "/settings/channels":
      return (
        <AdminOnly>
          <ChannelsPage />
        </AdminOnly>
      );
    case "/settings":
      return <Redirect to="/settings/account" />;
    case "/settings/account":
      return <MyAccountPage />;
    case "/settings/users":
      return (
        <AdminOnly>
          <UsersPage />
        </AdminOnly>
      );
    case "/team":
      // The old address of the teams page (a placeholder once): bookmarks land on Teams.
      return <Redirect to="/settings/teams" />;
    case "/settings/teams":
      return (
        <AdminOrTeamManager>
          <TeamsPage />
        </AdminOrTeamManager>
      );
    case "/settings/api-keys":
      return (
        <AdminOnly>
          <ApiKeysPage />
        </AdminOnly>
      );
  }
  const schedulePage = scheduleRoute(path);
  if (schedulePage) return schedulePage;
  if (path === "/status-pages" || path.startsWith("/status-pages/"))
    return (
      <Suspense fallback={<p role="status">Loading status pages…</p>}>
        <StatusPagesArea path={path} />
      </Suspense>
    );
  const area = areaAt(path);
  if (area?.comingLater) return <ComingLaterPage area={area} />;
  return paramRoute(path) ?? <NotFoundPage />;
}

export function App() {
  const { state, refresh } = useSession();
  const location = useLocation();
  const path = location.pathname.length > 1 ? location.pathname.replace(/\/+$/, "") : location.pathname;

  // The welcome page works whatever the session: it carries its own one-time token.
  if (path === "/welcome") return <WelcomePage />;

  if (state.status === "loading") {
    return (
      <div className="loading" role="status">
        Loading Firebreak…
      </div>
    );
  }
  if (state.status === "unavailable") {
    return <NotAnsweringPage message={state.message} retry={refresh} />;
  }
  if (path === "/sign-in") return <SignInPage />;

  if (state.status === "signed-out") {
    const here = path + location.search;
    const next = state.reason !== "signed-out" && here !== "/" ? `?next=${encodeURIComponent(here)}` : "";
    return <Redirect to={`/sign-in${next}`} />;
  }

  return (
    <Frame>
      <SignedInRoutes path={path} />
    </Frame>
  );
}
