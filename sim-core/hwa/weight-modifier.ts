/**
 * Weight modifiers for hardware-aware training (AIHWKit `WeightModifierParameter`, semantics of the
 * C++/CUDA engine `weight_modifier.cpp` / `weight_modifier_cuda.cu`, which InferenceRPUConfig uses).
 * After every optimizer step the tile draws one modified copy of its weights, used by forward and
 * backward until the next step; the unmodified weights receive the update.
 *
 * Written as tfjs ops (no host sync: amax stays a scalar tensor) so the GPU path modifies weights
 * in place on the device; the random deviates come from a seeded stream (see random-tensors.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RandomSource } from '../inference/random-source';
import { WeightModifierType } from '../configs/enums';
import { normalTensor, uniformTensor } from './random-tensors';

/** The modifier types, from the config schema (one list for the configs and both kernels). */
export const WEIGHT_MODIFIER_TYPES: readonly WeightModifierType[] = WeightModifierType.options;

export interface WeightModifierParams {
  type: WeightModifierType;
  std_dev: number;
  res: number;
  sto_round: boolean;
  dorefa_clip: number;
  pdrop: number;
  enable_during_test: boolean;
  rel_to_actual_wmax: boolean;
  assumed_wmax: number;
  copy_last_column: boolean;
  coeffs: readonly number[];
  g_max: number;
  pcm_zero_thres: number;
  pcm_t_inference: number;
  pcm_prob_at_reset: number;
  pcm_prob_at_gmax: number;
  pcm_prob_at_random: number;
  pcm_t0: number;
}

/** AIHWKit's Python defaults (type NONE). */
export const DEFAULT_WEIGHT_MODIFIER: WeightModifierParams = {
  type: 'NONE',
  std_dev: 0,
  res: 0,
  sto_round: false,
  dorefa_clip: 0.6,
  pdrop: 0,
  enable_during_test: false,
  rel_to_actual_wmax: true,
  assumed_wmax: 1,
  copy_last_column: false,
  coeffs: [0.0105392, 0.0768, -0.046925],
  g_max: 25,
  pcm_zero_thres: 0,
  pcm_t_inference: 0,
  pcm_prob_at_reset: 0,
  pcm_prob_at_gmax: 0,
  pcm_prob_at_random: 0,
  pcm_t0: 20,
};

/** Whether the modifier changes anything (NONE, and COPY/DROP_CONNECT without pdrop, do not). */
export function modifierIsActive(p: WeightModifierParams): boolean {
  if (p.type === 'NONE') return false;
  if ((p.type === 'COPY' || p.type === 'DROP_CONNECT') && p.pdrop <= 0) return false;
  return true;
}

/**
 * The discretization step as a fraction of amax. The C++ engine uses `res` as given (step res·amax);
 * AIHWKit's torch tile uses 2·res·amax and inverts res > 1 (reference §10.7). We follow the C++
 * engine, which is what InferenceRPUConfig runs, so DISCRETIZE with res = 1/2^(n−1) keeps the same
 * number of levels as AIHWKit. Deliberate deviation: res > 1 is read as a number of steps (1/res), as
 * for the IO resolutions (§1.2); the C++ engine would use a step larger than amax, which is useless.
 */
export function modifierResolution(res: number): number {
  return res > 1 ? 1 / res : res;
}

/** round-half-away-from-zero (C `roundf`), which the C++ modifier uses; tf.round is half-to-even. */
function roundHalfAway(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.sign(x), tf.floor(tf.add(tf.abs(x), 0.5)));
}

function discretize(values: tf.Tensor, res: number, stoRound: boolean, random: RandomSource): tf.Tensor {
  let v = tf.div(values, res);
  if (stoRound) v = tf.add(v, tf.sub(uniformTensor(values.shape, random), 0.5));
  return tf.mul(roundHalfAway(v), res);
}

