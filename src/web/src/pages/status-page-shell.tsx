// The frame of one status page in the console: its title, where customers see it, the tabs, and the
// page, components and groups every tab works with (loaded once, shared through context).
import { createContext, useContext, type ReactNode } from "react";
import { safeHref } from "../alerting-api";
import { useLoad, type Loaded } from "../data";
import { Page } from "../layout";
import { Link, NavLink } from "../router";
import { useUser } from "../session";
import { statusPages, type ComponentGroup, type StatusComponent, type StatusPage } from "../status-api";
import { LoadState } from "../widgets";
import { SecretLinkNotice } from "./status-page-fields";
import "../status-pages.css";

export interface StatusPageContext {
  page: StatusPage;
  /** Sorted by group position, then by their own position. */
  components: StatusComponent[];
  groups: ComponentGroup[];
  isAdmin: boolean;
  nameOf(componentId: string): string;
  setPage(page: StatusPage): void;
  /** Loads components and groups again, after a change that moves or derives several of them. */
  reloadComponents(): Promise<void>;
}

const Context = createContext<StatusPageContext | null>(null);

export function useStatusPage(): StatusPageContext {
  const value = useContext(Context);
  if (!value) throw new Error("useStatusPage outside StatusPageShell");
  return value;
}

const byPosition = <T extends { position: number; name: string }>(a: T, b: T) =>
  a.position - b.position || a.name.localeCompare(b.name);

/** Components in the order customers see them: ungrouped ones first, then group by group. */
export function orderComponents(
  components: readonly StatusComponent[],
  groups: readonly ComponentGroup[],
): StatusComponent[] {
  const groupRank = new Map([...groups].sort(byPosition).map((g, i) => [g.id, i + 1]));
  const rank = (c: StatusComponent) => (c.groupId ? (groupRank.get(c.groupId) ?? 0) : 0);
  return [...components].sort((a, b) => rank(a) - rank(b) || byPosition(a, b));
}

function Tabs({ pageId, isAdmin }: { pageId: string; isAdmin: boolean }) {
  const at = `/status-pages/${encodeURIComponent(pageId)}`;
  const tabs = [
    { to: at, label: "Components", exact: true },
    { to: `${at}/incidents`, label: "Incidents" },
    { to: `${at}/maintenance`, label: "Maintenance" },
    ...(isAdmin ? [{ to: `${at}/subscribers`, label: "Subscribers" }] : []),
    { to: `${at}/settings`, label: "Settings" },
    { to: `${at}/preview`, label: "Preview" },
  ];
  return (
    <nav className="tabs" aria-label="Status page">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to} exact={tab.exact}>
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Where customers see the page, as a link that opens a new tab. */
export function PublicLink({ page }: { page: StatusPage }) {
  const href = safeHref(new URL(page.publicUrl, window.location.origin).href);
  if (!href) return <code className="break">{page.publicUrl}</code>;
  return (
    <a href={href} target="_blank" rel="noopener" className="break">
      {page.publicUrl}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

const TAB_TITLE: Record<string, string> = {
  "": "Components",
  incidents: "Incidents",
  maintenance: "Maintenance",
  subscribers: "Subscribers",
  settings: "Settings",
  preview: "Preview",
};

export function StatusPageShell(props: { pageId: string; tab: string; children: ReactNode }) {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const page = useLoad(() => statusPages.get(props.pageId));
  const components = useLoad(() => statusPages.listComponents(props.pageId));
  const groups = useLoad(() => statusPages.listGroups(props.pageId));

  function contextOf(data: StatusPage): StatusPageContext {
    const list = orderComponents(components.data ?? [], groups.data ?? []);
    const names = new Map(list.map((c) => [c.id, c.name]));
    return {
      page: data,
      components: list,
      groups: [...(groups.data ?? [])].sort(byPosition),
      isAdmin,
      nameOf: (componentId) => names.get(componentId) ?? "a removed component",
      setPage: (next) => page.set(() => next),
      reloadComponents: async () => {
        await Promise.all([components.reload(), groups.reload()]);
      },
    };
  }

  const value = page.data ? contextOf(page.data) : null;
  const heading = page.data?.title ?? "Status page";
  return (
    <Page
      heading={heading}
      title={`${TAB_TITLE[props.tab] ?? "Status page"} · ${heading}`}
      eyebrow={<Link to="/status-pages">Status pages</Link>}
      lead={
        page.data && (
          <>
            {page.data.private ? (
              <span className="badge badge-warning">Private</span>
            ) : (
              <span className="badge badge-success">Public</span>
            )}{" "}
            Customers see it at <PublicLink page={page.data} />
          </>
        )
      }
    >
      <LoadState what="the status page" loading={page.loading && !page.data} error={page.error} />
      <StillLoading what="components" loaded={components} />
      <StillLoading what="component groups" loaded={groups} />
      {value && (
        <Context.Provider value={value}>
          <SecretLinkNotice pageId={props.pageId} />
          <Tabs pageId={props.pageId} isAdmin={isAdmin} />
          {props.children}
        </Context.Provider>
      )}
    </Page>
  );
}

function StillLoading<T>({ what, loaded }: { what: string; loaded: Loaded<T> }) {
  return loaded.error ? <LoadState what={what} loading={false} error={loaded.error} /> : null;
}
