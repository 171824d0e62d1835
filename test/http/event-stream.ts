import { get, type IncomingMessage } from "node:http";

/**
 * GETs a text/event-stream over node:http without an agent: fetch's pool opens a spare connection
 * after an abort, which holds up the server's close.
 */
export const getEventStream = (
  url: string,
  options: { headers: Record<string, string>; signal: AbortSignal },
): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    get(url, { ...options, agent: false }, resolve).on("error", reject);
  });

/** Reads a text/event-stream response until a pattern matches, and consumes up to the match. */
export function eventReader(body: IncomingMessage) {
  const reader = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffer = "";
  return {
    async until(pattern: RegExp): Promise<RegExpExecArray> {
      for (;;) {
        const match = pattern.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return match;
        }
        const { value, done } = await reader.next();
        if (done) throw new Error(`the stream ended before ${pattern}`);
        buffer += value.toString("utf8");
      }
    },
    /** Resolves when the server ends the stream (the test's timeout is the bound). */
    async ended(): Promise<void> {
      for (;;) if ((await reader.next()).done) return;
    },
  };
}