/** The reference magnitude a: max|W| (without the last column if copy_last_column; 1 if 0), or assumed_wmax. */
function referenceMax(weights: tf.Tensor2D, p: WeightModifierParams): tf.Scalar {
  if (!p.rel_to_actual_wmax || p.type === 'COPY') return tf.scalar(p.assumed_wmax);
  const [rows, cols] = weights.shape;
  const part = p.copy_last_column && cols > 1 ? tf.slice(weights, [0, 0], [rows, cols - 1]) : weights;
  const m = tf.max(tf.abs(part)) as tf.Scalar;
  return tf.where(tf.greater(m, 0), m, tf.onesLike(m)) as tf.Scalar;
}

function polynomialOfAbs(weights: tf.Tensor, amax: tf.Scalar, coeffs: readonly number[]): tf.Tensor {
  const aw = tf.div(tf.abs(weights), amax);
  let sig: tf.Tensor = tf.fill(weights.shape, coeffs[0]);
  let power: tf.Tensor = tf.onesLike(weights);
  for (let k = 1; k < coeffs.length; k++) {
    power = tf.mul(power, aw);
    sig = tf.add(sig, tf.mul(power, coeffs[k]));
  }
  return sig;
}

const PCM_P: readonly [number, number, number] = [0.26348, 1.965, -1.1731];
const PCM_T_READ = 250e-9;

/**
 * PCM_NOISE (CUDA-only in AIHWKit; `kernelModifyWeightsPCMNoise`): programming noise, the *spread* of
 * drift (zero-mean ν, the mean drift is assumed compensated) and 1/f noise at pcm_t_inference,
 * applied in conductance units with the sign of each weight preserved.
 */
function pcmNoise(w: tf.Tensor, amax: tf.Scalar, p: WeightModifierParams, random: RandomSource): tf.Tensor {
  const gmax = p.g_max;
  const noiseScale = p.std_dev;
  const shape = w.shape;
  let g = tf.mul(tf.clipByValue(tf.div(w, amax), -1, 1), gmax);
  const zeroThreshold = p.pcm_zero_thres * noiseScale * PCM_P[0];
  g = tf.where(tf.greater(tf.abs(g), zeroThreshold), g, tf.zerosLike(g));
  const negative = tf.less(g, 0);
  if (p.pcm_prob_at_reset > 0) {
    g = tf.where(tf.less(uniformTensor(shape, random), p.pcm_prob_at_reset), tf.zerosLike(g), g);
  }
  if (p.pcm_prob_at_gmax > 0) {
    const hit = tf.less(uniformTensor(shape, random), p.pcm_prob_at_gmax);
    const down = tf.greater(uniformTensor(shape, random), 0.5);
    g = tf.where(hit, tf.where(down, tf.sub(g, gmax), tf.add(g, gmax)), g);
  }
  if (p.pcm_prob_at_random > 0) {
    const hit = tf.less(uniformTensor(shape, random), p.pcm_prob_at_random);
    const level = tf.mul(uniformTensor(shape, random), gmax);
    g = tf.where(hit, tf.where(tf.greater(g, 0), level, tf.neg(level)), g);
  }
  g = tf.clipByValue(g, -gmax, gmax);
  const agRel = tf.abs(tf.div(g, gmax));
  const sigProg = tf.add(tf.add(tf.mul(agRel, PCM_P[1]), tf.mul(tf.square(agRel), PCM_P[2])), PCM_P[0]);
  const gProg = tf.add(g, tf.mul(tf.mul(sigProg, noiseScale), normalTensor(shape, random)));
  const agProgRel = tf.abs(tf.div(gProg, gmax));
  const t0 = p.pcm_t0;
  const t = p.pcm_t_inference + t0;
  let gDrift = gProg;
  if (t > t0) {
    const sigNu = tf.clipByValue(
      tf.sub(tf.mul(tf.log(tf.maximum(agProgRel, 1e-6)), -0.0125), 0.0059),
      0.008,
      0.045,
    );
    const nu = tf.abs(tf.mul(normalTensor(shape, random), sigNu));
    gDrift = tf.mul(gProg, tf.pow(tf.scalar(t / t0), tf.neg(nu)));
  }
  const logSqrt = Math.sqrt(Math.log((t + PCM_T_READ) / (2 * PCM_T_READ)));
  const qs = tf.minimum(tf.div(0.0088, tf.maximum(tf.pow(agProgRel, 0.65), 1e-3)), 0.2);
  const gFinal = tf.add(
    gDrift,
    tf.mul(tf.mul(tf.mul(tf.abs(gDrift), qs), noiseScale * logSqrt), normalTensor(shape, random)),
  );
  const magnitude = tf.abs(tf.mul(tf.div(gFinal, gmax), amax));
  const signed = tf.where(negative, tf.neg(magnitude), magnitude);
  // Devices whose target is exactly zero are left at RESET: weight exactly 0.
  return tf.where(tf.greater(tf.abs(g), 0), signed, tf.zerosLike(signed));
}

