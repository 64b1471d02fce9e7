/**
 * PCMLikeNoiseModel (AIHWKit `inference/noise/pcm.py`, Nandakumar et al. ICECS 2019) and
 * CustomDriftPCMLikeNoiseModel: conductance-dependent programming noise, a drift exponent ν drawn per
 * device from its target conductance, power-law drift and 1/f read noise.
 */
import type { SinglePairConverterParameters } from '../conductance-converter';
import type { RandomSource } from '../random-source';
import { scratchF64, scratchIndices, ScratchSlot } from '../scratch';
import { assertFinitePositive, polynomialSigma, readNoiseTimeFactor, type NoiseModel } from './noise-model';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

/** AIHWKit clamps |g_T/g_max| to this before taking its logarithm. */
const ZERO_CLIP = 1e-7;

export interface PcmLikeParameters {
  /** Programming-noise polynomial c_0..c_k in µS over g_T/g_max. */
  prog_coeff: readonly number[];
  /** g_max (µS) the coefficients were fitted at; σ_prog is scaled by g_max / this. */
  prog_coeff_g_max_reference: number;
  converter: SinglePairConverterParameters;
  t_read: number;
  t_0: number;
  prog_noise_scale: number;
  read_noise_scale: number;
  drift_scale: number;
}

/**
 * Below this |g_T/g_max| both clamps of `pcmDriftMoments` hold (μ_ν = 0.1 from ln g < −4.877,
 * σ_ν = 0.045 from ln g < −4.072), so the logarithm can be skipped. e^−5 leaves a wide margin over
 * any last-digit error of the logarithm: the shortcut gives exactly what the formula gives.
 */
const DRIFT_MOMENTS_SATURATED_BELOW = M.exp(-5);
const SATURATED_NU_MEAN = 0.1;
const SATURATED_NU_STD = 0.045;

/** The N(0, 1) draws of one step, in the shared scratch buffer (consumed before the next step). */
function scratchNormals(random: RandomSource, n: number): Float64Array {
  const xi = scratchF64(ScratchSlot.Normals, n);
  random.fillNormal(xi);
  return xi;
}

/**
 * min(max(a, lo), hi) for finite lo < hi and a finite or NaN, a ≠ −0, without branches: a select as
 * arithmetic, x·1 + y·0 = x exactly (y finite, x ≠ −0). NaN stays NaN, as with max/min.
 */
function clampBranchFree(a: number, lo: number, hi: number): number {
  const below = +(a < lo);
  const raised = lo * below + a * (1 - below);
  const above = +(raised > hi);
  return hi * above + raised * (1 - above);
}

/** μ_ν and σ_ν of the drift exponent at relative target conductance g_T/g_max (§5.3). */
export function pcmDriftMoments(gRelative: number): { mean: number; std: number } {
  const g = M.max(M.abs(gRelative), ZERO_CLIP);
  const lnG = M.log(g);
  return {
    mean: M.min(M.max(-0.0155 * lnG + 0.0244, 0.049), 0.1),
    std: M.min(M.max(-0.0125 * lnG - 0.0059, 0.008), 0.045),
  };
}

/** The read-noise amplitude Q_s at relative programmed conductance |g_prog|/g_max. */
export function pcmReadNoiseQs(gRelative: number): number {
  return M.min(0.0088 / M.max(M.pow(M.abs(gRelative), 0.65), 1e-3), 0.2);
}

export class PcmLikeNoiseModel implements NoiseModel {
  readonly name: string = 'PCMLikeNoiseModel';
  readonly converter: SinglePairConverterParameters;

  constructor(readonly params: PcmLikeParameters) {
    this.converter = params.converter;
    assertFinitePositive(this.name, 't_0', params.t_0);
    assertFinitePositive(this.name, 't_read', params.t_read);
    assertFinitePositive(this.name, 'prog_coeff_g_max_reference', params.prog_coeff_g_max_reference);
    if (params.prog_coeff.length === 0) throw new Error(`${this.name}: prog_coeff must not be empty`);
  }

  get gMax(): number {
    return this.converter.g_max;
  }

  /** σ_prog (µS) at target conductance g_T. */
  programmingSigma(gTarget: number): number {
    const p = this.params;
    return polynomialSigma(p.prog_coeff, gTarget / this.gMax) * (this.gMax / p.prog_coeff_g_max_reference);
  }

