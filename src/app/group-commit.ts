interface Waiting<R, O> {
  readonly request: R;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit. While one transaction commits, requests that arrive wait and then go together in the
 * next one: one durable commit (one fsync) for many senders. Each caller still resolves only after its
 * own work committed. If a group fails, its requests run again one by one, so one bad request never
 * fails the others.
 *
 * `gather` runs before each group is taken: the composition root passes one turn of the event loop, so
 * that requests already received join. Without it nothing joins on SQLite, whose commit blocks the
 * event loop: the next request is read only after the group's promise chain has finished.
 */
export class GroupCommit<R, O> {
  private readonly waiting: Array<Waiting<R, O>> = [];
  private draining = false;

  constructor(
    private readonly commitGroup: (requests: readonly R[]) => Promise<O[]>,
    private readonly commitOne: (request: R) => Promise<O>,
    /** How much one group may hold, in `sizeOf` units (events). */
    private readonly maxGroupSize: number,
    private readonly sizeOf: (request: R) => number = () => 1,
    private readonly gather: () => Promise<void> = async () => undefined,
  ) {}

  submit(request: R): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        await this.gather();
        const group = this.takeGroup();
        try {
          const outcomes = await this.commitGroup(group.map((w) => w.request));
          group.forEach((w, i) => w.resolve(outcomes[i] as O));
        } catch (groupError) {
          if (group.length === 1) {
            group[0]?.reject(groupError);
            continue;
          }
          for (const w of group) await this.commitOne(w.request).then(w.resolve, w.reject);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private takeGroup(): Array<Waiting<R, O>> {
    const group: Array<Waiting<R, O>> = [];
    let size = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiting<R, O>;
      const nextSize = this.sizeOf(next.request);
      if (group.length > 0 && size + nextSize > this.maxGroupSize) break;
      group.push(this.waiting.shift() as Waiting<R, O>);
      size += nextSize;
    }
    return group;
  }
}
