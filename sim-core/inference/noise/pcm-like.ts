/**
 * PCMLikeNoiseModel (AIHWKit `inference/noise/pcm.py`, Nandakumar et al. ICECS 2019) and
 * CustomDriftPCMLikeNoiseModel: conductance-dependent programming noise, a drift exponent ν drawn per
 * device from its target conductance, power-law drift and 1/f read noise.
 */
import type { SinglePairConverterParameters } from '../conductance-converter';
import { normals, type RandomSource } from '../random-source';
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

  programConductances(gTarget: Float64Array, random: RandomSource): Float64Array {
    const xi = normals(random, gTarget.length);
    const out = new Float64Array(gTarget.length);
    const scale = this.params.prog_noise_scale;
    for (let i = 0; i < out.length; i++) {
      const g = gTarget[i] + scale * this.programmingSigma(gTarget[i]) * xi[i];
      out[i] = g > 0 ? g : 0; // no negative conductances
    }
    return out;
  }

  driftParameters(gTarget: Float64Array, random: RandomSource): Float64Array {
    const xi = normals(random, gTarget.length);
    const nu = new Float64Array(gTarget.length);
    for (let i = 0; i < nu.length; i++) {
      const { mean, std } = pcmDriftMoments(gTarget[i] / this.gMax);
      nu[i] = M.abs(mean + std * xi[i]) * this.params.drift_scale;
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
  ): Float64Array {
    const { t_0, t_read, read_noise_scale } = this.params;
    const t = tInference + t_0;
    const timeFactor = readNoiseTimeFactor(t, t_read);
    const xi = normals(random, gProg.length);
    const out = new Float64Array(gProg.length);
    // (t/t_0)^(−ν) = exp(−ν·ln(t/t_0)) and x^0.65 = exp(0.65·ln x): exp/log are cheaper than pow.
    const lnRatio = t > t_0 ? M.log(t / t_0) : 0;
    const invGMax = 1 / this.gMax;
    const noiseScale = read_noise_scale * timeFactor;
    for (let i = 0; i < out.length; i++) {
      const g = gProg[i];
      if (g === 0) continue; // a device at 0 stays at 0 (drift and read noise are multiplicative)
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
    const xi = normals(random, gTarget.length);
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
