// The incident list's service filter: which option the dropdown shows for the URL's `service`.
import type { Service } from "../alerting-api";
import type { Option } from "../forms";

export interface ServiceFilter {
  /** The option to select: a service's id, the URL's value when no service has it, or "" for all. */
  value: string;
  options: Option[];
}

/**
 * The server takes a service id or exact name, so the dropdown matches both. A value no service has
 * gets an option of its own: a select without it falls back to "All services", which the list is not.
 */
export function serviceFilter(services: readonly Service[] | undefined, wanted: string): ServiceFilter {
  const all: Option = { value: "", label: "All services" };
  const listed = (services ?? []).map((s) => ({ value: s.id, label: s.name }));
  if (!wanted) return { value: "", options: [all, ...listed] };
  const match = services?.find((s) => s.id === wanted) ?? services?.find((s) => s.name === wanted);
  if (match) return { value: match.id, options: [all, ...listed] };
  const label = services ? `Unknown service “${wanted}”` : "Loading services…";
  return { value: wanted, options: [all, { value: wanted, label }, ...listed] };
}
