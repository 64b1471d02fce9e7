/**
 * Conductance converters (AIHWKit `inference/converter/conductance.py`): weights ⇄ device
 * conductances in µS. Only the single-pair converter is implemented: one device for the positive and
 * one for the negative part of each weight, the other device of the pair left at g_min.
 *
 * The conductance domain is computed in double precision so that W → g → W returns the float32
 * weights bit for bit (the converter is exactly invertible, as AIHWKit's tests require).
 */

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

/** AIHWKit clamps the abs-max weight to this before dividing by it (all-zero matrices). */
const ZERO_CLIP = 1e-7;

export interface SinglePairConverterParameters {
  /** µS: the abs-max weight maps to g_max (AIHWKit default 25). */
  g_max: number;
  /** µS: the weight 0 maps to g_min on both devices (AIHWKit default 0). */
  g_min: number;
}

/** Conductances of one weight matrix: one slice per device role, plus the weight→µS scale. */
export interface ConductanceSlices {
  /** `slices[0]` = g⁺ (positive part), `slices[1]` = g⁻, each of the weight matrix's length. */
  slices: Float64Array[];
  /** µS per weight unit: s = (g_max − g_min) / max|W|. */
  scaleRatio: number;
}

export function validateSinglePair({ g_max, g_min }: SinglePairConverterParameters): void {
  if (!(g_max > 0)) throw new Error(`SinglePairConductanceConverter: g_max must be positive (got ${g_max})`);
  if (!(g_min >= 0)) throw new Error(`SinglePairConductanceConverter: g_min must be ≥ 0 (got ${g_min})`);
  if (!(g_min < g_max)) {
    throw new Error(`SinglePairConductanceConverter: g_min (${g_min}) must be smaller than g_max (${g_max})`);
  }
}

export function absMax(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = M.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * W → (g⁺, g⁻): the abs-max weight of this matrix maps to g_max (per call, as in AIHWKit). `out`:
 * buffers of the weights' length to write g⁺ and g⁻ into (fresh arrays without).
 */
export function toConductances(
  weights: Float32Array,
  params: SinglePairConverterParameters,
  out?: { plus: Float64Array; minus: Float64Array },
): ConductanceSlices {
  validateSinglePair(params);
  const { g_max, g_min } = params;
  const scaleRatio = (g_max - g_min) / M.max(absMax(weights), ZERO_CLIP);
  const gPlus = out?.plus ?? new Float64Array(weights.length);
  const gMinus = out?.minus ?? new Float64Array(weights.length);
  if (gPlus.length !== weights.length || gMinus.length !== weights.length) {
    throw new Error('toConductances: the output buffers must have the length of the weights');
  }
  for (let i = 0; i < weights.length; i++) {
    const s = weights[i] * scaleRatio;
    // max(s, 0) = (s + |s|)/2 and max(−s, 0) = (|s| − s)/2 bit for bit (2|s| is exact, ±0 gives +0,
    // NaN stays NaN; |s| ≤ g_max − g_min, so no overflow), without max's branch, which the random
    // signs of the weights mispredicted about half the time.
    const a = M.abs(s);
    gPlus[i] = M.min((s + a) * 0.5, g_max) + g_min;
    gMinus[i] = M.min((a - s) * 0.5, g_max) + g_min;
  }
  return { slices: [gPlus, gMinus], scaleRatio };
}

/** (g⁺, g⁻) → W = ((g⁺ − g_min) − (g⁻ − g_min)) / s, rounded to float32. */
export function fromConductances(
  conductances: ConductanceSlices,
  params: SinglePairConverterParameters,
): Float32Array {
  const { slices, scaleRatio } = conductances;
  if (slices.length !== 2) {
    throw new Error(`SinglePairConductanceConverter: expected 2 conductance slices, got ${slices.length}`);
  }
  const [gPlus, gMinus] = slices;
  if (gPlus.length !== gMinus.length) throw new Error('SinglePairConductanceConverter: slice lengths differ');
  const gMin = params.g_min;
  const out = new Float32Array(gPlus.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = (gPlus[i] - gMin - (gMinus[i] - gMin)) / scaleRatio;
  }
  return out;
}
