/**
 * Lets the runner sleep until the poll interval passes or something nudges it (a new job, a free slot).
 * A nudge that arrives while the runner is busy is remembered, so no wake-up is lost.
 */
export class WakeSignal {
  private pending = false;
  private wakeWaiter: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.wakeWaiter?.();
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      this.wakeWaiter = done;
    });
  }
}
