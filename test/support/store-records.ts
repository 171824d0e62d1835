// Records the store tests insert before what they are about (a service for incidents to belong to).
import type { Service } from "../../src/core/alerts/records.js";

/** Millisecond precision on purpose: instants must survive the BIGINT round trip exactly. */
export const ROUND_TRIP_T0 = Date.parse("2021-03-04T05:06:07.891Z");

/** A plain service created and updated at `atMs`. */
export const serviceRecord = (id: string, atMs: number = ROUND_TRIP_T0): Service => ({
  id,
  name: `Service ${id}`,
  description: "",
  teamId: null,
  escalationPolicyId: null,
  channelId: null,
  grouping: { mode: "group-key", labels: [], windowMinutes: null },
  autoResolve: false,
  reopenWindowMinutes: 0,
  createdAt: new Date(atMs),
  updatedAt: new Date(atMs),
});
