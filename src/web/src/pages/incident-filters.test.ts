import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Service } from "../alerting-api";
import { serviceFilter } from "./incident-filters";

const service = (id: string, name: string): Service => ({
  id,
  name,
  description: "",
  teamId: null,
  escalationPolicyId: null,
  channelId: null,
  grouping: { mode: "group-key", labels: [], windowMinutes: null },
  autoResolve: false,
  reopenWindowMinutes: 0,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});
const SERVICES = [service("s-1", "Checkout API"), service("s-2", "Search API")];
const LISTED = [
  { value: "s-1", label: "Checkout API" },
  { value: "s-2", label: "Search API" },
];
const ALL = { value: "", label: "All services" };

describe("the incident list's service filter", () => {
  const cases: Array<[string, readonly Service[] | undefined, string, ReturnType<typeof serviceFilter>]> = [
    ["no filter", SERVICES, "", { value: "", options: [ALL, ...LISTED] }],
    ["a service by id", SERVICES, "s-2", { value: "s-2", options: [ALL, ...LISTED] }],
    ["a service by its exact name", SERVICES, "Search API", { value: "s-2", options: [ALL, ...LISTED] }],
    [
      "an id no service has",
      SERVICES,
      "nope",
      { value: "nope", options: [ALL, { value: "nope", label: "Unknown service “nope”" }, ...LISTED] },
    ],
    [
      "any value before the services are loaded",
      undefined,
      "s-2",
      { value: "s-2", options: [ALL, { value: "s-2", label: "Loading services…" }] },
    ],
  ];
  for (const [name, services, wanted, expected] of cases) {
    it(name, () => assert.deepEqual(serviceFilter(services, wanted), expected));
  }
});
