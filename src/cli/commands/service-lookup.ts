import { callApi, RemoteError, type RemoteTarget } from "../api-client.js";
import { shown } from "../command.js";
import { didYouMeanNamed } from "../suggest.js";

/** A service looked up by name or id, shared by the service, integration and incident commands. */

export interface ServiceRow {
  id: string;
  name: string;
  teamId: string | null;
  escalationPolicyId: string | null;
  maintenanceUntil?: string | null;
  /** Only when deleted services were asked for: when this one was deleted; null: live. */
  archivedAt?: string | null;
}

export const path = (segment: string) => encodeURIComponent(segment);

/**
 * A 404 for a service name says which one was meant ("Checkout", "chekout"), from the list of
 * services, so that nobody has to run "services list" in the middle of an incident.
 */
export async function withServiceHint<T>(
  remote: RemoteTarget,
  name: string,
  request: Promise<T>,
): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (!(err instanceof RemoteError) || err.status !== 404 || !err.message.startsWith("404 service"))
      throw err;
    const services = (await callApi(remote, "GET", "/api/v1/services").catch(() => [])) as ServiceRow[];
    const hint = didYouMeanNamed(name, services);
    const suggestion = hint || " (firebreak services list shows them)";
    // The server's problem stays whole for --json; the suggestion goes in its hint.
    throw new RemoteError(`${err.message}${suggestion}`, err.status, {
      ...err.problem,
      hint: suggestion.trim(),
    });
  }
}

export const findService = (remote: RemoteTarget, name: string) =>
  withServiceHint(
    remote,
    name,
    callApi(remote, "GET", `/api/v1/services/${path(name)}`),
  ) as Promise<ServiceRow>;

/** A name as it can be pasted back into a shell. */
export const shellWord = (text: string) =>
  /^[\w.@:/+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;

/** A service as it can be pasted back: its name, or its id where the name would not show as it is. */
export const serviceWord = (service: ServiceRow) =>
  shown(service.name) === service.name ? shellWord(service.name) : service.id;

/** How a deleted service is named beside live ones, so its incidents read as history, not a typo. */
export const deletedServiceName = (name: string) => `${name} (deleted)`;

/**
 * Each service's name by id, deleted ones as "NAME (deleted)", for listing incidents (a deleted
 * service's incidents stay readable). `known` answers alone when the list is of one service. An older
 * server refuses includeArchived (400): its live list then serves, and a deleted service shows its id.
 */
export async function serviceNamesById(
  remote: RemoteTarget,
  known?: ServiceRow,
): Promise<Map<string, string>> {
  if (known !== undefined) return new Map([[known.id, known.name]]);
  const all = (includeArchived: boolean) =>
    callApi(remote, "GET", `/api/v1/services${includeArchived ? "?includeArchived=true" : ""}`) as Promise<
      ServiceRow[]
    >;
  // A name is a help: a failed look-up shows ids rather than failing the list.
  const services = await all(true).catch((err: unknown) =>
    err instanceof RemoteError && err.status === 400 ? all(false).catch(() => []) : [],
  );
  const names = new Map<string, string>();
  for (const service of services) {
    const deleted = typeof service.archivedAt === "string";
    // A live service wins an id's name; ids are unique, so this only guards a confused answer.
    if (!names.has(service.id) || !deleted)
      names.set(service.id, deleted ? deletedServiceName(service.name) : service.name);
  }
  return names;
}
