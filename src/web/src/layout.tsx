// The frames pages sit in: the signed-in shell (header, menu, footer), the centred card used by
// sign-in and welcome, and <Page>, which titles a page and takes focus after a navigation.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { api } from "./api";
import { AREAS } from "./areas";
import { useLoad } from "./data";
import { Link, NavLink, pathMatches, useNavigate, useRouter } from "./router";
import { ROLE_LABEL, useManagesSomeTeam, useSession, useUser } from "./session";

function Brand({ to }: { to?: string }) {
  const mark = (
    <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="2" y="2" width="20" height="20" rx="5" />
      <path d="M8 6v12M16 6v12" />
    </svg>
  );
  const content = (
    <>
      {mark}
      <span>Firebreak</span>
    </>
  );
  return to ? (
    <Link to={to} className="brand">
      {content}
    </Link>
  ) : (
    <span className="brand">{content}</span>
  );
}

function Footer() {
  const status = useLoad(api.status);
  return (
    <footer className="footer">
      <span>Firebreak{status.data ? ` ${status.data.version}` : ""}</span>
      <a href="/docs">API docs</a>
    </footer>
  );
}

export function Frame({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const { location, navigations } = useRouter();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const managesSomeTeam = useManagesSomeTeam();
  const areas = AREAS.filter((area) => !area.teamManagersOnly || managesSomeTeam === true);
  // Only the most specific match is current: on /settings/teams that is Teams, not Settings too.
  const current = areas
    .filter((area) => pathMatches(location.pathname, area.path, area.path === "/"))
    .reduce<string | undefined>(
      (best, area) => (best && best.length >= area.path.length ? best : area.path),
      undefined,
    );

  // After a navigation inside the app, move focus to the new page's heading, as a page load would.
  useEffect(() => {
    setMenuOpen(false);
    if (navigations === 0) return;
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    (heading ?? mainRef.current)?.focus({ preventScroll: true });
  }, [navigations, location.pathname]);

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
      navigate("/sign-in", { replace: true });
    }
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="button menu-button"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <Brand to="/" />
        <div className="account">
          <span className="account-who">
            <span className="account-name">{user.name}</span>
            <span className="badge">{ROLE_LABEL[user.role]}</span>
          </span>
          <button type="button" className="button" onClick={() => void onSignOut()} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="shell">
        <nav id="primary-nav" className={menuOpen ? "sidebar sidebar-open" : "sidebar"} aria-label="Main">
          <p className="sidebar-who">
            Signed in as <strong>{user.name}</strong> ({ROLE_LABEL[user.role].toLowerCase()})
          </p>
          <ul>
            {areas.map((area) => (
              <li key={area.path}>
                <NavLink to={area.path} current={area.path === current}>
                  <span>{area.label}</span>
                  {area.Badge && <area.Badge />}
                  {area.comingLater && <span className="soon">later</span>}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer />
    </div>
  );
}

/** The centred card for pages shown before anyone is signed in. */
export function CardLayout({ children }: { children: ReactNode }) {
  return (
    <div className="card-layout">
      <header className="card-layout-brand">
        <Brand />
      </header>
      <main id="main" className="card">
        {children}
      </main>
    </div>
  );
}

interface PageProps {
  /** The <h1>; also the document title unless `title` says otherwise. */
  heading: string;
  title?: string;
  lead?: ReactNode;
  /** A short line above the heading, such as an incident's number. */
  eyebrow?: ReactNode;
  /** The heading is text someone else wrote (an alert's summary): past a few lines, fold it. */
  foldLongHeading?: boolean;
  children?: ReactNode;
}

/** Past this many characters a folded heading shows three lines and a "whole title" button. */
const LONG_HEADING_CHARS = 160;

export function Page({ heading, title, lead, eyebrow, foldLongHeading, children }: PageProps) {
  const docTitle = title ?? heading;
  // A 1 KB alert summary as a page-high heading pushed Acknowledge a screen down.
  const foldable = foldLongHeading === true && heading.length > LONG_HEADING_CHARS;
  const [whole, setWhole] = useState(false);
  useEffect(() => {
    document.title = `${docTitle} · Firebreak`;
  }, [docTitle]);
  return (
    <>
      <div className="page-head">
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        <h1 tabIndex={-1} className={foldable && !whole ? "heading-folded" : undefined}>
          {heading}
        </h1>
        {foldable && (
          <button
            type="button"
            className="link-button"
            aria-expanded={whole}
            onClick={() => setWhole(!whole)}
          >
            {whole ? "Show less of the title" : "Show the whole title"}
          </button>
        )}
        {lead && <p className="lead">{lead}</p>}
      </div>
      {children}
    </>
  );
}

/** The tabs along the top of every settings page; admin pages only for admins, Teams also for managers. */
export function SettingsNav() {
  const user = useUser();
  const managesSomeTeam = useManagesSomeTeam();
  const teams = { to: "/settings/teams", label: "Teams" };
  const tabs = [
    { to: "/settings/account", label: "My account" },
    { to: "/settings/notifications", label: "Notifications" },
    ...(user.role === "admin"
      ? [
          { to: "/settings/users", label: "Users" },
          teams,
          { to: "/settings/api-keys", label: "API keys" },
          { to: "/settings/channels", label: "Channels" },
        ]
      : managesSomeTeam
        ? [teams]
        : []),
  ];
  return (
    <nav className="tabs" aria-label="Settings">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to}>{tab.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
