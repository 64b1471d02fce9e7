/** Deep comparison of JSON values, reporting where two differ (for precise "cannot be expressed" messages). */
import type { PathSegment } from '../issues';

export interface Difference {
  path: PathSegment[];
  left: unknown;
  right: unknown;
}

/** The first place (depth first, in key order of `left`) where `left` and `right` differ; undefined if equal. */
export function firstDifference(
  left: unknown,
  right: unknown,
  path: PathSegment[] = [],
): Difference | undefined {
  if (Object.is(left, right)) return undefined;
  if (typeof left !== typeof right || left === null || right === null || typeof left !== 'object') {
    return { path, left, right };
  }
  if (Array.isArray(left) !== Array.isArray(right)) return { path, left, right };
  if (Array.isArray(left) && Array.isArray(right)) {
    const n = Math.max(left.length, right.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(left[i], right[i], [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  const a = left as Record<string, unknown>;
  const b = right as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const d = firstDifference(a[key], b[key], [...path, key]);
    if (d) return d;
  }
  return undefined;
}

export function deepEqual(left: unknown, right: unknown): boolean {
  return firstDifference(left, right) === undefined;
}

/** Count of differing leaves (to find the closest of several candidates). */
export function differenceCount(left: unknown, right: unknown): number {
  if (Object.is(left, right)) return 0;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return 1;
  if (Array.isArray(left) !== Array.isArray(right)) return 1;
  const a = left as Record<string, unknown>;
  const b = right as Record<string, unknown>;
  let count = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) count += differenceCount(a[key], b[key]);
  return count;
}
