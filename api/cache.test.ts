import { TtlCache } from './cache';

describe('TtlCache', () => {
  it('shares one call among concurrent and repeated reads within the time box', async () => {
    const cache = new TtlCache(60_000);
    let calls = 0;
    const load = async () => ++calls;
    const answers = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(answers).toEqual([1, 1, 1]);
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('other', load)).toBe(2);
  });

  it('calls again after the time box, and does not remember failures', async () => {
    const cache = new TtlCache(0);
    let calls = 0;
    expect(await cache.get('k', async () => ++calls)).toBe(1);
    expect(await cache.get('k', async () => ++calls)).toBe(2);
    const boxed = new TtlCache(60_000);
    await expect(boxed.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((r) => setImmediate(r));
    expect(await boxed.get('k', async () => 'up')).toBe('up');
  });
});
