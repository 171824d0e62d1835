// Which status-page screen a path under /status-pages shows; app.tsx loads this chunk on first visit.
import type { ReactNode } from "react";
import { NotFoundPage } from "./not-allowed";
import { StatusComponentsTab } from "./status-components";
import { StatusIncidentPage } from "./status-incident";
import { StatusIncidentsTab } from "./status-incidents";
import { StatusMaintenanceTab } from "./status-maintenance";
import { StatusPageShell } from "./status-page-shell";
import { StatusPagesPage } from "./status-pages";
import { StatusPreviewTab } from "./status-preview";
import { StatusSettingsTab } from "./status-settings";
import { StatusSubscribersTab } from "./status-subscribers";

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

const TABS: Record<string, () => ReactNode> = {
  "": () => <StatusComponentsTab />,
  incidents: () => <StatusIncidentsTab />,
  maintenance: () => <StatusMaintenanceTab />,
  subscribers: () => <StatusSubscribersTab />,
  settings: () => <StatusSettingsTab />,
  preview: () => <StatusPreviewTab />,
};

/** The page for `path`, or null when it is not a status-pages path. */
export function statusPageRoute(path: string): ReactNode {
  const [, first, pageId, section = "", itemId, ...rest] = path.split("/").map(decode);
  if (first !== "status-pages" || rest.length > 0) return null;
  if (!pageId) return <StatusPagesPage />;
  if (section === "incidents" && itemId)
    return (
      <StatusPageShell key={pageId} pageId={pageId} tab="incidents">
        <StatusIncidentPage key={itemId} incidentId={itemId} />
      </StatusPageShell>
    );
  const tab = itemId ? undefined : TABS[section];
  if (!tab) return null;
  return (
    <StatusPageShell key={pageId} pageId={pageId} tab={section}>
      {tab()}
    </StatusPageShell>
  );
}

/** The area's default export, for React.lazy: the screen for `path`, or "not found". */
export default function StatusPagesArea({ path }: { path: string }) {
  return statusPageRoute(path) ?? <NotFoundPage />;
}
