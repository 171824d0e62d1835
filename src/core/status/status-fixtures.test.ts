import type {
  MaintenanceRecord,
  StatusComponentRecord,
  StatusIncidentRecord,
  StatusPageSnapshot,
} from "./status-records.js";

/** Shared records for the status core's tests (no tests here: this file only builds fixtures). */

export const T0 = Date.parse("2025-03-02T09:30:00.000Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const component = (id: string, over: Partial<StatusComponentRecord> = {}): StatusComponentRecord => ({
  id,
  pageId: "p-1",
  groupId: null,
  name: `Component ${id}`,
  description: null,
  position: 0,
  serviceIds: [],
  manualStatus: null,
  onlyShowIfDegraded: false,
  showcase: true,
  createdAtMs: T0 - 200 * DAY,
  updatedAtMs: T0 - 200 * DAY,
  ...over,
});

export const incident = (id: string, over: Partial<StatusIncidentRecord> = {}): StatusIncidentRecord => ({
  id,
  pageId: "p-1",
  name: `Incident ${id}`,
  status: "investigating",
  impact: "major",
  componentIds: ["c-1"],
  componentStatus: "partial_outage",
  sourceIncidentId: null,
  createdAtMs: T0 - HOUR,
  updatedAtMs: T0 - HOUR,
  monitoringAtMs: null,
  resolvedAtMs: null,
  updates: [],
  ...over,
});

export const maintenance = (id: string, over: Partial<MaintenanceRecord> = {}): MaintenanceRecord => ({
  id,
  pageId: "p-1",
  name: `Maintenance ${id}`,
  body: "Upgrading the database.",
  componentIds: ["c-1"],
  scheduledForMs: T0 - HOUR,
  scheduledUntilMs: T0 + HOUR,
  status: "scheduled",
  startedAtMs: null,
  completedAtMs: null,
  cancelledAtMs: null,
  createdAtMs: T0 - DAY,
  updatedAtMs: T0 - DAY,
  updates: [],
  ...over,
});

export const snapshot = (over: Partial<StatusPageSnapshot> = {}): StatusPageSnapshot => ({
  page: {
    id: "p-1",
    slug: "acme",
    title: "Acme",
    logoUrl: null,
    brandColor: "#1F6FEB",
    customDomain: null,
    private: false,
    secretTokenHash: null,
    timeZone: "Etc/UTC",
    version: 3,
    createdAtMs: T0 - 300 * DAY,
    updatedAtMs: T0 - MINUTE,
  },
  baseUrl: "https://status.acme.example",
  groups: [],
  components: [component("c-1")],
  incidents: [],
  maintenances: [],
  ...over,
});
