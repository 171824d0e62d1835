import type { CredentialSubject } from "../app/ports/store.js";

/** What a long-lived response was opened under: a signed-in session or an API key, and whose it is. */
export interface StreamCredential {
  readonly kind: "session" | "api_key";
  readonly id: string;
  /** The session's user, or the user who created the key (null for a key made by Firebreak itself). */
  readonly userId: string | null;
}

const keyOf = (subject: CredentialSubject) => `${subject.kind}:${subject.id}`;

/**
 * The long-lived responses (incident streams) open under each session, API key and user, so that a
 * sign-out, a revocation or a disabled user (announced by the store, from this instance or another)
 * has them check their credentials again at once rather than at their next heartbeat.
 */
export class CredentialStreams {
  private readonly checksByKey = new Map<string, Set<() => void>>();
  private readonly allChecks = new Set<() => void>();

  /** Remembers how to re-check a stream opened under the credential; the returned function forgets it. */
  add(credential: StreamCredential, check: () => void): () => void {
    const keys = [keyOf(credential)];
    if (credential.userId !== null) keys.push(keyOf({ kind: "user", id: credential.userId }));
    for (const key of keys) {
      const checks = this.checksByKey.get(key) ?? new Set();
      checks.add(check);
      this.checksByKey.set(key, checks);
    }
    this.allChecks.add(check);
    return () => {
      this.allChecks.delete(check);
      for (const key of keys) {
        const checks = this.checksByKey.get(key);
        checks?.delete(check);
        if (checks?.size === 0) this.checksByKey.delete(key);
      }
    };
  }

  /** The subject's credentials changed: its streams check again. Undefined (changes missed): all do. */
  changed(subject: CredentialSubject | undefined): void {
    const checks = subject === undefined ? this.allChecks : this.checksByKey.get(keyOf(subject));
    for (const check of [...(checks ?? [])]) check();
  }
}
