/**
 * What each side of a case produces: named groups of quantities, each quantity a list of samples (draws
 * or seeds), plus the simulation time. The Python runners write the same shape as JSON.
 */
import { z } from 'zod';

export const SideGroup = z.strictObject({
  labels: z.array(z.string()),
  samples: z.array(z.array(z.number())),
});
export type SideGroup = z.infer<typeof SideGroup>;

export const SideOutput = z.strictObject({
  groups: z.record(z.string(), SideGroup),
  /** Seconds of simulation (set-up, start-up and I/O excluded). */
  seconds: z.number().nonnegative(),
  info: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type SideOutput = z.infer<typeof SideOutput>;

/** Rows of `matrix` ([draws, quantities], row-major) become one sample list per quantity. */
export function columnsAsQuantities(matrix: ArrayLike<number>, draws: number, labels: string[]): SideGroup {
  const q = labels.length;
  if (matrix.length !== draws * q) throw new Error(`columnsAsQuantities: ${matrix.length} ≠ ${draws}×${q}`);
  const samples = labels.map((_, k) => {
    const s = new Array<number>(draws);
    for (let d = 0; d < draws; d++) s[d] = matrix[d * q + k];
    return s;
  });
  return { labels, samples };
}

/** Accumulates simulation time. */
export class Stopwatch {
  seconds = 0;
  time<T>(fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }
  async timeAsync<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }
}
