/** What a long-lived response was opened under: a signed-in session, or an API key. */
export interface StreamCredential {
  readonly kind: "session" | "api_key";
  readonly id: string;
}

const keyOf = (credential: StreamCredential) => `${credential.kind}:${credential.id}`;

/**
 * The long-lived responses (incident streams) open under each session or API key, so that signing
 * out or revoking the key ends them at once on this instance. Other instances notice at their
 * streams' next credential check.
 */
export class CredentialStreams {
  private readonly endsByCredential = new Map<string, Set<() => void>>();

  /** Remembers how to end a stream opened under the credential; the returned function forgets it again. */
  add(credential: StreamCredential, end: () => void): () => void {
    const key = keyOf(credential);
    const ends = this.endsByCredential.get(key) ?? new Set();
    ends.add(end);
    this.endsByCredential.set(key, ends);
    return () => {
      ends.delete(end);
      if (ends.size === 0 && this.endsByCredential.get(key) === ends) this.endsByCredential.delete(key);
    };
  }

  /** Ends every stream opened under the credential (the session signed out, the key was revoked). */
  endAll(credential: StreamCredential): void {
    const key = keyOf(credential);
    for (const end of [...(this.endsByCredential.get(key) ?? [])]) end();
    this.endsByCredential.delete(key);
  }
}
