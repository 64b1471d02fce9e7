/**
 * At most `size` calls at once; the rest wait in order. The embedded store (FerretDB on SQLite)
 * answers a handful of concurrent list queries well and collapses under a hundred, so the API queues
 * them itself rather than handing the store more than it can take.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