  programConductances(
    gTarget: Float64Array,
    random: RandomSource,
    out = new Float64Array(gTarget.length),
  ): Float64Array {
    const n = gTarget.length;
    const xi = scratchNormals(random, n);
    const p = this.params;
    const scale = p.prog_noise_scale;
    const gMax = this.gMax;
    // `programmingSigma` inlined (same operations in the same order): the per-element calls and
    // the module-export lookups cost more than the arithmetic.
    const coefficients = Float64Array.from(p.prog_coeff);
    const terms = coefficients.length;
    const [c0, c1, c2] = [coefficients[0], coefficients[1] ?? 0, coefficients[2] ?? 0];
    const sigmaScale = gMax / p.prog_coeff_g_max_reference;
    for (let i = 0; i < n; i++) {
      const gT = gTarget[i];
      const gRelative = gT / gMax;
      let polynomial = 0;
      let power = 1;
      if (terms === 3) {
        // The default (and AIHWKit's) quadratic, unrolled: the same operations in the same order.
        polynomial += c0 * power;
        power *= gRelative;
        polynomial += c1 * power;
        power *= gRelative;
        polynomial += c2 * power;
      } else {
        for (let k = 0; k < terms; k++) {
          polynomial += coefficients[k] * power;
          power *= gRelative;
        }
      }
      const g = gT + scale * (polynomial * sigmaScale) * xi[i];
      // No negative conductances: max(g, 0) as (g + |g|)/2, which is exact and branch-free (the
      // devices at g_T = 0 land on either side at random: a branch was mispredicted half the time);
      // NaN (and −∞, which the sum turns into NaN) give 0, as `g > 0 ? g : 0` does. (Exact for any
      // g below 2^1023 µS, far beyond any conductance.)
      const clipped = (g + M.abs(g)) * 0.5;
      out[i] = clipped === clipped ? clipped : 0;
    }
    return out;
  }

  driftParameters(gTarget: Float64Array, random: RandomSource): Float64Array {
    const n = gTarget.length;
    const xi = scratchNormals(random, n);
    const nu = new Float64Array(n);
    const gMax = this.gMax;
    const driftScale = this.params.drift_scale;
    // `pcmDriftMoments` inlined, with its saturated corner (every g_T = g_min = 0 device) short-cut.
    // First every device gets the saturated ν and the others are listed, branch-free (which devices
    // are at 0 follows the weights' signs: a branch here was mispredicted about half the time); then
    // the listed ones get theirs from the logarithm.
    const listed = scratchIndices(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      // max(|g_T/g_max|, 1e-7) < e^−5 ⟺ |g_T/g_max| < e^−5 (and NaN is listed, as the formula has it).
      nu[i] = M.abs(SATURATED_NU_MEAN + SATURATED_NU_STD * xi[i]) * driftScale;
      listed[count] = i;
      count += +!(M.abs(gTarget[i] / gMax) < DRIFT_MOMENTS_SATURATED_BELOW);
    }
    for (let k = 0; k < count; k++) {
      const i = listed[k];
      const lnG = M.log(M.max(M.abs(gTarget[i] / gMax), ZERO_CLIP));
      let mean: number;
      let std: number;
      if (lnG < Infinity) {
        // Which clamp holds depends on each weight's size (random): min/max branches were
        // mispredicted often; `clampBranchFree` gives the same values for these finite arguments.
        mean = clampBranchFree(-0.0155 * lnG + 0.0244, 0.049, 0.1);
        std = clampBranchFree(-0.0125 * lnG - 0.0059, 0.008, 0.045);
      } else {
        mean = M.min(M.max(-0.0155 * lnG + 0.0244, 0.049), 0.1);
        std = M.min(M.max(-0.0125 * lnG - 0.0059, 0.008), 0.045);
      }
      nu[i] = M.abs(mean + std * xi[i]) * driftScale;
    }
    return nu;
  }

  checkInferenceTime(): void {
    // Any t_inference ≥ 0 is valid.
  }

