/**
 * Balanced tile splits (reference §6.4): n = ceil(size/max) pieces of floor(size/n), the first
 * size mod n pieces one larger. max ≤ 0: no split. 784 with max 512 → [392, 392]; 1025 → [342, 342, 341].
 */
export function balancedSplits(size: number, max: number): number[] {
  if (!(max > 0) || size <= max) return [size];
  const n = Math.ceil(size / max);
  const base = Math.floor(size / n);
  const extra = size % n;
  return Array.from({ length: n }, (_, k) => base + (k < extra ? 1 : 0));
}

/** Start offsets of consecutive pieces. */
export function offsets(sizes: number[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const s of sizes) {
    out.push(o);
    o += s;
  }
  return out;
}
