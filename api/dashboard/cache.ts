/**
 * A small time-boxed cache for visibility answers. The dashboard polls every few seconds per queue and
 * per open browser; Temporal's visibility store (SQL on the dev server, Elasticsearch in larger
 * deployments) should see one call per key per `ttlMs`, however many are watching. Concurrent misses
 * for the same key share one call.
 */
export class TtlCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: now, value });
    // A failed call is not remembered: the next poll tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) {
      for (const [k, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(k);
      if (this.entries.size > this.maxEntries)
        this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }
}
