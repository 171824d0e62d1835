// The console's areas, in menu order. Those not built yet say so plainly on their page.
import type { ComponentType } from "react";
import { TradesBadge } from "./pages/schedules-badge";
import { MyTasksBadge } from "./pages/war-room-badge";

export interface Area {
  path: string;
  label: string;
  /** Not built yet: the page says what is coming and what to keep relying on meanwhile. */
  comingLater?: { summary: string; meanwhile?: string };
  /** A count beside the label in the menu, such as trades waiting for me. */
  Badge?: ComponentType;
}

export const AREAS: readonly Area[] = [
  { path: "/", label: "Home" },
  { path: "/incidents", label: "Incidents" },
  { path: "/my-tasks", label: "My tasks", Badge: MyTasksBadge },
  { path: "/follow-ups", label: "Follow-ups" },
  {
    path: "/alerts",
    label: "Alerts",
    comingLater: {
      summary: "One list of every alert across services, with flap detection.",
      meanwhile:
        "Firebreak already receives alerts: each service's integrations (under Services) take them in, and every incident lists the alerts behind it. Maintenance windows are set on each service's page.",
    },
  },
  { path: "/schedules", label: "Schedules", Badge: TradesBadge },
  { path: "/on-call", label: "Escalation policies" },
  { path: "/directory", label: "Directory" },
  { path: "/services", label: "Services" },
  { path: "/status-pages", label: "Status pages" },
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
