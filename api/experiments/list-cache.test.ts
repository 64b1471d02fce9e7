import type { ExperimentRecord } from '../../persistence/experiments';
import { ListCache } from './list-cache';

const page = (n: number) => ({ items: [] as ExperimentRecord[], total: n });

describe('ListCache', () => {
  it('reads a page once for many callers, and again after the owner writes', async () => {
    const cache = new ListCache(60_000);
    let reads = 0;
    const load = async () => page(++reads);
    const query = { owner: 'alice', page: 1, pageSize: 20 };
    const first = await Promise.all([cache.get(query, load), cache.get(query, load)]);
    expect(first.map((p) => p.total)).toEqual([1, 1]);
    expect((await cache.get({ ...query }, load)).total).toBe(1);
    expect((await cache.get({ ...query, page: 2 }, load)).total).toBe(2); // another page, another read

    cache.invalidate('bob');
    expect((await cache.get(query, load)).total).toBe(1); // someone else's write
    expect((await cache.get({ page: 1, pageSize: 20 }, load)).total).toBe(3); // admins' all-users page
    cache.invalidate('alice');
    expect((await cache.get(query, load)).total).toBe(4);
    expect((await cache.get({ page: 1, pageSize: 20 }, load)).total).toBe(5); // all-users pages too
  });

  it('reads every time when switched off', async () => {
    const cache = new ListCache(0);
    let reads = 0;
    const load = async () => page(++reads);
    await cache.get({ owner: 'a' }, load);
    await cache.get({ owner: 'a' }, load);
    expect(reads).toBe(2);
  });
});
