import { callApi, type RemoteTarget } from "../api-client.js";

/**
 * Who acknowledged or resolved an incident, as people read it. The API holds only an id there: a
 * user's, an API key's, an integration's (a PagerDuty sender acknowledging) or "system".
 */

/** An incident as far as naming who acted on it goes. */
export interface ActedOn {
  readonly serviceId: string;
  readonly acknowledgedBy: string | null;
  readonly resolvedBy?: string | null;
}

/** A timeline entry's actor, as GET /api/v1/incidents/{ref} answers it (the server's own label). */
export interface TimelineActor {
  readonly kind: string;
  readonly id: string;
  readonly label: string;
}

/** A key as GET /api/v1/api-keys/names (any role) or, on older servers, GET /api-keys (admins) answers. */
interface ApiKeyRow {
  id: string;
  name: string;
  createdBy: string | null;
}

/**
 * Each id of `incidents`' acknowledgedBy and resolvedBy with a name: a person's name; "API key NAME"
 * (with its maker's name, as the timeline says it); "integration NAME (KIND)"; else the id itself.
 * Look-ups the key may not make (integrations are for responders; API keys, on a server without
 * /api-keys/names, for admins) are skipped: a name is a help, never a reason for the command to
 * fail. `timeline` (one incident's) names the actors it holds when no look-up could.
 */
export async function actorNames(
  remote: RemoteTarget,
  incidents: readonly ActedOn[],
  timeline: readonly TimelineActor[] = [],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  // An older server may leave a field out: undefined is nobody, as null is.
  const ids = new Set(
    incidents
      .flatMap((i) => [i.acknowledgedBy, i.resolvedBy])
      .filter((id): id is string => typeof id === "string"),
  );
  if (ids.delete("system")) names.set("system", "Firebreak (all its alerts resolved)");
  const unnamed = () => [...ids].filter((id) => !names.has(id));
  const tolerant = <T>(request: Promise<unknown>, none: T) =>
    request.then((answer) => answer as T).catch(() => none);

  if (unnamed().length === 0) return names;
  const people = await tolerant<Array<{ id: string; name: string }>>(
    callApi(remote, "GET", "/api/v1/users"),
    [],
  );
  const personName = new Map(people.map((p) => [p.id, p.name]));
  for (const id of unnamed()) {
    const name = personName.get(id);
    if (name !== undefined) names.set(id, name);
  }

  for (const actor of timeline) {
    if (!ids.has(actor.id) || names.has(actor.id)) continue;
    // An integration acts as "system" with its own id; its label is "NAME (KIND)".
    names.set(actor.id, actor.kind === "system" ? `integration ${actor.label}` : actor.label);
  }

  if (unnamed().length === 0) return names;
  // Names only, for any role; an older server lacks it (404), and then only an admin reads the keys.
  const keys = await callApi(remote, "GET", "/api/v1/api-keys/names")
    .then((answer) => answer as ApiKeyRow[])
    .catch(() => tolerant<ApiKeyRow[]>(callApi(remote, "GET", "/api/v1/api-keys"), []));
  for (const key of keys) {
    if (!ids.has(key.id) || names.has(key.id)) continue;
    const maker = key.createdBy === null ? undefined : personName.get(key.createdBy);
    names.set(key.id, maker === undefined ? `API key ${key.name}` : `${maker} (API key ${key.name})`);
  }

  const left = new Set(unnamed());
  const services = new Set(
    incidents
      .filter((i) => left.has(i.acknowledgedBy ?? "") || left.has(i.resolvedBy ?? ""))
      .map((i) => i.serviceId),
  );
  for (const serviceId of services) {
    const integrations = await tolerant<Array<{ id: string; name: string; kind: string }>>(
      callApi(remote, "GET", `/api/v1/services/${encodeURIComponent(serviceId)}/integrations`),
      [],
    );
    for (const i of integrations)
      if (left.has(i.id) && !names.has(i.id)) names.set(i.id, `integration ${i.name} (${i.kind})`);
  }

  for (const id of unnamed()) names.set(id, id);
  return names;
}
