import { findForbiddenKey } from './security';

describe('findForbiddenKey', () => {
  it('finds operator keys at any depth and names where', () => {
    expect(findForbiddenKey({ email: { $gt: '' } })).toEqual({
      path: '$.email["$gt"]',
      reason: expect.stringContaining('"$"'),
    });
    expect(findForbiddenKey({ a: [{ b: 1 }, { c: { $where: 'x' } }] })?.path).toBe('$.a[1].c["$where"]');
    expect(findForbiddenKey({ $or: [] })?.path).toBe('$["$or"]');
  });

  it('accepts ordinary documents, including dollar signs in values', () => {
    expect(
      findForbiddenKey({ name: '$gt', tags: ['$where'], n: 1, nested: { ok: [1, 2, { x: null }] } }),
    ).toBeUndefined();
    expect(findForbiddenKey(undefined)).toBeUndefined();
    expect(findForbiddenKey('text')).toBeUndefined();
  });

  it('refuses nesting deeper than any real document, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findForbiddenKey(deep)?.reason).toMatch(/nested deeper/);
  });
});
