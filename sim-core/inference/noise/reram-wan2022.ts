/**
 * ReRamWan2022NoiseModel (AIHWKit `inference/noise/reram.py`, approximating Wan et al., Nature 2022):
 * conductance deviations from the target fitted by a 4th-order polynomial at three measurement
 * times. There is no separate drift: reading at t_inference re-applies the polynomial noise of that
 * time to the *target* conductances.
 */
import type { SinglePairConverterParameters } from '../conductance-converter';
import { normals, type RandomSource } from '../random-source';
import { assertFinitePositive, polynomialSigma, type NoiseModel } from './noise-model';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

/** The fitted coefficient sets (µS, ascending powers of g/g_max), keyed by seconds after programming. */
export const RERAM_WAN2022_COEFFICIENTS: Readonly<Record<string, readonly number[]>> = {
  '1': [0.348, 16.03, -43.853, 45.393, -16.815],
  '86400': [0.701, 22.086, -50.773, 47.095, -16.458],
  '172800': [0.782, 20.274, -43.507, 37.062, -11.934],
};

export interface ReRamWan2022Parameters {
  /** Coefficient sets keyed by t_inference in seconds (as a decimal string). */
  coeff_dic: Readonly<Record<string, readonly number[]>>;
  converter: SinglePairConverterParameters;
  noise_scale: number;
  /**
   * The g_max (µS) the coefficients were fitted at. AIHWKit means to use 40 µS for its defaults but,
   * as coded, always ends up with the converter's g_max (ratio 1; reference §10.10). Callers pass
   * g_max for AIHWKit parity; a schema may expose a different value.
   */
  coeff_g_max_reference: number;
}

export class ReRamWan2022NoiseModel implements NoiseModel {
  readonly name = 'ReRamWan2022NoiseModel';
  readonly converter: SinglePairConverterParameters;
  private readonly keys: number[];

  constructor(readonly params: ReRamWan2022Parameters) {
    this.converter = params.converter;
    assertFinitePositive(this.name, 'coeff_g_max_reference', params.coeff_g_max_reference);
    this.keys = Object.keys(params.coeff_dic).map(Number);
    if (this.keys.length === 0 || this.keys.some((k) => !Number.isFinite(k))) {
      throw new Error(
        `${this.name}: coeff_dic needs at least one numeric time key (got ${Object.keys(params.coeff_dic)})`,
      );
    }
  }

  private coefficientsAt(tInference: number): readonly number[] {
    const key = Object.keys(this.params.coeff_dic).find((k) => Number(k) === tInference);
    if (key === undefined) {
      throw new Error(
        `${this.name}: t_inference must be one of the measured times [${this.keys.join(', ')}] s (got ${tInference})`,
      );
    }
    return this.params.coeff_dic[key];
  }

  private applyPolynomial(
    gTarget: Float64Array,
    coefficients: readonly number[],
    random: RandomSource,
  ): Float64Array {
    const gMax = this.converter.g_max;
    const ratio = gMax / this.params.coeff_g_max_reference;
    const xi = normals(random, gTarget.length);
    const out = new Float64Array(gTarget.length);
    for (let i = 0; i < out.length; i++) {
      const sigma = polynomialSigma(coefficients, gTarget[i] / gMax) * ratio;
      const g = gTarget[i] + this.params.noise_scale * sigma * xi[i];
      out[i] = g > 0 ? g : 0;
    }
    return out;
  }

  /** Programming uses the coefficients of the earliest measurement time. */
  programConductances(gTarget: Float64Array, random: RandomSource): Float64Array {
    return this.applyPolynomial(gTarget, this.coefficientsAt(M.min(...this.keys)), random);
  }

  /** The "drift parameters" are the targets themselves (no random draw, as in AIHWKit). */
  driftParameters(gTarget: Float64Array): Float64Array {
    return Float64Array.from(gTarget);
  }

  /**
   * AIHWKit raises for any t_inference that is not a coefficient key (so t = 0 fails). We keep that
   * rather than inventing an interpolation the measurements do not support; the error lists the
   * valid times so a drift table can be specified correctly.
   */
  checkInferenceTime(tInference: number): void {
    this.coefficientsAt(tInference);
  }

  /** Re-applies the noise of time t to the targets; the programmed sample is ignored (as coded). */
  driftConductances(
    _gProg: Float64Array,
    gTarget: Float64Array,
    tInference: number,
    random: RandomSource,
  ): Float64Array {
    return this.applyPolynomial(gTarget, this.coefficientsAt(tInference), random);
  }
}