  /**
   * Drift and 1/f read noise at t = t_inference + t_0. AIHWKit applies the read noise even at
   * t_inference = 0 (t = t_0): the first read after programming is itself a read (reference §10.9).
   * We keep that, so "programmed" weights read at t = 0 match AIHWKit's, and t = 0 is never
   * noise-free.
   */
  driftConductances(
    gProg: Float64Array,
    nu: Float64Array,
    tInference: number,
    random: RandomSource,
    out = new Float64Array(gProg.length),
  ): Float64Array {
    const { t_0, t_read, read_noise_scale } = this.params;
    const t = tInference + t_0;
    const timeFactor = readNoiseTimeFactor(t, t_read);
    const xi = scratchNormals(random, gProg.length);
    // (t/t_0)^(−ν) = exp(−ν·ln(t/t_0)) and x^0.65 = exp(0.65·ln x): exp/log are cheaper than pow.
    const lnRatio = t > t_0 ? M.log(t / t_0) : 0;
    const invGMax = 1 / this.gMax;
    const noiseScale = read_noise_scale * timeFactor;
    // A device at 0 stays at 0 (drift and read noise are multiplicative). Every device is first set
    // to 0 and the others are listed, branch-free (which devices are at 0 follows the weights' signs:
    // a branch here was mispredicted about half the time); then the listed ones are drifted.
    const n = gProg.length;
    const listed = scratchIndices(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      out[i] = 0;
      listed[count] = i;
      count += +(gProg[i] !== 0);
    }
    for (let k = 0; k < count; k++) {
      const i = listed[k];
      const g = gProg[i];
      const gDrift = lnRatio > 0 ? g * M.exp(-nu[i] * lnRatio) : g;
      const rel = M.abs(g) * invGMax;
      const qs = M.min(0.0088 / M.max(rel > 0 ? M.exp(0.65 * M.log(rel)) : 0, 1e-3), 0.2);
      const v = gDrift + M.abs(gDrift) * noiseScale * qs * xi[i];
      out[i] = v > 0 ? v : 0;
    }
    return out;
  }
}

export interface CustomDriftModel {
  /** Conductances (µS), ascending, ≥ 2 points. */
  g_lst: readonly number[];
  nu_mean_lst: readonly number[];
  nu_std_lst: readonly number[];
}

/** Linear interpolation clamped to the end points (numpy.interp). */
export function interpolate(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]) return ys[0];
  const last = xs.length - 1;
  if (x >= xs[last]) return ys[last];
  let k = 1;
  while (xs[k] < x) k++;
  const x0 = xs[k - 1];
  const x1 = xs[k];
  if (x1 === x0) return ys[k];
  return ys[k - 1] + ((ys[k] - ys[k - 1]) * (x - x0)) / (x1 - x0);
}

/** PCMLikeNoiseModel whose ν mean and std are interpolated from a measured table over g (µS). */
export class CustomDriftPcmLikeNoiseModel extends PcmLikeNoiseModel {
  override readonly name = 'CustomDriftPCMLikeNoiseModel';

  constructor(
    params: PcmLikeParameters,
    readonly driftModel: CustomDriftModel,
  ) {
    super(params);
    const { g_lst, nu_mean_lst, nu_std_lst } = driftModel;
    const where = 'CustomDriftPCMLikeNoiseModel.custom_drift_model';
    if (g_lst.length < 2) throw new Error(`${where}.g_lst needs at least 2 points`);
    if (nu_mean_lst.length !== g_lst.length || nu_std_lst.length !== g_lst.length) {
      throw new Error(`${where}: g_lst, nu_mean_lst and nu_std_lst must have the same length`);
    }
    for (let i = 1; i < g_lst.length; i++) {
      if (g_lst[i] < g_lst[i - 1]) throw new Error(`${where}.g_lst must be in ascending order`);
    }
    if (g_lst[0] < 0) throw new Error(`${where}.g_lst values must be ≥ 0`);
    if (nu_std_lst.some((s) => s < 0)) throw new Error(`${where}.nu_std_lst values must be ≥ 0`);
    const { g_min, g_max } = params.converter;
    if (g_min < g_lst[0] || g_max > g_lst[g_lst.length - 1]) {
      throw new Error(
        `${where}: the converter's conductances [${g_min}, ${g_max}] µS lie outside the drift model's ` +
          `range [${g_lst[0]}, ${g_lst[g_lst.length - 1]}] µS`,
      );
    }
  }

  override driftParameters(gTarget: Float64Array, random: RandomSource): Float64Array {
    const { g_lst, nu_mean_lst, nu_std_lst } = this.driftModel;
    const xi = scratchNormals(random, gTarget.length);
    const nu = new Float64Array(gTarget.length);
    // AIHWKit clips g_T into the table range in place (after programming noise was drawn from it);
    // we clip a copy, which gives the same ν and leaves the caller's targets intact.
    for (let i = 0; i < nu.length; i++) {
      const mean = interpolate(gTarget[i], g_lst, nu_mean_lst);
      const std = interpolate(gTarget[i], g_lst, nu_std_lst);
      nu[i] = M.abs(mean + std * xi[i]) * this.params.drift_scale;
    }
    return nu;
  }
}
