import { checkEmail } from "../core/auth/credentials.js";
import { callApi, RemoteError, type RemoteTarget } from "./api-client.js";
import { didYouMean } from "./suggest.js";
import { UsageError } from "./usage-error.js";

/**
 * People named on the command line by email (triage --handler/--call-in, override --user): one
 * look-up, so that every command answers an unknown or disabled address the same way.
 */

interface PersonRow {
  id: string;
  email: string;
  name: string;
  /** GET /users sends it; a person is on the list either way. */
  disabledAt?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses what is no email at all before any request (exit 2); an address nobody has is looked up and
 * not found (exit 1). With `orId`, a user id (a UUID) is taken as given.
 */
export function checkPersonOption(option: string, typed: string, orId = false): void {
  if (orId && UUID.test(typed.trim())) return;
  if (checkEmail(typed).length === 0) return;
  throw new UsageError(
    `--${option} must be an email such as ada@example.com${orId ? " or a user id" : ""}, got "${typed}"`,
  );
}

/**
 * The ids of the people with these emails, in order; `option` is where they were typed. GET /users
 * (any role) lists disabled people too, so one of them is named as disabled, not as nobody.
 */
export async function personIdsByEmail(
  remote: RemoteTarget,
  option: string,
  emails: readonly string[],
): Promise<string[]> {
  for (const email of emails) checkPersonOption(option, email);
  // Most triages name nobody: no need to fetch everyone for that.
  if (emails.length === 0) return [];
  const people = (await callApi(remote, "GET", "/api/v1/users")) as PersonRow[];
  return emails.map((email) => enabledPersonByEmail(email, people).id);
}

/**
 * The enabled person of `people` with this email (in any case), else nobodyWithEmail's 404. Shared
 * with `apikey create --user`, which reads the people from the database instead of GET /users.
 */
export function enabledPersonByEmail<P extends { email: string; name: string; disabledAt?: unknown }>(
  email: string,
  people: readonly P[],
): P {
  const wanted = email.trim().toLowerCase();
  const person = people.find((p) => p.email.toLowerCase() === wanted);
  if (!person)
    throw nobodyWithEmail(
      email,
      people.filter((p) => !p.disabledAt),
    );
  if (person.disabledAt) throw nobodyWithEmail(email, [], person.name);
  return person;
}

/** One person by email, or by id as given (override --user EMAIL|ID). */
export async function personIdOf(remote: RemoteTarget, option: string, ref: string): Promise<string> {
  checkPersonOption(option, ref, true);
  if (UUID.test(ref.trim())) return ref.trim();
  return (await personIdsByEmail(remote, option, [ref]))[0]!;
}

/**
 * An email that names nobody is a missing thing, not a wrong command line: a 404 as a service or team
 * that does not exist is (exit 1, NOT_FOUND), with the address likely meant, or whose it is if disabled.
 */
export function nobodyWithEmail(
  email: string,
  people: ReadonlyArray<{ email: string }>,
  disabledName?: string,
): RemoteError {
  const detail =
    disabledName === undefined
      ? `nobody with the email ${email}`
      : `nobody enabled with the email ${email}: ${disabledName} is disabled`;
  const hint = didYouMean(
    email.trim(),
    people.map((p) => p.email),
    true,
  );
  return new RemoteError(`404 ${detail}${hint}`, 404, {
    code: "NOT_FOUND",
    detail,
    ...(hint !== "" && { hint: hint.trim() }),
  });
}
