/**
 * Histograms as flat arrays (`{ edges, counts }`, edges.length = counts.length + 1), the shape the
 * results store keeps (no nested arrays).
 */

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface HistogramData {
  edges: number[];
  counts: number[];
}

export interface HistogramOptions {
  bins?: number;
  /** Fixed range; defaults to [min, max] of the values. */
  range?: [number, number];
}

export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): HistogramData {
  const bins = options.bins ?? 50;
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`histogram: bins must be a positive integer (got ${bins})`);
  let lo = Infinity;
  let hi = -Infinity;
  if (options.range) {
    [lo, hi] = options.range;
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) {
      lo = 0;
      hi = 1;
    }
  }
  if (!(hi > lo)) {
    // All values equal: one bin of width 1 centred on them keeps the edges strictly increasing.
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    // numpy convention: bins are half-open [a, b) except the last, which includes hi.
    const k = M.min(M.floor((v - lo) / width), bins - 1);
    counts[k]++;
  }
  return { edges, counts };
}
