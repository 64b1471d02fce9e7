/** The DAC/ADC resolution convention and rounding (reference §1.2). */
/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

/**
 * The absolute quantization step for a resolution `res` and a bound `bound`: res ≤ 0 → 0 (none);
 * res > 1 is a number of steps (1/res); the step is res·2·bound. An unbounded range (bound ≤ 0) uses
 * res itself as the step (AIHWKit does not define this case).
 */
export function quantizationStep(res: number, bound: number): number {
  if (!(res > 0)) return 0;
  const r = res > 1 ? 1 / res : res;
  return bound > 0 ? r * 2 * bound : r;
}

/** Round half to even, as C's rintf and torch.round. */
export function roundHalfEven(x: number): number {
  let r = M.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

/** q(v) = Δ·round(v/Δ); with `jitter` (uniform in [−0.5, 0.5)) added before rounding for stochastic rounding. */
export function quantize(v: number, step: number, jitter = 0): number {
  if (step <= 0) return v;
  return step * roundHalfEven(v / step + jitter);
}