function applyType(
  w: tf.Tensor2D,
  amax: tf.Scalar,
  p: WeightModifierParams,
  random: RandomSource,
): tf.Tensor {
  const res = modifierResolution(p.res);
  switch (p.type) {
    case 'NONE':
    case 'COPY':
    case 'DROP_CONNECT':
      return w;
    case 'DISCRETIZE':
      return res > 0 ? tf.mul(discretize(tf.div(w, amax), res, p.sto_round, random), amax) : w;
    case 'MULT_NORMAL':
      return p.std_dev > 0
        ? tf.mul(w, tf.add(1, tf.mul(tf.mul(amax, p.std_dev), normalTensor(w.shape, random))))
        : w;
    case 'ADD_NORMAL':
      return p.std_dev > 0 ? tf.add(w, tf.mul(tf.mul(amax, p.std_dev), normalTensor(w.shape, random))) : w;
    case 'DISCRETIZE_ADD_NORMAL': {
      if (!(res > 0 || p.std_dev > 0)) return w;
      const q = res > 0 ? tf.mul(discretize(tf.div(w, amax), res, p.sto_round, random), amax) : w;
      return p.std_dev > 0 ? tf.add(q, tf.mul(tf.mul(amax, p.std_dev), normalTensor(w.shape, random))) : q;
    }
    case 'DOREFA': {
      if (!(res > 0)) return w;
      const scale = tf.abs(tf.div(p.dorefa_clip, tf.tanh(amax)));
      return discretize(tf.mul(tf.tanh(w), scale), res, p.sto_round, random);
    }
    case 'POLY':
    case 'PROG_NOISE': {
      if (!(p.std_dev > 0) || p.coeffs.length === 0) return w;
      const std = p.type === 'POLY' ? p.std_dev : p.std_dev / p.g_max;
      const sig = tf.mul(polynomialOfAbs(w, amax, p.coeffs), std);
      const out = tf.add(w, tf.mul(tf.mul(sig, amax), normalTensor(w.shape, random)));
      if (p.type === 'POLY') return out;
      // PROG_NOISE keeps each weight's sign: the noise is mirrored at zero.
      return tf.where(tf.less(w, 0), tf.neg(tf.abs(out)), tf.abs(out));
    }
    case 'PCM_NOISE':
      return pcmNoise(w, amax, p, random);
  }
}

/**
 * Returns the modified copy of `weights` ([out, in]) for the next mini-batch. The input is not
 * disposed. Drop-connect (pdrop > 0) follows any type; copy_last_column restores the analog-bias
 * column unmodified.
 */
export function modifyWeights(
  weights: tf.Tensor2D,
  p: WeightModifierParams,
  random: RandomSource,
): tf.Tensor2D {
  if (!WEIGHT_MODIFIER_TYPES.includes(p.type)) {
    throw new Error(`WeightModifierParameter.type: unknown modifier "${p.type}"`);
  }
  return tf.tidy(() => {
    const amax = referenceMax(weights, p);
    let out = applyType(weights, amax, p, random);
    if (p.pdrop > 0) {
      out = tf.where(tf.less(uniformTensor(weights.shape, random), p.pdrop), tf.zerosLike(out), out);
    }
    if (p.copy_last_column && weights.shape[1] > 0) {
      const [rows, cols] = weights.shape;
      const isLast = tf.reshape(tf.equal(tf.range(0, cols, 1, 'int32'), cols - 1), [1, cols]);
      out = tf.where(tf.tile(isLast, [rows, 1]), weights, out);
    }
    return (out === weights ? tf.clone(weights) : out) as tf.Tensor2D;
  });
}
