/**
 * StateIndependentNoiseModel (AIHWKit `inference/noise/custom.py`; the composer's "generic" device):
 * polynomial programming noise without the g_max/25 factor, a state-independent drift exponent
 * ν = |mean + std·ξ|·drift_scale, power-law drift and a read noise without the PCM Q_s factor.
 */
import type { SinglePairConverterParameters } from '../conductance-converter';
import { normals, type RandomSource } from '../random-source';
import {
  assertFinitePositive,
  polynomialSigma,
  powerLawDrift,
  readNoiseTimeFactor,
  type NoiseModel,
} from './noise-model';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface StateIndependentParameters {
  prog_coeff: readonly number[];
  prog_noise_scale: number;
  drift_nu_mean: number;
  drift_nu_std: number;
  drift_scale: number;
  t_0: number;
  read_noise_scale: number;
  t_read: number;
  converter: SinglePairConverterParameters;
}

export class StateIndependentNoiseModel implements NoiseModel {
  readonly name = 'StateIndependentNoiseModel';
  readonly converter: SinglePairConverterParameters;

  constructor(readonly params: StateIndependentParameters) {
    this.converter = params.converter;
    assertFinitePositive(this.name, 't_0', params.t_0);
    assertFinitePositive(this.name, 't_read', params.t_read);
    if (params.prog_coeff.length === 0) throw new Error(`${this.name}: prog_coeff must not be empty`);
  }

  programConductances(gTarget: Float64Array, random: RandomSource): Float64Array {
    const { prog_coeff, prog_noise_scale } = this.params;
    const gMax = this.converter.g_max;
    const xi = normals(random, gTarget.length);
    const out = new Float64Array(gTarget.length);
    for (let i = 0; i < out.length; i++) {
      const g = gTarget[i] + prog_noise_scale * polynomialSigma(prog_coeff, gTarget[i] / gMax) * xi[i];
      out[i] = g > 0 ? g : 0;
    }
    return out;
  }

  driftParameters(gTarget: Float64Array, random: RandomSource): Float64Array {
    const { drift_nu_mean, drift_nu_std, drift_scale } = this.params;
    const xi = normals(random, gTarget.length);
    const nu = new Float64Array(gTarget.length);
    for (let i = 0; i < nu.length; i++) nu[i] = M.abs(drift_nu_mean + drift_nu_std * xi[i]) * drift_scale;
    return nu;
  }

  checkInferenceTime(): void {
    // Any t_inference ≥ 0 is valid.
  }

  /**
   * As coded in AIHWKit (reference §10.12): the read noise is |g_drift/g_max| (unit-less) times the
   * time factor, added to a µS quantity, without the PCM Q_s factor. Kept for parity: results with
   * the "generic" device should match AIHWKit's.
   */
  driftConductances(
    gProg: Float64Array,
    nu: Float64Array,
    tInference: number,
    random: RandomSource,
  ): Float64Array {
    const { t_0, t_read, read_noise_scale } = this.params;
    const gMax = this.converter.g_max;
    const t = tInference + t_0;
    const timeFactor = readNoiseTimeFactor(t, t_read);
    const xi = normals(random, gProg.length);
    const out = new Float64Array(gProg.length);
    for (let i = 0; i < out.length; i++) {
      const gDrift = powerLawDrift(gProg[i], nu[i], t, t_0);
      const g = gDrift + M.abs(gDrift / gMax) * read_noise_scale * timeFactor * xi[i];
      out[i] = g > 0 ? g : 0;
    }
    return out;
  }
}
