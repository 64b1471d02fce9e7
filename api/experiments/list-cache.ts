/**
 * List pages of `GET /experiments`, reused for `API_LIST_CACHE_MS`. The store (FerretDB on SQLite in
 * particular) answers a page in tens of milliseconds and serialises under load; a page asked for by
 * many clients at once is read once. Writes made through this API bump the owner's generation, so
 * the owner's next list is fresh; writes made by workers (status, progress) appear within the TTL.
 */
import type { ExperimentRecord, ListQuery } from '../../persistence/experiments';
import { TtlCache } from '../cache';

export interface ListPage {
  items: ExperimentRecord[];
  total: number;
}

export class ListCache {
  private readonly cache: TtlCache;
  private readonly generations = new Map<string, number>();
  private everyone = 0;

  constructor(private readonly ttlMs: number) {
    this.cache = new TtlCache(ttlMs, 2000);
  }

  get(query: ListQuery, load: () => Promise<ListPage>): Promise<ListPage> {
    if (this.ttlMs === 0) return load();
    const owner = query.owner ?? '*';
    const key = JSON.stringify([
      owner,
      // A user's pages change with that user's writes; the all-users pages with anyone's.
      query.owner === undefined ? this.everyone : (this.generations.get(owner) ?? 0),
      query.status,
      query.kind,
      query.tag,
      query.sort,
      query.page,
      query.pageSize,
      query.withoutSpec,
    ]);
    return this.cache.get(key, load);
  }

  /** The owner's pages (and the admins' all-users pages) are stale from now on. */
  invalidate(owner: string): void {
    this.generations.set(owner, (this.generations.get(owner) ?? 0) + 1);
    this.everyone += 1;
  }
}
