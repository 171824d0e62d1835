// A service's maintenance windows as the console uses them (alerting-api.ts is long enough already).
// Shapes follow MaintenanceWindowSchema in src/http/schemas.ts; instants arrive as ISO strings.
import { request } from "./api";

export type WindowSpec =
  | { kind: "one-off"; startsAt: string; endsAt: string }
  | { kind: "weekly"; weekdays: number[]; startTime: string; durationMinutes: number; timeZone: string };

export interface MaintenanceWindow {
  id: string;
  serviceId: string;
  window: WindowSpec;
  reason: string;
  createdBy: string | null;
  createdAt: string;
  /** By the server's clock when the list was loaded. */
  activeNow: boolean;
}

export interface NewMaintenanceWindow {
  reason?: string;
  window: WindowSpec;
}

const id = encodeURIComponent;

export const maintenance = {
  list: (serviceId: string) =>
    request<MaintenanceWindow[]>("GET", `/api/v1/services/${id(serviceId)}/maintenance-windows`),
  create: (serviceId: string, body: NewMaintenanceWindow) =>
    request<MaintenanceWindow>("POST", `/api/v1/services/${id(serviceId)}/maintenance-windows`, body),
  remove: (windowId: string) => request<void>("DELETE", `/api/v1/maintenance-windows/${id(windowId)}`),
};
