/** The DAC/ADC resolution convention and rounding (reference §1.2). */
/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

/**
 * The absolute quantization step for a resolution `res` and a bound `bound`: res ≤ 0 → 0 (none);
 * res > 1 is a number of steps (1/res); the step is res·2·bound.
 *
 * Computed in float32 exactly as AIHWKit's engine does (`checkAndSetRes`: fl(fl(r)·fl(2·bound))). The
 * rounding matters: with the default out_res 1/510 and out_bound 12 the float32 step is 0.04705883,
 * so the top ADC level fl(255·step) = 12.000001 lies *above* the bound — an output that quantizes to
 * it fails the bound-management test (found by the parity harness, parity). An unbounded range
 * (bound ≤ 0) gives a step ≤ 0 there, i.e. no quantization; so here too.
 */
export function quantizationStep(res: number, bound: number): number {
  if (!(res > 0)) return 0;
  const r = res > 1 ? M.fround(1 / M.fround(res)) : M.fround(res);
  return bound > 0 ? M.fround(r * M.fround(2 * bound)) : 0;
}

/** 1.5·2^52: adding it to |x| < 2^51 leaves no fraction bits, so the FPU rounds x half to even. */
const ROUNDING_MAGIC = 6755399441055744;
const MAGIC_RANGE = 2 ** 51;

/**
 * Round half to even, as C's rintf and torch.round; a zero result keeps the sign of x (rint(−0.3) =
 * −0). By the magic-number addition, which the FPU rounds half to even by itself: ≈4× faster than
 * Math.round plus a tie test in the IO pipeline's loops (where this is the innermost operation), and
 * the same result for every double (tested against the plain definition).
 */
export function roundHalfEven(x: number): number {
  if (!(M.abs(x) < MAGIC_RANGE)) return roundHalfEvenPlain(x); // huge (already integral), ±∞, NaN
  const r = x + ROUNDING_MAGIC - ROUNDING_MAGIC;
  return r === 0 ? 0 * x : r;
}

/** The plain definition: Math.round rounds ties up, so a tie that lands on an odd value goes down. */
export function roundHalfEvenPlain(x: number): number {
  let r = M.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

/**
 * q(v) = Δ·round(v/Δ); with `jitter` (uniform in [−0.5, 0.5)) added before rounding for stochastic
 * rounding. In float32 like AIHWKit's `getDiscretizedValue` (fl(rint(fl(v/Δ))·Δ)), so that values on a
 * rounding tie and the top level land where AIHWKit's do (see quantizationStep).
 */
export function quantize(v: number, step: number, jitter = 0): number {
  if (step <= 0) return v;
  return M.fround(step * roundHalfEven(M.fround(M.fround(v) / step) + jitter));
}
