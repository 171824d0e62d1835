// The console's areas, in menu order. Those not built yet say so plainly on their page, and point
// to the parts that already exist elsewhere, so a menu entry never hides a working feature.
import type { ComponentType } from "react";
import { TradesBadge } from "./pages/schedules-badge";
import { MyTasksBadge } from "./pages/war-room-badge";

export interface Area {
  path: string;
  label: string;
  /** Not built yet: the page says what is coming and what to keep relying on meanwhile. */
  comingLater?: { summary: string; meanwhile?: string; links?: ReadonlyArray<{ to: string; label: string }> };
  /** Shown in the menu only to those who may open it: admins and the managers of a team. */
  teamManagersOnly?: boolean;
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
      links: [
        { to: "/services", label: "Services and their integrations" },
        { to: "/incidents", label: "Incidents and their alerts" },
      ],
    },
  },
  { path: "/schedules", label: "Schedules", Badge: TradesBadge },
  { path: "/on-call", label: "Escalation policies" },
  { path: "/directory", label: "Directory" },
  { path: "/services", label: "Services" },
  // Teams live under Settings; "Team" here once led to the team-health placeholder instead.
  { path: "/settings/teams", label: "Teams", teamManagersOnly: true },
  { path: "/status-pages", label: "Status pages" },
  {
    path: "/post-mortems",
    label: "Post-mortems",
    comingLater: {
      summary:
        "Post-mortems drafted from the incident timeline, with action items that have owners and due dates and are followed up until done.",
      meanwhile:
        "Each incident keeps its timeline, fix log and tasks, and every hotfix leaves a follow-up with an owner and a deadline that is chased until someone closes it.",
      links: [
        { to: "/follow-ups", label: "Follow-ups" },
        { to: "/incidents", label: "Incidents and their timelines" },
      ],
    },
  },
  {
    path: "/team-health",
    label: "Team health",
    comingLater: {
      summary:
        "One view of each team's on-call load, night pages, heroics and overdue fixes, plus comp time.",
      meanwhile:
        "Each schedule's fairness report already shows everyone's hours on call, nights, weekends and holidays, with the payroll CSV; overdue fixes are under Follow-ups; teams and who is in them are in the Directory.",
      links: [
        { to: "/schedules", label: "Schedules (open one for its fairness report)" },
        { to: "/follow-ups?state=overdue", label: "Overdue follow-ups" },
        { to: "/directory", label: "Directory: teams and their members" },
      ],
    },
  },
  { path: "/settings", label: "Settings" },
];

export const areaAt = (path: string): Area | undefined => AREAS.find((a) => a.path === path);
