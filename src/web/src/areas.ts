// The console's areas, in menu order. Those not built yet say so plainly on their page.

export interface Area {
  path: string;
  label: string;
  /** Not built yet: the page says what is coming and what to keep relying on meanwhile. */
  comingLater?: { summary: string; meanwhile?: string };
}

export const AREAS: readonly Area[] = [
  { path: "/", label: "Home" },
  {
    path: "/incidents",
    label: "Incidents",
    comingLater: {
      summary:
        "Declare and run incidents: one named Incident Handler, severity levels, an attack plan with owners, fixes logged one at a time, and a timeline that drafts the post-mortem.",
      meanwhile: "Firebreak does not track incidents yet. Keep running them the way you do today.",
    },
  },
  {
    path: "/alerts",
    label: "Alerts",
    comingLater: {
      summary:
        "Receive alerts from Alertmanager, Grafana, Uptime Kuma and other tools, with deduplication, grouping, flap detection and maintenance windows, so that pages mean something.",
      meanwhile:
        "Firebreak does not receive or route alerts yet. Keep your current alerting and paging running.",
    },
  },
  {
    path: "/on-call",
    label: "On-call",
    comingLater: {
      summary:
        "Schedules with rotations, overrides and swaps, escalation policies, follow-the-sun shifts and calendar feeds.",
      meanwhile: "Firebreak does not page anyone yet. Nobody is on call through Firebreak.",
    },
  },
  {
    path: "/services",
    label: "Services",
    comingLater: {
      summary:
        "A service catalog: owning team, runbooks, dependencies, and how many people can really handle each service.",
    },
  },
  {
    path: "/status-pages",
    label: "Status pages",
    comingLater: {
      summary:
        "Public status pages that work without JavaScript, with incident posts, feeds and a Statuspage-compatible API.",
      meanwhile: "No public status page is published by Firebreak yet.",
    },
  },
  {
    path: "/post-mortems",
    label: "Post-mortems",
    comingLater: {
      summary:
        "Post-mortems drafted from the incident timeline, with action items that have owners and due dates and are followed up until done.",
    },
  },
  {
    path: "/team",
    label: "Team",
    comingLater: {
      summary:
        "Team health: on-call load, night pages, heroics and overdue fixes, plus comp time and an on-call pay report.",
    },
  },
  { path: "/settings", label: "Settings" },
];

export const areaAt = (path: string): Area | undefined => AREAS.find((a) => a.path === path);
