import { sql, type Kysely } from "kysely";
import type { CredentialChanges, CredentialSubject } from "../app/ports/store.js";
import type { DialectCapabilities } from "./capabilities.js";
import { JOBS_NOTIFY_CHANNEL } from "./job-store.js";
import type { Database } from "./schema.js";

/**
 * Credential changes reach other instances on the jobs' NOTIFY channel, so each instance keeps one
 * LISTEN connection; this prefix tells them from job wake-ups (whose payload is "" or "urgent").
 */
const PAYLOAD_PREFIX = "credentials:";
const KINDS: ReadonlySet<string> = new Set<CredentialSubject["kind"]>(["session", "api_key", "user"]);

const payloadOf = (subject: CredentialSubject) => `${PAYLOAD_PREFIX}${subject.kind}:${subject.id}`;

/** The subject a NOTIFY payload announces; undefined when the payload is a job wake-up. */
export function credentialSubjectOf(payload: string): CredentialSubject | undefined {
  if (!payload.startsWith(PAYLOAD_PREFIX)) return undefined;
  const rest = payload.slice(PAYLOAD_PREFIX.length);
  const colon = rest.indexOf(":");
  const kind = rest.slice(0, colon);
  if (colon < 0 || !KINDS.has(kind)) return undefined;
  return { kind: kind as CredentialSubject["kind"], id: rest.slice(colon + 1) };
}

/**
 * The CredentialChanges of one transaction. `onAnnounce` lets the unit of work tell this process
 * after commit; on PostgreSQL a NOTIFY inside the transaction reaches other instances when it commits.
 */
export function transactionCredentialChanges(
  trx: Kysely<Database>,
  caps: DialectCapabilities,
  onAnnounce: (subject: CredentialSubject) => void,
): CredentialChanges {
  return {
    async announce(subject) {
      onAnnounce(subject);
      if (caps.listenNotify)
        await sql`select pg_notify(${JOBS_NOTIFY_CHANNEL}, ${payloadOf(subject)})`.execute(trx);
    },
  };
}
