/**
 * The noise-model contract (AIHWKit `inference/noise/base.py`): programming and drift are two
 * explicit steps over conductances. Programming happens once (`programWeights`), drawing the
 * programmed conductances and the per-device drift parameters; `driftWeights(t_inference)` can then
 * be called any number of times, each call starting again from the same programmed weights with
 * fresh read noise (drift is not cumulative).
 */
import {
  fromConductances,
  toConductances,
  type SinglePairConverterParameters,
} from '../conductance-converter';
import type { RandomSource } from '../random-source';
import { scratchF64, ScratchSlot } from '../scratch';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface NoiseModel {
  /** AIHWKit class name, e.g. "PCMLikeNoiseModel". */
  readonly name: string;
  /** The single-pair converter mapping weights to µS. */
  readonly converter: SinglePairConverterParameters;
  /**
   * g_prog for one conductance slice of target conductances g_T (µS), written into `out` where
   * given (a buffer of g_T's length) and returned. The inputs may be scratch buffers: an
   * implementation must not keep a reference to them (nor to `out`).
   */
  programConductances(gTarget: Float64Array, random: RandomSource, out?: Float64Array): Float64Array;
  /**
   * Per-device parameters fixed at programming (drift exponents ν, or the targets for ReRAM): a
   * fresh array (it is kept), never `gTarget` itself.
   */
  driftParameters(gTarget: Float64Array, random: RandomSource): Float64Array;
  /**
   * Conductances at `tInference` seconds after programming, read once (drift + read noise), written
   * into `out` where given (a buffer of gProg's length, every element written) and returned.
   */
  driftConductances(
    gProg: Float64Array,
    driftParameters: Float64Array,
    tInference: number,
    random: RandomSource,
    out?: Float64Array,
  ): Float64Array;
  /** Throws a clear error if this model cannot be read at `tInference` (checked before any work). */
  checkInferenceTime(tInference: number): void;
}

export interface ProgrammedWeights {
  /** Programmed weights, in the same (tile) units as the targets. */
  programmed: Float32Array;
  /** One array per conductance slice (g⁺, g⁻), each with one entry per weight. */
  driftParameters: Float64Array[];
}

/** Programs a weight matrix: W → g_T → (g_prog, drift parameters) per slice → W_prog. */
export function programWeights(
  model: NoiseModel,
  weights: Float32Array,
  random: RandomSource,
): ProgrammedWeights {
  const target = toConductances(weights, model.converter, conductanceScratch(weights.length));
  const results = resultScratch(weights.length);
  const programmedSlices: Float64Array[] = [];
  const driftParameters: Float64Array[] = [];
  // Same draw order as AIHWKit: per slice, programming noise then drift coefficients.
  target.slices.forEach((gTarget, k) => {
    programmedSlices.push(model.programConductances(gTarget, random, results[k]));
    driftParameters.push(model.driftParameters(gTarget, random));
  });
  const programmed = fromConductances(
    { slices: programmedSlices, scaleRatio: target.scaleRatio },
    model.converter,
  );
  return { programmed, driftParameters };
}

/**
 * Drifts programmed weights to `tInference`. As in AIHWKit, the programmed weights are converted
 * afresh (their own abs-max maps to g_max) before drift and read noise are applied per slice.
 */
export function driftWeights(
  model: NoiseModel,
  programmed: ProgrammedWeights,
  tInference: number,
  random: RandomSource,
): Float32Array {
  if (!Number.isFinite(tInference) || tInference < 0) {
    throw new Error(`${model.name}: t_inference must be a finite number ≥ 0 s (got ${tInference})`);
  }
  model.checkInferenceTime(tInference);
  const n = programmed.programmed.length;
  const current = toConductances(programmed.programmed, model.converter, conductanceScratch(n));
  if (current.slices.length !== programmed.driftParameters.length) {
    throw new Error(`${model.name}: drift parameters do not match the conductance slices`);
  }
  const results = resultScratch(n);
  const drifted = current.slices.map((gProg, k) =>
    model.driftConductances(gProg, programmed.driftParameters[k], tInference, random, results[k]),
  );
  return fromConductances({ slices: drifted, scaleRatio: current.scaleRatio }, model.converter);
}

function conductanceScratch(n: number): { plus: Float64Array; minus: Float64Array } {
  return {
    plus: scratchF64(ScratchSlot.ConductancePlus, n),
    minus: scratchF64(ScratchSlot.ConductanceMinus, n),
  };
}

function resultScratch(n: number): Float64Array[] {
  return [scratchF64(ScratchSlot.ResultPlus, n), scratchF64(ScratchSlot.ResultMinus, n)];
}

/** σ(g) = Σ_k c_k (g/g_max)^k, the polynomial every model uses for programming noise (µS). */
export function polynomialSigma(coefficients: readonly number[], gRelative: number): number {
  let sigma = 0;
  let power = 1;
  for (const c of coefficients) {
    sigma += c * power;
    power *= gRelative;
  }
  return sigma;
}

/**
 * The 1/f read-noise time factor sqrt(ln((t + t_read) / (2 t_read))), t in seconds since the start
 * of the drift fit (t = t_inference + t_0).
 */
export function readNoiseTimeFactor(t: number, tRead: number): number {
  return M.sqrt(M.log((t + tRead) / (2 * tRead)));
}

/** g·(t/t_0)^(−ν) for t > t_0, otherwise unchanged (AIHWKit's power-law drift). */
export function powerLawDrift(g: number, nu: number, t: number, t0: number): number {
  return t > t0 ? g * M.pow(t / t0, -nu) : g;
}

export function assertFinitePositive(model: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${model}: ${name} must be a finite number > 0 (got ${value})`);
  }
}
