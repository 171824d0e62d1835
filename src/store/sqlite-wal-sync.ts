import { close, fdatasync, openSync } from "node:fs";
import type SqliteDatabase from "better-sqlite3";

/**
 * Durable commits on SQLite without blocking the event loop.
 *
 * The connection runs with synchronous=NORMAL: a commit appends its frames to the WAL and returns
 * without an fsync. Work that must survive power loss then awaits `durable()`, which fdatasyncs the
 * WAL file on libuv's thread pool. The WAL is one file written in order and replayed up to its last
 * complete commit, so once it is synced every commit before the sync is durable; SQLite itself syncs
 * around checkpoints and when the WAL is reused. Commits that wait at the same time share one sync
 * (group commit at the file level), and the thread that parses requests never waits for the disk.
 */
export class SqliteWalSync {
  /** Commits that wrote something, counted as they finish. */
  private writtenCommits = 0;
  /** Every commit counted up to this one is on disk. */
  private syncedCommits = 0;
  private running: Promise<void> | undefined;
  /** A sync queued behind the running one, for commits that finished after it had started. */
  private queued: Promise<void> | undefined;
  private fd: number | undefined;
  private changesAtBegin = 0;

  constructor(
    private readonly walPath: string,
    private readonly totalChanges: () => number,
    /** Syncs the WAL file to disk; tests pass their own. */
    private readonly syncWal: () => Promise<void> = () => this.datasyncWal(),
  ) {}

  /** Call just before `begin` runs. */
  beforeBegin(): void {
    this.changesAtBegin = this.totalChanges();
  }

  /** Call just after `commit` returned: a commit that changed rows must be synced before it counts. */
  afterCommit(): void {
    if (this.totalChanges() !== this.changesAtBegin) this.writtenCommits++;
  }

  /** Resolves once every writing commit that finished before this call is on disk. */
  durable(): Promise<void> {
    if (this.writtenCommits <= this.syncedCommits) return Promise.resolve();
    if (!this.running) return this.startSync();
    // The running sync may have started before this caller's commit: queue one more after it.
    this.queued ??= this.running.then(
      () => this.afterRunning(),
      () => this.afterRunning(),
    );
    return this.queued;
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.queued?.catch(() => undefined);
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  private afterRunning(): Promise<void> {
    this.queued = undefined;
    return this.durable();
  }

  private startSync(): Promise<void> {
    const covers = this.writtenCommits;
    const sync = this.syncWal().then(() => {
      this.syncedCommits = Math.max(this.syncedCommits, covers);
    });
    this.running = sync;
    void sync.then(
      () => this.settle(sync),
      () => this.settle(sync),
    );
    return sync;
  }

  private settle(sync: Promise<void>): void {
    if (this.running === sync) this.running = undefined;
  }

  private datasyncWal(): Promise<void> {
    // SQLite keeps one WAL file (same inode) for as long as the connection is open. The callback
    // API: fs/promises' FileHandle costs about twice the time per sync.
    this.fd ??= openSync(this.walPath, "r");
    const fd = this.fd;
    return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }
}

/** The connection's count of rows changed so far: a commit wrote something if it moved. */
export function totalChangesReader(sqlite: SqliteDatabase.Database): () => number {
  const statement = sqlite.prepare("select total_changes() as n").pluck();
  return () => Number(statement.get());
}
