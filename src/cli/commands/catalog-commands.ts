import { callApi, RemoteError, type RemoteTarget } from "../api-client.js";
import {
  EXIT,
  noPositionals,
  print,
  REMOTE_OPTIONS,
  REMOTE_USAGE,
  shown,
  table,
  type Command,
  remoteTargetOf,
} from "../command.js";
import { didYouMeanNamed } from "../suggest.js";
import { UsageError } from "../usage-error.js";

/** Escalation policies and teams: list them, and delete one by name (or id). */

/** The command that lists what a path holds, for a 404's suggestion. */
const listCommand: Record<string, string> = {
  "/api/v1/escalation-policies": "policies list",
  "/api/v1/teams": "teams list",
};

interface Named {
  id: string;
  name: string;
}

/** The one whose id or exact name is `ref`; a 404 that suggests the name meant otherwise. */
export async function findNamed(
  remote: RemoteTarget,
  listPath: string,
  what: string,
  ref: string,
  /** For a link (--policy, --team), not for a delete: a name that differs only in case. */
  ignoringCase = false,
): Promise<Named> {
  const all = (await callApi(remote, "GET", listPath)) as Named[];
  const found = all.find((x) => x.id === ref) ?? all.find((x) => x.name === ref);
  if (found) return found;
  // The console refuses a second policy differing only in case, so one such name is the one meant.
  const alike = all.filter((x) => x.name.toLowerCase() === ref.toLowerCase());
  if (ignoringCase && alike.length === 1) return alike[0]!;
  const hint = didYouMeanNamed(ref, all);
  const detail = `${what} ${ref} not found`;
  // Nothing close: say where the names are, as the service look-ups do.
  const suggestion = hint || ` (firebreak ${listCommand[listPath] ?? "--help"} shows them)`;
  throw new RemoteError(`404 ${detail}${suggestion}`, 404, {
    code: "NOT_FOUND",
    detail,
    hint: suggestion.trim(),
  });
}

/** `firebreak NOUN list|delete NAME`, over a collection whose items have an id and a name. */
function listAndDelete(noun: string, what: string, listPath: string, deleteNote: string): Command {
  return {
    summary: `List ${noun}, or delete one (${noun} delete NAME)`,
    usage: `firebreak ${noun} list [--json]
firebreak ${noun} delete NAME [--json]

NAME is the exact name or the id. ${deleteNote}

${REMOTE_USAGE}`,
    options: { ...REMOTE_OPTIONS },
    async run(values, positionals, io) {
      const [sub, ...rest] = positionals;
      const json = values.json === true;
      const remote = remoteTargetOf(values, io);
      if (sub === "list" || sub === undefined) {
        noPositionals(rest);
        const all = (await callApi(remote, "GET", listPath)) as Named[];
        const human =
          all.length === 0 ? `No ${noun} yet.` : table([["ID", "NAME"], ...all.map((x) => [x.id, x.name])]);
        print(io, json, all, human);
        return EXIT.ok;
      }
      if (sub === "delete") {
        if (rest.length !== 1 || rest[0]!.trim() === "") throw new UsageError(`expected one ${what} name`);
        const found = await findNamed(remote, listPath, what, rest[0]!);
        await callApi(remote, "DELETE", `${listPath}/${encodeURIComponent(found.id)}`);
        print(io, json, { ...found, deleted: true }, `Deleted ${what} ${shown(found.name)} (${found.id})`);
        return EXIT.ok;
      }
      throw new UsageError(`unknown subcommand "${sub}": use list or delete`);
    },
  };
}

export const CATALOG_COMMANDS: Record<string, Command> = {
  policies: listAndDelete(
    "policies",
    "escalation policy",
    "/api/v1/escalation-policies",
    "A policy a service uses cannot be deleted; incidents under way keep escalating by the copy they took.",
  ),
  teams: listAndDelete(
    "teams",
    "team",
    "/api/v1/teams",
    "A team that owns services, or that a policy pages, cannot be deleted; its memberships go with it.",
  ),
};
