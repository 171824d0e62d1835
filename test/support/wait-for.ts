/**
 * Polls a condition until it holds or a deadline passes. For tests that watch real external
 * processes (Alertmanager, Prometheus, a Firebreak child process), where there is no event to await
 * and no fake clock to move: never a fixed sleep, always a condition with a bounded deadline.
 */
export interface WaitOptions {
  /** Give up after this long (the error says what was awaited). Default 60 s. */
  readonly timeoutMs?: number;
  /** Pause between two looks. Default 100 ms. */
  readonly intervalMs?: number;
  /** Named in the timeout error. */
  readonly what?: string;
}

/**
 * Calls `probe` until it returns something other than `undefined`/`false`, and returns that value.
 * A probe that throws counts as "not yet" (a server still starting refuses connections); the last
 * error is reported if the deadline passes.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<Exclude<T, false | undefined>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why =
        lastError === undefined ? "" : ` (last error: ${(lastError as Error).message ?? String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? "a condition"}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
