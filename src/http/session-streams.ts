/**
 * The long-lived responses (incident streams) open under each session, so that signing out ends them
 * at once on this instance. Other instances notice at their streams' next credential check.
 */
export class SessionStreams {
  private readonly endsBySession = new Map<string, Set<() => void>>();

  /** Remembers how to end a stream of the session; the returned function forgets it again. */
  add(sessionId: string, end: () => void): () => void {
    const ends = this.endsBySession.get(sessionId) ?? new Set();
    ends.add(end);
    this.endsBySession.set(sessionId, ends);
    return () => {
      ends.delete(end);
      if (ends.size === 0 && this.endsBySession.get(sessionId) === ends) this.endsBySession.delete(sessionId);
    };
  }

  /** Ends every stream opened under the session (it was signed out). */
  endAll(sessionId: string): void {
    for (const end of [...(this.endsBySession.get(sessionId) ?? [])]) end();
    this.endsBySession.delete(sessionId);
  }
}
