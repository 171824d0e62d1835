/**
 * A send's timeout that does not count the time this process was not running. After a stall
 * (SIGSTOP, a VM pause, a long synchronous block) the event loop runs expired timers before it
 * reads the sockets, so a plain timer would cut off an answer that arrived meanwhile, unread, and
 * the notification would go again.
 */

// A timer this late means this process was not running: ordinary event-loop lag, even under load
// or a major GC, stays in the low hundreds of ms.
const STALL_LATENESS_MS = 1_000;
// The grace outlasts at least one poll phase and a TCP retransmission (RTO from 200 ms), and at
// most doubles a short timeout.
const MAX_STALL_GRACE_MS = 2_000;

export interface StallTolerantTimer {
  clear(): void;
}

/**
 * Calls `onExpired` after `delayMs`. A timer that fires a second or more late gets one grace of
 * min(delayMs, 2 s) first, so answers that arrived during the stall are read; only one, so a process
 * that keeps stalling still times out. `stalledMs` says how long it was seen not running, if at all.
 */
export function startStallTolerantTimer(
  onExpired: (stalledMs: number | undefined) => void,
  delayMs: number,
): StallTolerantTimer {
  // performance.now() is monotonic, like the clock libuv's timers run on.
  let dueAtMs = performance.now() + delayMs;
  let stalledMs: number | undefined;
  let graceGiven = false;
  const onTimer = (): void => {
    const lateByMs = performance.now() - dueAtMs;
    if (lateByMs >= STALL_LATENESS_MS) stalledMs = (stalledMs ?? 0) + lateByMs;
    if (lateByMs >= STALL_LATENESS_MS && !graceGiven) {
      graceGiven = true;
      const graceMs = Math.min(delayMs, MAX_STALL_GRACE_MS);
      dueAtMs = performance.now() + graceMs;
      timer = setTimeout(onTimer, graceMs);
      return;
    }
    onExpired(stalledMs);
  };
  let timer = setTimeout(onTimer, delayMs);
  return { clear: () => clearTimeout(timer) };
}
